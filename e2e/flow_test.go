//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The sign-in flow simulator (site/flow/): these tests play the whole
// authorization code flow with PKCE and every mistake through the page's
// buttons and keyboard, then check the real values independently: the PKCE
// challenge and at_hash are recomputed here with WebCrypto, and the tokens
// are verified again with tokenlab's API.

// flowRun is the part of <tl-flow>.run the tests read.
type flowRun struct {
	Alg           string          `json:"alg"`
	PublicKey     json.RawMessage `json:"publicKey"`
	T0            int64           `json:"t0"`
	T1            int64           `json:"t1"`
	Verifier      string          `json:"verifier"`
	Challenge     string          `json:"challenge"`
	State         string          `json:"state"`
	Nonce         string          `json:"nonce"`
	Code          string          `json:"code"`
	AuthorizeURL  string          `json:"authorizeUrl"`
	CallbackURL   string          `json:"callbackUrl"`
	IDToken       string          `json:"idToken"`
	AccessToken   string          `json:"accessToken"`
	RefreshToken  string          `json:"refreshToken"`
	TokenResponse map[string]any  `json:"tokenResponse"`
	NewAccess     string          `json:"newAccessToken"`
	NewRefresh    string          `json:"newRefreshToken"`
	Refresh       map[string]any  `json:"refreshResponse"`
}

// verified is the part of tokenlab.verify's result the tests read.
type verified struct {
	Valid   bool           `json:"valid"`
	Kind    string         `json:"kind"`
	Header  map[string]any `json:"header"`
	Payload map[string]any `json:"payload"`
	Checks  []struct {
		ID      string `json:"id"`
		OK      bool   `json:"ok"`
		Message string `json:"message"`
		Ref     string `json:"ref"`
	} `json:"checks"`
}

func (v verified) failed() []string {
	var ids []string
	for _, c := range v.Checks {
		if !c.OK {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// flowAt waits until <tl-flow> shows scenario ("step-N" or "mistake-ID").
func (p *Page) flowAt(scenario string) {
	p.t.Helper()
	p.waitFor("the flow at "+scenario, fmt.Sprintf(`document.querySelector("tl-flow")?.dataset.rendered === %q`, scenario))
}

// flowRun reads the finished run from the element.
func (p *Page) flowRun() flowRun {
	p.t.Helper()
	var r flowRun
	mustJSON(p.t, p.Eval(`document.querySelector("tl-flow").run`), &r)
	if r.Verifier == "" || r.IDToken == "" {
		p.t.Fatalf("the flow has no run")
	}
	return r
}

// js evaluates expr and decodes its value into dst.
func (p *Page) js(dst any, expr string) {
	p.t.Helper()
	mustJSON(p.t, p.Eval(expr), dst)
}

// Independent computations, in the page's WebCrypto (not the flow's code).
const b64urlJS = `(bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")`

func (p *Page) s256(s string) string {
	p.t.Helper()
	var out string
	p.js(&out, fmt.Sprintf(`crypto.subtle.digest("SHA-256", new TextEncoder().encode(%q)).then((d) => (%s)(new Uint8Array(d)))`, s, b64urlJS))
	return out
}

func (p *Page) leftHalfSHA256(s string) string {
	p.t.Helper()
	var out string
	p.js(&out, fmt.Sprintf(`crypto.subtle.digest("SHA-256", new TextEncoder().encode(%q)).then((d) => (%s)(new Uint8Array(d).slice(0, 16)))`, s, b64urlJS))
	return out
}

// shownChecks reads each checklist in css, in order: id → ok (the check
// did not fail: it passed, warned, or was not compared).
func (p *Page) shownChecks(css string) []map[string]bool {
	p.t.Helper()
	var out []map[string]bool
	p.js(&out, fmt.Sprintf(`[...document.querySelectorAll(%q)].map((list) => Object.fromEntries([...list.querySelectorAll("li[data-check]")].map((li) => [li.dataset.check, li.dataset.status !== "fail"])))`, css+" tl-checklist"))
	return out
}

func allTrue(m map[string]bool) bool {
	for _, ok := range m {
		if !ok {
			return false
		}
	}
	return len(m) > 0
}

// TestFlowWholeSignIn steps through the six steps with the buttons and the
// keyboard and checks every real value the issue names.
func TestFlowWholeSignIn(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.Eval(`document.querySelector("#sign-in-flow").scrollIntoView(), true`) // the simulator loads as its section nears the viewport
	p.waitFor("the flow section", `!document.querySelector("#sign-in-flow").hidden && document.querySelector("tl-flow .flow-intro")`)
	if got := p.text("#sign-in-flow h2"); !strings.Contains(got, "sign-in") {
		t.Errorf("section title %q", got)
	}
	for _, actor := range []string{"Browser", "Client app", "Authorization server", "API"} {
		if !strings.Contains(p.text("tl-flow .seq-actors"), actor) {
			t.Errorf("the actors do not include %s", actor)
		}
	}

	// Step 1: the authorization request, with a real S256 challenge.
	p.click(`tl-flow [data-act="next"]`)
	p.flowAt("step-1")
	run := p.flowRun()
	t.Run("step 1 authorization request", func(t *testing.T) {
		p := p.For(t)
		if n := len(run.Verifier); n < 43 || n > 128 {
			t.Errorf("code_verifier has %d characters, want 43..128 (RFC 7636 §4.1)", n)
		}
		if strings.Trim(run.Verifier, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") != "" {
			t.Errorf("code_verifier %q has characters outside the unreserved set", run.Verifier)
		}
		if want := p.s256(run.Verifier); run.Challenge != want {
			t.Errorf("code_challenge = %q, want BASE64URL(SHA-256(verifier)) = %q", run.Challenge, want)
		}
		if shown := p.text(`tl-flow [data-field="code_challenge"] code`); shown != run.Challenge {
			t.Errorf("the page shows the challenge %q, the run has %q", shown, run.Challenge)
		}
		want := map[string]string{
			"response_type": "code", "client_id": "my-app", "redirect_uri": "https://app.example.com/callback",
			"scope": "openid profile email api:read", "state": run.State, "nonce": run.Nonce,
			"code_challenge": run.Challenge, "code_challenge_method": "S256",
		}
		for name, value := range want {
			if got := p.text(fmt.Sprintf(`tl-flow tr[data-param=%q] .param-value`, name)); got != value {
				t.Errorf("parameter %s shows %q, want %q", name, got, value)
			}
			if !strings.Contains(run.AuthorizeURL, name+"=") {
				t.Errorf("the authorization URL has no %s: %s", name, run.AuthorizeURL)
			}
		}
		if run.State == run.Nonce || len(run.State) < 16 || len(run.Nonce) < 16 {
			t.Errorf("state %q and nonce %q should be distinct random values", run.State, run.Nonce)
		}
		if !strings.Contains(p.text("tl-flow .flow-detail"), "RFC 7636") {
			t.Error("step 1 cites no spec section for PKCE")
		}
	})

	// Step 2: the code comes back to the redirect URI with the state.
	p.click(`tl-flow [data-act="next"]`)
	p.flowAt("step-2")
	t.Run("step 2 code", func(t *testing.T) {
		if !strings.HasPrefix(run.CallbackURL, "https://app.example.com/callback?code="+run.Code) || !strings.Contains(run.CallbackURL, "state="+run.State) {
			t.Errorf("callback %q should carry the code and the same state", run.CallbackURL)
		}
		if checks := p.shownChecks("tl-flow .flow-detail"); len(checks) != 1 || !checks[0]["state"] {
			t.Errorf("the client's state check: %v", checks)
		}
	})

	// Step 3 by keyboard: → in the player.
	p.Do(chromedp.Focus(chromedp.CSS(`tl-flow [data-act="next"]`)), chromedp.KeyEvent(kb.ArrowRight))
	p.flowAt("step-3")
	t.Run("step 3 token response", func(t *testing.T) {
		p := p.For(t)
		checks := p.shownChecks("tl-flow .flow-detail")
		if len(checks) != 1 || !allTrue(checks[0]) || !checks[0]["code_verifier"] || !checks[0]["redirect_uri"] {
			t.Errorf("token endpoint checks: %v", checks)
		}
		tr := run.TokenResponse
		if tr["token_type"] != "Bearer" || tr["expires_in"] != float64(3600) || tr["scope"] != "openid profile email api:read" {
			t.Errorf("token response %v", tr)
		}
		if tr["id_token"] != run.IDToken || tr["access_token"] != run.AccessToken || tr["refresh_token"] != run.RefreshToken {
			t.Error("the token response does not carry the run's tokens")
		}
		if strings.Count(run.RefreshToken, ".") != 0 || len(run.RefreshToken) < 32 {
			t.Errorf("refresh token %q should be an opaque random string", run.RefreshToken)
		}
		shown := p.text("tl-flow .flow-detail")
		for _, field := range []string{`"id_token"`, `"access_token"`, `"refresh_token"`, `"token_type": "Bearer"`, `"expires_in": 3600`, `"scope"`} {
			if !strings.Contains(shown, field) {
				t.Errorf("the token response shown lacks %s", field)
			}
		}
		var id, at struct {
			Header  map[string]any `json:"header"`
			Payload map[string]any `json:"payload"`
		}
		p.MustCall(&id, "decode", run.IDToken)
		p.MustCall(&at, "decode", run.AccessToken)
		if at.Header["typ"] != "at+jwt" || at.Payload["aud"] != "https://api.example.com" || at.Payload["scope"] != "openid profile email api:read" || at.Payload["client_id"] != "my-app" {
			t.Errorf("access token is not an RFC 9068 token for the API: %v %v", at.Header, at.Payload)
		}
		if id.Payload["aud"] != "my-app" || id.Payload["iss"] != "https://login.example.com" {
			t.Errorf("ID token: %v", id.Payload)
		}
		if id.Payload["nonce"] != run.Nonce {
			t.Errorf("ID token nonce %v, the request's nonce %q", id.Payload["nonce"], run.Nonce)
		}
		if want := p.leftHalfSHA256(run.AccessToken); id.Payload["at_hash"] != want {
			t.Errorf("at_hash %v, want left half of SHA-256(access_token) = %q", id.Payload["at_hash"], want)
		}
		if p.attr(`tl-flow [data-field="at_hash_claim"]`, "class") != "match" {
			t.Error("the page does not show at_hash as matching")
		}
		if n := len(p.shownTokens("tl-flow .flow-detail")); n != 3 {
			t.Errorf("step 3 shows %d tokens, want 3", n)
		}
		// One client type throughout: a confidential web app whose back end
		// authenticates and keeps the tokens; the other type is contrasted.
		if !strings.Contains(shown, "Authorization: Basic ") || strings.Contains(shown, "&client_id=") {
			t.Error("the token request of a confidential client should authenticate with HTTP Basic and carry no client_id in the body")
		}
		if !strings.Contains(shown, "Where the tokens live: in my-app's server-side session") || !strings.Contains(shown, "A browser-based app") || !strings.Contains(shown, "a public client") {
			t.Error("step 3 does not say where the tokens live")
		}
	})

	p.click(`tl-flow [data-act="next"]`)
	p.flowAt("step-4")
	t.Run("step 4 client validates the ID token", func(t *testing.T) {
		p := p.For(t)
		checks := p.shownChecks("tl-flow .flow-detail")
		if len(checks) != 1 || !allTrue(checks[0]) {
			t.Fatalf("ID token checks: %v", checks)
		}
		for _, id := range []string{"signature", "iss", "aud", "exp", "nonce", "at_hash"} {
			if _, ok := checks[0][id]; !ok {
				t.Errorf("the client's checklist has no %s check: %v", id, checks[0])
			}
		}
		// The same verdict from tokenlab's API, called here.
		var v verified
		p.MustCall(&v, "verify", run.IDToken, map[string]any{"key": run.PublicKey, "kind": "id_token", "issuer": "https://login.example.com", "clientId": "my-app", "nonce": run.Nonce, "accessToken": run.AccessToken, "now": run.T0 + 1})
		if !v.Valid {
			t.Errorf("verify disagrees: %v", v.failed())
		}
		if got := p.text(`tl-flow [data-field="nonce_token"] code`); got != run.Nonce {
			t.Errorf("nonce shown in the ID token %q, sent %q", got, run.Nonce)
		}
		if !strings.Contains(p.text("tl-flow .flow-detail"), "Alice Example") {
			t.Error("step 4 does not say who signed in")
		}
		if !strings.Contains(p.text("tl-flow .flow-detail .flow-refs"), "OIDC Core 3.1.3.7") {
			t.Error("step 4 does not cite OIDC Core 3.1.3.7")
		}
	})

	p.click(`tl-flow [data-act="next"]`)
	p.flowAt("step-5")
	t.Run("step 5 API accepts the access token", func(t *testing.T) {
		p := p.For(t)
		checks := p.shownChecks("tl-flow .flow-detail")
		if len(checks) != 2 || !allTrue(checks[0]) || !checks[1]["scope"] {
			t.Fatalf("API checks: %v", checks)
		}
		for _, id := range []string{"typ", "signature", "iss", "aud", "exp"} {
			if !checks[0][id] {
				t.Errorf("the API's checklist lacks a passing %s check: %v", id, checks[0])
			}
		}
		// The API requires RFC 9068, and says so in a green verdict.
		if v := p.verdict("tl-flow .flow-detail tl-verdict"); v.State != "valid" || v.Tone != "ok" || !strings.HasPrefix(v.Headline, "Valid RFC 9068 access token") || !strings.Contains(v.Lead, "accepts") {
			t.Errorf("the API's verdict: %+v", v)
		}
		if !strings.Contains(p.text("tl-flow .flow-detail"), "Authorization: Bearer "+run.AccessToken) {
			t.Error("the API request does not carry the access token as a Bearer token")
		}
	})

	p.click(`tl-flow [data-act="next"]`)
	p.flowAt("step-6")
	t.Run("step 6 refresh", func(t *testing.T) {
		p := p.For(t)
		if run.NewAccess == "" || run.NewAccess == run.AccessToken || run.NewRefresh == run.RefreshToken {
			t.Fatal("the refresh did not yield new tokens")
		}
		if run.Refresh["access_token"] != run.NewAccess || run.Refresh["token_type"] != "Bearer" {
			t.Errorf("refresh response %v", run.Refresh)
		}
		var v verified
		p.MustCall(&v, "verify", run.NewAccess, map[string]any{"key": run.PublicKey, "kind": "access_token", "issuer": "https://login.example.com", "audience": "https://api.example.com", "now": run.T1 + 1})
		if !v.Valid {
			t.Errorf("the new access token is not valid after the refresh: %v", v.failed())
		}
		// The old one is expired by then.
		p.MustCall(&v, "verify", run.AccessToken, map[string]any{"key": run.PublicKey, "kind": "access_token", "issuer": "https://login.example.com", "audience": "https://api.example.com", "now": run.T1 + 1})
		if v.Valid || !slices.Equal(v.failed(), []string{"exp"}) {
			t.Errorf("the old access token at refresh time: failed %v, want [exp]", v.failed())
		}
		checks := p.shownChecks("tl-flow .flow-detail")
		if len(checks) != 2 || !allTrue(checks[0]) || !allTrue(checks[1]) {
			t.Errorf("refresh checks: %v", checks)
		}
		if !p.disabled(`tl-flow [data-act="next"]`) {
			t.Error("Next should be disabled after the last step")
		}
	})

	// Back goes back; the stepper jumps.
	p.click(`tl-flow [data-act="back"]`)
	p.flowAt("step-5")
	p.click(`tl-flow .flow-step-btn[data-goto="2"]`)
	p.flowAt("step-2")
	if got := p.attr(`tl-flow .flow-step-btn[data-goto="2"]`, "aria-current"); got != "step" {
		t.Errorf("the stepper marks step 2 with aria-current=%q", got)
	}

	// Every token opens in the inspector with its explanation.
	t.Run("open in inspector", func(t *testing.T) {
		p := p.For(t)
		p.click(`tl-flow .flow-step-btn[data-goto="3"]`)
		p.flowAt("step-3")
		p.click(`tl-flow tl-flow-token[kind="access_token"] .ft-inspect`)
		p.waitFor("the inspector", `document.querySelector("#token-input").value === `+jsString(run.AccessToken))
		p.waitFor("the kind", `document.querySelector("#kind-summary .kind-badge")?.textContent === "Access token"`)
		p.click(`tl-flow tl-flow-token[kind="id_token"] .ft-inspect`)
		p.waitFor("the kind", `document.querySelector("#kind-summary .kind-badge")?.textContent === "ID token"`)
		// The in-place explanation.
		p.click(`tl-flow tl-flow-token[kind="id_token"] summary`)
		p.waitFor("the explanation", `document.querySelector('tl-flow tl-flow-token[kind="id_token"] .ft-facts')`)
	})
}

func (p *Page) shownTokens(css string) []string {
	p.t.Helper()
	var out []string
	p.js(&out, fmt.Sprintf(`[...document.querySelectorAll(%q)].map((el) => el.getAttribute("token"))`, css+" tl-flow-token"))
	return out
}

func (p *Page) disabled(css string) bool {
	p.t.Helper()
	var out bool
	p.js(&out, fmt.Sprintf(`!!document.querySelector(%q)?.disabled`, css))
	return out
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestFlowMistakes plays each mistake with one click and checks which
// checks fail, in the page and with tokenlab's API.
func TestFlowMistakes(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.Eval(`document.querySelector("#sign-in-flow").scrollIntoView(), true`) // the simulator loads as its section nears the viewport
	p.waitFor("the flow", `document.querySelector("tl-flow .mistake-grid button")`)

	for _, tc := range []struct {
		id string
		// per checklist in the mistake card: the ids that must fail (nil: all pass)
		fails [][]string
		// ids that must pass in the first checklist
		pass []string
		// text the card must show
		says []string
		// the state of each engine verdict (<tl-verdict>), in order
		verdicts []string
	}{
		{"id-token-to-api", [][]string{{"typ", "aud"}}, []string{"signature", "iss", "exp"}, []string{"401", "RFC 9068 §4", "at+jwt"}, []string{"invalid"}},
		{"client-reads-access-token", [][]string{{"typ", "aud", "nonce"}}, []string{"signature", "iss"}, []string{"RFC 9068 §6"}, []string{"invalid"}},
		{"wrong-nonce", [][]string{{"nonce"}}, []string{"signature", "iss", "aud", "exp"}, []string{"OIDC Core 3.1.3.7 step 11"}, []string{"invalid"}},
		{"wrong-audience", [][]string{{"aud"}}, []string{"signature", "typ", "iss", "exp"}, []string{"billing.example.com"}, []string{"invalid"}},
		{"expired-token", [][]string{{"exp"}, nil}, []string{"signature", "typ", "aud"}, []string{"grant_type=refresh_token"}, []string{"invalid", "valid"}},
		{"alg-none", [][]string{{"alg"}, {"signature"}}, []string{"typ", "aud"}, []string{`"alg":"none"`, "RFC 8725 §3.1"}, []string{"invalid", "invalid"}},
		{"pkce-swap", [][]string{{"code_verifier"}}, []string{"code", "client_id", "redirect_uri"}, []string{"invalid_grant", "RFC 7636 §4.6"}, nil},
		{"dpop-no-proof", nil, nil, []string{"401 Unauthorized", "WWW-Authenticate: DPoP", "RFC 9449 §7.1", "cnf.jkt"}, nil},
		{"dpop-wrong-request", [][]string{{"htm", "htu", "ath"}}, []string{"typ", "jwk", "signature", "jti", "iat", "jkt"}, []string{"invalid_dpop_proof", "RFC 9449 §4.2"}, []string{"invalid"}},
		{"dpop-replay", [][]string{nil, nil}, []string{"signature", "htm", "htu", "ath", "jkt", "jti"}, []string{"jti already used", "keeps no state", "RFC 9449 §11.1"}, []string{"valid", "valid"}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			p := p.For(t)
			p.click(fmt.Sprintf(`tl-flow .mistake-grid [data-mistake=%q]`, tc.id))
			p.flowAt("mistake-" + tc.id)
			card := fmt.Sprintf(`tl-flow .mistake-card[data-mistake=%q]`, tc.id)
			lists := p.shownChecks(card)
			if len(lists) != len(tc.fails) {
				t.Fatalf("%d checklists, want %d: %v", len(lists), len(tc.fails), lists)
			}
			for i, want := range tc.fails {
				var got []string
				for id, ok := range lists[i] {
					if !ok {
						got = append(got, id)
					}
				}
				slices.Sort(got)
				w := slices.Clone(want)
				slices.Sort(w)
				if !slices.Equal(got, w) && !(tc.id == "id-token-to-api" || tc.id == "client-reads-access-token") {
					t.Errorf("checklist %d: failed %v, want exactly %v", i, got, w)
				}
				for _, id := range want {
					if ok, present := lists[i][id]; !present || ok {
						t.Errorf("checklist %d: %s should fail: %v", i, id, lists[i])
					}
				}
			}
			for _, id := range tc.pass {
				if !lists[0][id] {
					t.Errorf("%s should pass (only the mistake should fail): %v", id, lists[0])
				}
			}
			var verdicts []string
			p.js(&verdicts, fmt.Sprintf(`[...document.querySelectorAll(%q)].map((v) => v.getAttribute("state") + " " + v.querySelector(".verdict").className)`, card+" tl-verdict"))
			if len(verdicts) != len(tc.verdicts) {
				t.Errorf("engine verdicts %v, want %v", verdicts, tc.verdicts)
			}
			for i, want := range tc.verdicts {
				tone := map[string]string{"valid": "ok", "invalid": "fail"}[want]
				if i < len(verdicts) && verdicts[i] != want+" verdict "+tone {
					t.Errorf("engine verdict %d is %q, want %s (%s)", i, verdicts[i], want, tone)
				}
			}
			text := p.text(card)
			for _, s := range append(tc.says, "Why it matters") {
				if !strings.Contains(text, s) {
					t.Errorf("the card does not say %q", s)
				}
			}
			if p.attr(fmt.Sprintf(`tl-flow .mistake-grid [data-mistake=%q]`, tc.id), "aria-pressed") != "true" {
				t.Error("the mistake's button is not pressed")
			}
		})
	}

	// The API, which requires RFC 9068 access tokens, rejects the ID token
	// for the typ and aud reasons, and the engine agrees when asked
	// directly.
	t.Run("API rejects the ID token (engine)", func(t *testing.T) {
		p := p.For(t)
		run := p.flowRun()
		var v verified
		p.MustCall(&v, "verify", run.IDToken, map[string]any{"key": run.PublicKey, "kind": "access_token_rfc9068", "issuer": "https://login.example.com", "audience": "https://api.example.com", "now": run.T0 + 2})
		if v.Valid || !slices.Contains(v.failed(), "typ") || !slices.Contains(v.failed(), "aud") {
			t.Errorf("verify(id_token as access token): failed %v, want typ and aud", v.failed())
		}
		for _, c := range v.Checks {
			if c.ID == "typ" && !strings.Contains(c.Message, "at+jwt") {
				t.Errorf("the typ reason does not name at+jwt: %q", c.Message)
			}
		}
	})

	// PKCE: the swapped verifier's hash is shown next to the real challenge.
	t.Run("PKCE swap shows both hashes", func(t *testing.T) {
		p := p.For(t)
		// Open it if another mistake was played last, then close it.
		if p.attr(`tl-flow .mistake-grid [data-mistake="pkce-swap"]`, "aria-pressed") != "true" {
			p.click(`tl-flow .mistake-grid [data-mistake="pkce-swap"]`)
			p.flowAt("mistake-pkce-swap")
		}
		p.click(`tl-flow .mistake-grid [data-mistake="pkce-swap"]`)
		p.waitFor("the mistake closed", `!document.querySelector("tl-flow .mistake-card")`)
		p.click(`tl-flow .mistake-grid [data-mistake="pkce-swap"]`)
		p.flowAt("mistake-pkce-swap")
		run := p.flowRun()
		var rows []string
		p.js(&rows, `[...document.querySelectorAll('tl-flow .mistake-card .compute code')].map((c) => c.textContent)`)
		if len(rows) != 2 || rows[0] != run.Challenge || rows[1] == run.Challenge {
			t.Errorf("compare rows %v, challenge %q", rows, run.Challenge)
		}
	})
}

// TestFlowDeepLinks opens #flow=step-N and #flow=mistake-ID links.
func TestFlowDeepLinks(t *testing.T) {
	p := NewPage(t)
	p.Open("/#flow=step-4")
	p.flowAt("step-4")
	var lanes []string
	p.js(&lanes, `[...document.querySelectorAll("tl-flow .flow-stage .seq-lane")].map((li) => li.dataset.step)`)
	for _, n := range []string{"1", "2", "3", "4"} {
		if !slices.Contains(lanes, n) {
			t.Errorf("the diagram has no message of step %s: %v", n, lanes)
		}
	}
	if slices.Contains(lanes, "5") {
		t.Errorf("the diagram shows step 5 already: %v", lanes)
	}
	if got := p.attr("tl-flow .step-card", "data-step"); got != "4" {
		t.Errorf("detail shows step %q", got)
	}
	p.settle()
	var top float64
	p.js(&top, `document.querySelector("tl-flow").getBoundingClientRect().top`)
	if top < -5 || top > 400 {
		t.Errorf("the deep link did not scroll to the flow (top %v)", top)
	}
	p.headingInView("#sign-in-flow h2")
	if got := p.attr("tl-flow .flow-link", "value"); !strings.HasSuffix(got, "#flow=step-4") {
		t.Errorf("copy link %q", got)
	}

	// A hash change in the same page.
	p.Eval(`location.hash = "#flow=mistake-id-token-to-api", true`)
	p.flowAt("mistake-id-token-to-api")
	if got := p.attr("tl-flow .step-card", "data-step"); got != "5" {
		t.Errorf("the mistake opens at step %q, want 5", got)
	}
	if fails := p.attr("tl-flow .mistake-card", "data-fails"); !strings.Contains(fails, "typ") || !strings.Contains(fails, "aud") {
		t.Errorf("mistake fails %q", fails)
	}

	// A fresh page with a mistake link.
	q := NewPage(t)
	q.Open("/#flow=mistake-pkce-swap")
	q.flowAt("mistake-pkce-swap")
	if got := q.attr("tl-flow .mistake-card", "data-fails"); got != "code_verifier" {
		t.Errorf("pkce-swap fails %q", got)
	}
	q.settle()
	q.headingInView("tl-flow .mistake-card .step-title")
	// RFC 9700 §2.1.1, as it is: MUST for public clients, RECOMMENDED for
	// confidential ones (which MAY rely on nonce), servers MUST support it.
	why := q.text("tl-flow .mistake-card .why")
	for _, want := range []string{"RFC 9700 §2.1.1", "RECOMMENDED for confidential clients", "REQUIRED for public clients", "authorization server to support it", "nonce"} {
		if !strings.Contains(why, want) {
			t.Errorf("the PKCE lesson lacks %q: %s", want, why)
		}
	}
	if strings.Contains(why, "every client, public or confidential") {
		t.Errorf("the PKCE lesson still says the BCP requires PKCE of every client: %s", why)
	}
	// A link to a step or mistake that does not exist says so, shows no
	// other one in its place, and lands on the section's heading.
	for _, tc := range []struct{ link, says string }{
		{"step-9", "step 9, but the sign-in has 6 steps"},
		{"mistake-steal-the-cookie", "the mistake “steal-the-cookie”, which the simulator does not have"},
		{"step-x", "“step-x”, which the sign-in flow does not have"},
	} {
		t.Run(tc.link, func(t *testing.T) {
			r := NewPage(t)
			r.Open("/#flow=" + tc.link)
			r.waitFor("the link's problem", `document.querySelector("tl-flow .flow-link-problem") && !document.querySelector("tl-flow .flow-link-problem").hidden`)
			if got := r.text("tl-flow .flow-link-problem"); !strings.Contains(got, tc.says) {
				t.Errorf("the page says %q, want it to say %q", got, tc.says)
			}
			r.waitFor("the intro", `document.querySelector("tl-flow .flow-intro")`)
			if got := r.attr("tl-flow", "mistake"); got != "" {
				t.Errorf("the flow shows the mistake %q instead", got)
			}
			r.settle()
			r.headingInView("#sign-in-flow h2")
		})
	}
}

// headingInView fails unless the heading matching css is within the
// viewport, below any sticky bar.
func (p *Page) headingInView(css string) {
	p.t.Helper()
	var box struct{ Top, Bottom, Height float64 }
	p.js(&box, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: innerHeight } })()`, css))
	if box.Top < 0 || box.Bottom > box.Height {
		p.t.Errorf("the heading %s is not in view: top %v, bottom %v, viewport %v", css, box.Top, box.Bottom, box.Height)
	}
}

// TestFlowLayout screenshots the flow at desktop and phone widths, light and
// dark, at an ordinary step and a mistake, and checks for horizontal overflow.
func TestFlowLayout(t *testing.T) {
	p := NewPage(t)
	p.Open("/#flow=step-3")
	p.flowAt("step-3")
	for _, shot := range []struct {
		name          string
		width, height int64
		mobile        bool
		scheme        string
		scenario      string
	}{
		{"desktop-light-intro", 1280, 900, false, "light", "step-0"},
		{"desktop-light", 1280, 900, false, "light", "step-3"},
		{"desktop-dark", 1280, 900, false, "dark", "step-5"},
		{"desktop-dark-mistake", 1280, 900, false, "dark", "mistake-id-token-to-api"},
		{"phone-light", 360, 780, true, "light", "step-1"},
		{"phone-dark", 360, 780, true, "dark", "step-3"},
		{"phone-light-mistake", 360, 780, true, "light", "mistake-pkce-swap"},
		{"phone-dark-intro", 360, 780, true, "dark", "step-0"},
	} {
		t.Run(shot.name, func(t *testing.T) {
			p := p.For(t)
			var opts []chromedp.EmulateViewportOption
			if shot.mobile {
				opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
			}
			p.Do(chromedp.EmulateViewport(shot.width, shot.height, opts...))
			if _, err := chromedp.Call(p.Context(), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: shot.scheme}, {Name: "prefers-reduced-motion", Value: "reduce"}},
			}); err != nil {
				t.Fatal(err)
			}
			p.Eval(fmt.Sprintf(`location.hash = %q, true`, "#flow="+shot.scenario))
			if shot.scenario != "step-0" {
				p.flowAt(shot.scenario)
			} else {
				p.waitFor("the intro", `document.querySelector("tl-flow .flow-intro")`)
			}
			p.settleStyles()
			var overflow struct {
				Width   int      `json:"width"`
				Culprit []string `json:"culprit"`
			}
			p.js(&overflow, `(() => {
				const width = document.documentElement.clientWidth;
				const culprit = [...document.querySelectorAll("#sign-in-flow *")]
					.filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length && !el.closest(".sr-only, .offscreen") && !el.closest("pre, .ft-text, .flow-call"))
					.slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""));
				return { width, culprit };
			})()`)
			if len(overflow.Culprit) > 0 {
				t.Errorf("%s: the flow is wider than %d px: %v", shot.name, overflow.Width, overflow.Culprit)
			}
			ctx := p.Context()
			png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#sign-in-flow"), chromedp.NodeVisible))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			if err := os.MkdirAll("artifacts", 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("artifacts", "flow-"+shot.name+".png")
			if err := os.WriteFile(path, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", path)
		})
	}
}

// TestFlowPlayAndKeyboard plays the flow on its own, pauses it, and steps
// back with the keyboard.
func TestFlowPlayAndKeyboard(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.Eval(`document.querySelector("#sign-in-flow").scrollIntoView(), true`) // the simulator loads as its section nears the viewport
	p.waitFor("the flow", `document.querySelector("tl-flow .flow-intro")`)
	p.click(`tl-flow [data-act="play"]`)
	p.flowAt("step-1")
	if p.attr(`tl-flow [data-act="play"]`, "aria-pressed") != "true" {
		t.Error("Play all is not pressed while playing")
	}
	p.flowAt("step-2") // advances without a click
	p.click(`tl-flow [data-act="play"]`)
	if p.attr(`tl-flow [data-act="play"]`, "aria-pressed") != "false" {
		t.Error("Pause did not stop the player")
	}
	var step string
	p.js(&step, `document.querySelector("tl-flow").dataset.rendered`)
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 3000))`)
	var later string
	p.js(&later, `document.querySelector("tl-flow").dataset.rendered`)
	if later != step {
		t.Errorf("the player moved on after Pause: %s → %s", step, later)
	}
	p.Do(chromedp.Focus(chromedp.CSS(`tl-flow [data-act="back"]`)), chromedp.KeyEvent(kb.ArrowLeft))
	p.waitFor("one step back", fmt.Sprintf(`document.querySelector("tl-flow").dataset.rendered !== %q`, later))
	// The pager at the end of the card moves on too.
	p.click(`tl-flow .step-pager [data-act="next"]`)
	p.flowAt(later)
}

// TestFlowAccessibility scans a step and a mistake with axe-core, light
// and dark, desktop and phone.
func TestFlowAccessibility(t *testing.T) {
	p := NewPage(t)
	p.Open("/#flow=mistake-expired-token")
	p.flowAt("mistake-expired-token")
	p.Eval(`document.querySelectorAll("tl-flow details").forEach((d) => d.open = true), true`)
	p.waitFor("the explanations", `[...document.querySelectorAll("tl-flow tl-flow-token:not([opaque]) .ft-purpose")].every((el) => el.querySelector("dl"))`)
	p.onEveryScreen(t, "", nil, nil)
}

// TestFlowDPoPMistakeLinks opens each DPoP mistake from a fresh page's
// #flow=mistake-… link: the card shows, at step 5, with the check the API
// refused on.
func TestFlowDPoPMistakeLinks(t *testing.T) {
	for _, tc := range []struct{ id, fails string }{
		{"dpop-no-proof", "proof"},
		{"dpop-wrong-request", "htm htu ath"},
		{"dpop-replay", "jti"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			p := NewPage(t)
			p.Open("/#flow=mistake-" + tc.id)
			p.flowAt("mistake-" + tc.id)
			if got := p.attr("tl-flow .step-card", "data-step"); got != "5" {
				t.Errorf("the mistake opens at step %q, want 5", got)
			}
			if got := p.attr("tl-flow .mistake-card", "data-fails"); !sameSet(strings.Fields(got), strings.Fields(tc.fails)) {
				t.Errorf("fails %q, want %q", got, tc.fails)
			}
			// The flow's one client: my-app's back end holds the DPoP key.
			if why := p.text("tl-flow .mistake-card"); !strings.Contains(why, "my-app's back end") {
				t.Errorf("the card does not say that my-app's back end holds the DPoP key")
			}
		})
	}
}
