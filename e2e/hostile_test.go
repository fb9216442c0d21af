//go:build browser

package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tokenlab/internal/hostile"
)

// The hostile-input corpus (internal/hostile, SECURITY.md "Hostile input")
// in the real page. internal/engine runs every case natively; here run the
// cases whose risk lives in the browser (each names it in Case.Browser):
// the engine answers in its worker within a budget without dying of deep
// JSON, the page's main thread keeps running while arguments are copied or
// refused by tokenlab.js's size cap, the engine answers a valid token right
// afterwards, nothing from a token reaches Object.prototype, and the page
// requests no URL from a token. TestHostileInputInInspector pastes every
// token-shaped case into the inspector's "Token" field and checks what a
// person sees; TestNoScriptFromTokens renders a token built to attack the
// viewer.

// hostileBudget bounds one call: the engine must answer every case, error
// or not, well within it.
const hostileBudget = 15 * time.Second

// frozenBudget is the longest the page's main thread may stall during a
// call: the engine runs in a worker, so only copying the arguments happens
// on the page.
const frozenBudget = 750 * time.Millisecond

// hostileRun is the page-side harness of one call: it runs the call with
// a 5 ms ticker on the main thread (the longest gap is how long the page
// froze), then decodes a valid token, and reports whether anything reached
// Object.prototype.
const hostileRun = `(async () => {
	const args = %s;
	let last = performance.now(), maxGap = 0;
	const ticker = setInterval(() => { const n = performance.now(); maxGap = Math.max(maxGap, n - last); last = n; }, 5);
	const t0 = performance.now();
	let out;
	try {
		out = { ok: true, result: await window.tokenlab[%q](...args) };
	} catch (e) {
		out = { ok: false, error: { code: e.code, message: e.message, name: e.name } };
	}
	const ms = performance.now() - t0;
	clearInterval(ticker);
	maxGap = Math.max(maxGap, performance.now() - last);
	let next = "";
	try { next = (await window.tokenlab.decode(%q)).payload.sub; } catch (e) { next = "error " + e.code + ": " + e.message; }
	const polluted = Object.getOwnPropertyNames(Object.prototype).filter((n) => !%s.includes(n));
	return { ...out, ms, maxGap, next, polluted, protoPolluted: ({}).polluted !== undefined };
})()`

// cleanProto lists Object.prototype's own names before any case runs.
const cleanProto = `JSON.stringify(Object.getOwnPropertyNames(Object.prototype))`

type hostileAnswer struct {
	OK            bool            `json:"ok"`
	Result        json.RawMessage `json:"result"`
	Error         *APIError       `json:"error"`
	MS            float64         `json:"ms"`
	MaxGap        float64         `json:"maxGap"`
	Next          string          `json:"next"`
	Polluted      []string        `json:"polluted"`
	ProtoPolluted bool            `json:"protoPolluted"`
}

func TestHostileInputAPI(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	var protoNames string
	mustDecode(t, p.Eval(cleanProto), &protoNames)
	ran := 0
	for _, tc := range hostile.Corpus(t) {
		if tc.Browser == "" {
			continue // an answer of the engine alone: internal/engine checks it natively
		}
		ran++
		t.Run(tc.Name, func(t *testing.T) {
			p := p.For(t)
			args := tc.ArgsJS
			if args == "" {
				args = string(tc.Args)
			}
			var a hostileAnswer
			mustDecode(t, p.Eval(fmt.Sprintf(hostileRun, args, tc.Method, hostile.Probe(), protoNames)), &a)
			checkAnswer(t, tc, a)
		})
	}
	if ran < 10 {
		t.Errorf("only %d corpus cases name a reason to run in the browser; the stack, size-cap, prototype and request cases must run here", ran)
	}
	// The corpus made no request anywhere: jku and x5u were never fetched.
	for _, r := range p.Requests() {
		if strings.Contains(r.URL, "attacker.example") {
			t.Errorf("the page fetched a URL from a token header: %s %s", r.Method, r.URL)
		}
	}
}

// checkAnswer checks the page's answer to one case: the case's own
// expectation, a TokenlabError for a failure, the time budgets, the engine
// still answering, and a clean Object.prototype.
func checkAnswer(t *testing.T, tc hostile.Case, a hostileAnswer) {
	t.Helper()
	t.Logf("in the browser because %s", tc.Browser)
	var code, message string
	if !a.OK {
		code, message = a.Error.Code, a.Error.Message
		if a.Error.Name != "TokenlabError" {
			t.Errorf("the rejection is a %s, want a TokenlabError", a.Error.Name)
		}
	}
	tc.Assert(t, a.Result, code, message)
	if time.Duration(a.MS)*time.Millisecond > hostileBudget {
		t.Errorf("the engine took %.0f ms (budget %v)", a.MS, hostileBudget)
	}
	if time.Duration(a.MaxGap)*time.Millisecond > frozenBudget {
		t.Errorf("the page's main thread froze for %.0f ms during the call (budget %v)", a.MaxGap, frozenBudget)
	}
	if a.Next != hostile.ProbeSub {
		t.Errorf("the next valid token no longer decodes: %s", a.Next)
	}
	if len(a.Polluted) > 0 || a.ProtoPolluted {
		t.Errorf("Object.prototype gained %v (polluted: %v)", a.Polluted, a.ProtoPolluted)
	}
}

// inspectorProbe pastes text into the inspector's "Token" field (found by
// its label) like a clipboard paste, waits for the inspector to finish,
// and reports what a person sees: the alert tied to the field, the status
// line, how long the main thread stalled, and the engine's own verdict on
// the same text.
const inspectorProbe = `(async () => {
	const text = %s;
	const ta = [...document.querySelectorAll("textarea")].find((t) => [...t.labels].some((l) => l.textContent.trim() === "Token"));
	if (!ta) return { missing: "no textarea labelled Token" };
	const alert = (ta.getAttribute("aria-describedby") ?? "").split(/\s+/).map((id) => document.getElementById(id)).find((el) => el?.getAttribute("role") === "alert");
	const status = ta.closest("section")?.querySelector(":scope > [role=status]");
	if (!alert || !status) return { missing: "the Token field has no alert or its section no status line" };
	// The page trims what it sends (String.prototype.trim, which also drops a BOM).
	const engine = await window.tokenlab.decode(text.trim()).then(() => "", (e) => e.message);
	// Text the decoder refuses may still be an opaque access token, which the page explains.
	const opaque = engine !== "" && await window.tokenlab.explain(text.trim()).then((e) => e.format === "opaque", () => false);
	// Empty the field first, so that pasting the previous text again still counts as a change.
	ta.value = "";
	ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "deleteContentBackward" }));
	await new Promise((r) => setTimeout(r, 200));
	status.textContent = "";
	let last = performance.now(), maxGap = 0;
	const ticker = setInterval(() => { const n = performance.now(); maxGap = Math.max(maxGap, n - last); last = n; }, 5);
	ta.focus();
	ta.value = text;
	ta.dispatchEvent(new ClipboardEvent("paste", { bubbles: true }));
	ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
	const deadline = Date.now() + 20000;
	while (Date.now() < deadline && status.textContent === "" && text.trim() !== "") await new Promise((r) => setTimeout(r, 20));
	await new Promise((r) => setTimeout(r, 50));
	clearInterval(ticker);
	return { engine, opaque, alert: alert.hidden ? "" : alert.textContent, status: status.textContent, maxGap };
})()`

type inspectorView struct {
	Missing string  `json:"missing"`
	Engine  string  `json:"engine"`
	Opaque  bool    `json:"opaque"` // the engine explains it as an opaque token
	Alert   string  `json:"alert"`
	Status  string  `json:"status"`
	MaxGap  float64 `json:"maxGap"`
}

func probeInspector(t *testing.T, p *Page, text string) inspectorView {
	t.Helper()
	arg, err := json.Marshal(text)
	if err != nil {
		t.Fatal(err)
	}
	var v inspectorView
	mustDecode(t, p.Eval(fmt.Sprintf(inspectorProbe, arg)), &v)
	if v.Missing != "" {
		t.Fatalf("the inspector: %s", v.Missing)
	}
	return v
}

// TestHostileInputInInspector pastes every token-shaped case of the corpus
// into the playground's "Token" field: a token the engine refuses shows the
// engine's own message in the alert tied to the field (unless the engine
// explains it as an opaque access token, which is no error), a token it
// decodes shows no alert and a "decoded" status, the page never stalls, and a
// valid token pasted last is decoded as usual.
func TestHostileInputInInspector(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	for _, tc := range hostile.Corpus(t) {
		if !tc.Pasteable {
			continue
		}
		text, ok := tc.Paste()
		if !ok {
			t.Fatalf("%s: a pasteable case needs a token string as its first argument", tc.Name)
		}
		t.Run(tc.Name, func(t *testing.T) {
			p := p.For(t)
			v := probeInspector(t, p, text)
			switch {
			case strings.TrimSpace(text) == "":
				if v.Alert != "" {
					t.Errorf("an empty field shows the alert %q", v.Alert)
				}
			case v.Opaque:
				if v.Alert != "" {
					t.Errorf("an opaque token shows the alert %q", v.Alert)
				}
				if !strings.HasPrefix(v.Status, "Not a JWT") {
					t.Errorf("status = %q, want it to say this is not a JWT", v.Status)
				}
			case v.Engine != "":
				if v.Alert != v.Engine {
					t.Errorf("alert = %q, want the engine's message %q", v.Alert, v.Engine)
				}
				if !strings.HasPrefix(v.Status, "Cannot decode") {
					t.Errorf("status = %q, want it to say the token cannot be decoded", v.Status)
				}
			default:
				if v.Alert != "" {
					t.Errorf("a decodable token shows the alert %q", v.Alert)
				}
				if !strings.Contains(v.Status, "decoded") {
					t.Errorf("status = %q, want the decoded summary", v.Status)
				}
			}
			if time.Duration(v.MaxGap)*time.Millisecond > frozenBudget {
				t.Errorf("the page stalled %.0f ms", v.MaxGap)
			}
		})
	}
	v := probeInspector(t, p, hostile.JWS(`{"alg":"HS256","typ":"JWT"}`, `{"iss":"https://issuer.example","sub":"alice","exp":1800000000}`))
	if v.Alert != "" || !strings.Contains(v.Status, "decoded") {
		t.Errorf("after the corpus a valid token shows alert %q, status %q", v.Alert, v.Status)
	}
}

// TestNoScriptFromTokens renders a token built to attack the viewer in the
// inspector (cards, claims table, JSON view) and the verifier: no script
// runs, no CSP violation is even attempted, no element from the token is
// in the DOM, the text is shown literally, and every link on the page
// points at the page itself or at a reference URL of the engine's data
// (the claim catalog, the guides' sources, the presets' vendor pages).
func TestNoScriptFromTokens(t *testing.T) {
	allowed := catalogURLs(t)
	p := NewPage(t)
	p.Open("/")
	p.Eval(`(() => {
		window.__violations = [];
		window.__before = new WeakSet(document.querySelectorAll("*"));
		document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.effectiveDirective + " " + e.blockedURI + " " + (e.sample ?? "")));
		return true;
	})()`)
	tok := hostile.AttackToken()
	v := probeInspector(t, p, tok)
	if v.Alert != "" || !strings.Contains(v.Status, "decoded") {
		t.Fatalf("the attack token did not decode in the inspector: alert %q, status %q", v.Alert, v.Status)
	}
	// Show the JSON tab too, and verify the token with its secret.
	p.Eval(`(() => { document.querySelector("[role=tab][aria-controls=panel-json]")?.click(); return true })()`)
	p.MustCall(nil, "verify", tok, hostile.VerifyOptions(nil)) // rendering, not validity, is the point here
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 300))`)

	var dom struct {
		XSS         any      `json:"xss"`
		Violations  []string `json:"violations"`
		Injected    []string `json:"injected"`
		Links       []string `json:"links"`
		Text        string   `json:"text"`
		InlineAttrs []string `json:"inlineAttrs"`
	}
	mustDecode(t, p.Eval(`(() => {
		const all = [...document.querySelectorAll("*")];
		// New elements of the kinds the token carries, or any element whose
		// attributes hold the token's markers.
		const injected = all.filter((el) =>
			(!window.__before.has(el) && ["IMG", "SVG", "IFRAME", "SCRIPT", "STYLE", "B", "A", "OBJECT", "EMBED"].includes(el.tagName.toUpperCase()) && !(el.tagName === "A" && el.getAttribute("href")?.startsWith("https://")))
			|| [...el.attributes].some((a) => /__xss|attacker\.example/.test(a.value)))
			.map((el) => el.outerHTML.slice(0, 120));
		const inlineAttrs = all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value)).map((a) => el.tagName + " " + a.name + "=" + a.value.slice(0, 60)));
		const links = [...document.querySelectorAll("a[href], area[href]")].map((a) => a.getAttribute("href"));
		return { xss: window.__xss ?? null, violations: window.__violations, injected, inlineAttrs, links, text: document.querySelector("main").innerText };
	})()`), &dom)
	if dom.XSS != nil {
		t.Errorf("script from the token ran: window.__xss = %v", dom.XSS)
	}
	for _, v := range dom.Violations {
		t.Errorf("the page tried to load or run something from the token (CSP violation): %s", v)
	}
	for _, el := range dom.Injected {
		t.Errorf("an element from the token is in the DOM: %s", el)
	}
	for _, a := range dom.InlineAttrs {
		t.Errorf("an event handler or javascript: URL is in the DOM: %s", a)
	}
	for _, want := range []string{`<img src=x onerror="window.__xss='iss'">`, "<svg onload=window.__xss='sub'>", "javascript:alert(document.domain)"} {
		if !strings.Contains(dom.Text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	for _, href := range dom.Links {
		if !linkAllowed(href, allowed) {
			t.Errorf("a link points at %q, which is neither the page nor a catalog reference", href)
		}
	}
	t.Logf("%d links checked against %d catalog references", len(dom.Links), len(allowed))
}

// catalogURLs are the reference URLs in the engine's data files: the
// explain package's catalog, guides and opaque formats, and the presets.
func catalogURLs(t *testing.T) map[string]bool {
	t.Helper()
	urls := map[string]bool{}
	// The claim catalog and the guides (internal/explain), and the presets,
	// whose shapes the mint section links to their vendor pages.
	matches, err := filepath.Glob(filepath.Join("..", "internal", "explain", "*.json"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no catalog files: %v", err)
	}
	matches = append(matches, filepath.Join("..", "internal", "token", "presets.json"))
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				if strings.HasPrefix(v, "https://") {
					urls[v] = true
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			case map[string]any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		walk(doc)
	}
	return urls
}

func linkAllowed(href string, catalog map[string]bool) bool {
	switch {
	case catalog[href]:
		return true
	case strings.HasPrefix(href, "#"), strings.HasPrefix(href, "blob:"):
		return true
	case strings.Contains(href, ":"):
		return strings.HasPrefix(href, env.base+"/")
	}
	return !strings.HasPrefix(href, "//")
}

// TestNoScriptFromTokensInEmbedsAndShareLinks renders the attack token in
// the iframe embed and through a share link: the markup stays text, no
// script runs, and no element from the token reaches the DOM.
func TestNoScriptFromTokensInEmbedsAndShareLinks(t *testing.T) {
	tok := hostile.AttackToken()
	state, err := json.Marshal(map[string]any{"v": 1, "inspect": map[string]string{"token": tok}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path string }{
		{"embed explain", "/embed.html#mode=explain&token=" + tok},
		{"embed decode", "/embed.html#mode=decode&token=" + tok},
		{"share link", "/#state=" + base64.RawURLEncoding.EncodeToString(state)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPage(t)
			p.Do(chromedp.Navigate(env.base + tc.path))
			p.waitFor("the token's claims as text", `document.body.innerText.includes("onerror")`)
			p.Eval(`new Promise((r) => setTimeout(() => r(true), 300))`)
			var dom struct {
				XSS      any      `json:"xss"`
				Injected []string `json:"injected"`
			}
			mustDecode(t, p.Eval(`(() => ({
				xss: window.__xss ?? null,
				injected: [...document.querySelectorAll("*")].filter((el) =>
					(el.tagName === "SCRIPT" && el.textContent.includes("__xss"))
					|| (el.tagName === "IMG" && el.getAttribute("src") === "x")
					|| [...el.attributes].some((a) => /__xss|attacker\.example/.test(a.value) || /^on/i.test(a.name)))
					.map((el) => el.outerHTML.slice(0, 120)),
			}))()`), &dom)
			if dom.XSS != nil {
				t.Errorf("script from the token ran: window.__xss = %v", dom.XSS)
			}
			for _, el := range dom.Injected {
				t.Errorf("an element from the token is in the DOM: %s", el)
			}
		})
	}
}
