//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// DPoP (RFC 9449) in the page: a proof pasted into the inspector, its own
// key explained, then verified against the request it came with.

// dpopMinted is a DPoP key, a bound access token and a proof for it.
type dpopMinted struct {
	Key         json.RawMessage
	AccessToken string
	Proof       string
	JKT         string
}

// mintDPoP mints, with the engine in the page, an access token bound to a
// new client key (cnf.jkt) and a proof for GET https://api.example.com/v1/orders.
func (p *Page) mintDPoP() dpopMinted {
	p.t.Helper()
	_, issuer := p.newKey("ES256")
	var client struct {
		PrivateJWK json.RawMessage `json:"privateJwk"`
		Thumbprint string          `json:"thumbprint"`
	}
	p.MustCall(&client, "generateKey", map[string]any{"alg": "ES256"})
	var at struct {
		Token   string         `json:"token"`
		Payload map[string]any `json:"payload"`
	}
	p.MustCall(&at, "mint", map[string]any{"kind": "access_token", "key": issuer, "dpopKey": client.PrivateJWK})
	cnf, _ := at.Payload["cnf"].(map[string]any)
	jkt, _ := cnf["jkt"].(string)
	if jkt == "" || jkt != client.Thumbprint {
		p.t.Fatalf("the bound token's cnf.jkt %q is not the client key's thumbprint %q", jkt, client.Thumbprint)
	}
	var proof struct {
		Token string `json:"token"`
	}
	p.MustCall(&proof, "mint", map[string]any{"kind": "dpop_proof", "key": client.PrivateJWK, "htm": "GET", "htu": "https://api.example.com/v1/orders", "accessToken": at.Token})
	return dpopMinted{Key: client.PrivateJWK, AccessToken: at.Token, Proof: proof.Token, JKT: jkt}
}

// TestDPoPInspector pastes a proof: the inspector names the kind, checks
// the signature with the key in the proof's header and shows that key's
// thumbprint; "Verify this proof" opens Verify with the DPoP rules, which
// need the request's method and URL but no key.
func TestDPoPInspector(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	m := p.mintDPoP()
	v := p.inspectText(m.Proof)
	if v.Badge != "DPoP proof" {
		t.Errorf("badge %q, want DPoP proof", v.Badge)
	}
	p.waitFor("the thumbprint", `document.querySelector("#dpop-jkt").textContent !== "…"`)
	if p.isHidden("#dpop-box") {
		t.Fatal("the proof's key box is hidden")
	}
	if got := p.text("#dpop-jkt"); got != m.JKT {
		t.Errorf("thumbprint shown %q, want %q", got, m.JKT)
	}
	if got := p.attr("#sig-state", "data-state"); got != "verified" {
		t.Errorf("signature state %q (%s), want verified with the proof's own key", got, p.text("#sig-state-text"))
	}
	if got := p.text("#inspect-to-verify"); got != "Verify this proof" {
		t.Errorf("the verify button says %q", got)
	}

	p.click("#inspect-to-verify")
	p.waitFor("the DPoP form", `document.querySelector("#verify-kind").value === "dpop_proof" && !document.querySelector("#verify-dpop").hidden`)
	if !p.isHidden("#verify-dpop-key") && p.text("#verify-dpop-key") == "" {
		t.Error("the DPoP form does not say why no key is asked for")
	}
	if hidden := p.Eval(`!!document.querySelector("fieldset.key-choice").closest("[hidden]") || document.querySelector("fieldset.key-choice").hidden`); string(hidden) != "true" {
		t.Error("the key choice is shown for a DPoP proof, which carries its own key")
	}
	// Without the request, the method and URL are not compared.
	p.click("#verify-button")
	p.waitFor("a verdict", `!document.querySelector("#verify-result").hidden && document.querySelector("#verdict").getAttribute("state")`)
	if got := p.verdict("#verdict"); !strings.Contains(got.Missing, "htm") || !strings.Contains(got.Missing, "htu") {
		t.Errorf("without a request the verdict should say htm and htu were not compared: %+v", got)
	}
	p.typeInto("#verify-htm", "GET")
	p.typeInto("#verify-htu", "https://api.example.com/v1/orders")
	p.paste("#verify-access-token", m.AccessToken)
	p.click("#verify-button")
	p.waitFor("the valid verdict", `document.querySelector("#verdict").getAttribute("state") === "valid"`)
	checks := p.checks("#verdict")
	for _, id := range []string{"typ", "jwk", "signature", "htm", "htu", "ath", "jti"} {
		if checks[id] != "pass" {
			t.Errorf("check %s = %q, want pass (all %v)", id, checks[id], checks)
		}
	}

	// The same proof for another method fails on htm.
	p.typeInto("#verify-htm", "POST")
	p.click("#verify-button")
	p.waitFor("the htm failure", `document.querySelector("#verdict").getAttribute("state") === "invalid"`)
	if got := p.checks("#verdict")["htm"]; got != "fail" {
		t.Errorf("htm %q for a POST, want fail", got)
	}
}

// TestMintDPoP mints, in the Mint section, an access token bound to a
// client key generated in the page and a proof for a request; the page
// shows the thumbprint where it appears (cnf.jkt) and the proof verifies
// valid in Verify with the form's request and the bound token.
func TestMintDPoP(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.click("#dpop-mint-box > summary")
	p.click("#dpop-new-key")
	p.waitFor("the client key", `document.querySelector("#dpop-key-note").textContent.includes("thumbprint")`)
	p.Eval(`(() => { const s = document.querySelector("#dpop-htm"); s.value = "POST"; s.dispatchEvent(new Event("input", { bubbles: true })); return true; })()`)
	p.typeInto("#dpop-htu", "https://api.example.com/v1/orders")
	p.click("#dpop-mint")
	p.waitFor("the bound pair", `!document.querySelector("#dpop-minted").hidden && document.querySelector("#dpop-proof-card").token`)
	thumb, cnf := p.text("#dpop-thumb"), p.text("#dpop-cnf")
	if thumb == "" || thumb != cnf {
		t.Errorf("thumbprint %q, cnf.jkt %q: want the same", thumb, cnf)
	}
	at := strings.Trim(string(p.Eval(`document.querySelector("#dpop-at-card").token`)), `"`)
	proof := strings.Trim(string(p.Eval(`document.querySelector("#dpop-proof-card").token`)), `"`)
	var ok struct {
		Verdict string `json:"verdict"`
		JKT     string `json:"jkt"`
	}
	p.MustCall(&ok, "verify", proof, map[string]any{"kind": "dpop_proof", "htm": "POST", "htu": "https://api.example.com/v1/orders", "accessToken": at})
	if ok.Verdict != "valid" || ok.JKT != thumb {
		t.Errorf("the engine says %+v of the minted proof; want valid with jkt %s", ok, thumb)
	}

	p.click(`#dpop-proof-card button[data-to=verify]`)
	p.waitFor("the DPoP form in Verify", `document.querySelector("#verify-kind").value === "dpop_proof" && !document.querySelector("#verify-dpop").hidden`)
	p.click("#verify-fill")
	p.waitFor("the request from the mint form", `document.querySelector("#verify-htm").value === "POST" && document.querySelector("#verify-access-token").value !== ""`)
	p.click("#verify-button")
	p.waitFor("a verdict", `!document.querySelector("#verify-result").hidden && document.querySelector("#verdict").getAttribute("state")`)
	if v := p.verdict("#verdict"); v.State != "valid" {
		t.Fatalf("verdict %+v, want valid; checks %v", v, p.checks("#verdict"))
	}
	if got := p.checks("#verdict"); got["jkt"] != "pass" || got["ath"] != "pass" {
		t.Errorf("checks %v: want jkt and ath to pass", got)
	}
}

// dpopExchange is one request and answer the DPoP simulator shows.
type dpopExchange struct {
	Status string   `json:"status"`
	Fails  string   `json:"fails"`
	HTTP   string   `json:"http"`
	Lead   string   `json:"lead"`
	State  string   `json:"state"`
	Checks []string `json:"checks"` // failed check ids of its verdict
}

// playDPoPSim presses one of the DPoP simulator's buttons and reads what it shows.
func (p *Page) playDPoPSim(scenario string) []dpopExchange {
	p.t.Helper()
	p.Eval(`document.querySelector("#sim-dpop-result").replaceChildren(), true`)
	p.click(fmt.Sprintf(`#dpop-sim button[data-dpop=%q]`, scenario))
	p.waitFor("the simulated API's answer", fmt.Sprintf(`document.querySelector("#sim-dpop-result").dataset.scenario === %q && document.querySelector("#sim-dpop-result .dpop-exchange") || document.querySelector("#sim-dpop-result .error")`, scenario))
	if e := p.text("#sim-dpop-result .error"); e != "" {
		p.t.Fatalf("the simulator failed: %s", e)
	}
	var out []dpopExchange
	mustJSON(p.t, p.Eval(`[...document.querySelectorAll("#sim-dpop-result .dpop-exchange")].map((x) => ({
		status: x.dataset.status, fails: x.dataset.fails, http: x.querySelector("pre").textContent,
		lead: (x.querySelector(".dpop-refusal")?.textContent ?? x.querySelector(".verdict-lead")?.textContent ?? "").trim(),
		state: x.querySelector("tl-verdict")?.getAttribute("state") ?? "",
		checks: [...x.querySelectorAll("tl-checklist li[data-check][data-status=fail]")].map((li) => li.dataset.check),
	}))`), &out)
	return out
}

// TestDPoPSimulator plays the API that requires DPoP: the correct request
// succeeds; the token without a proof, a proof for another request, a
// replayed proof, a thief's proof and a stale proof each get a 401 with a
// DPoP challenge and the check that failed.
func TestDPoPSimulator(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	cases := []struct {
		scenario string
		statuses []string
		fails    []string // of the last exchange
		lead     string
	}{
		{"ok", []string{"200"}, nil, "not seen before"},
		{"no-proof", []string{"401"}, []string{"proof"}, "nothing in the request proves"},
		{"other-request", []string{"401"}, []string{"htm", "htu"}, "does not fit this request"},
		{"replay", []string{"200", "401"}, []string{"jti"}, "keeps no state"},
		{"stolen", []string{"401"}, []string{"jkt"}, "not the one the token is bound to"},
		{"stale", []string{"401"}, []string{"iat"}, "too old"},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			p := p.For(t)
			got := p.playDPoPSim(tc.scenario)
			var statuses []string
			for _, x := range got {
				statuses = append(statuses, x.Status)
			}
			if !slices.Equal(statuses, tc.statuses) {
				t.Fatalf("statuses %v, want %v: %+v", statuses, tc.statuses, got)
			}
			last := got[len(got)-1]
			if fails := strings.Fields(last.Fails); !slices.Equal(fails, tc.fails) {
				t.Errorf("failed %v, want %v", fails, tc.fails)
			}
			if !strings.Contains(last.Lead, tc.lead) {
				t.Errorf("the explanation %q lacks %q", last.Lead, tc.lead)
			}
			if last.Status == "401" && !strings.Contains(last.HTTP, `WWW-Authenticate: DPoP error=`) {
				t.Errorf("a 401 without a DPoP challenge:\n%s", last.HTTP)
			}
			// The engine's verdict: a replayed proof passes every check of
			// the stateless engine; the other refusals fail the check named.
			switch tc.scenario {
			case "ok", "replay":
				if last.State != "valid" {
					t.Errorf("the engine's verdict on the proof: %q, want valid", last.State)
				}
			case "no-proof":
				if last.State != "" {
					t.Errorf("a verdict shown where there was no proof to check: %q", last.State)
				}
			default:
				if last.State != "invalid" || !sameSet(last.Checks, tc.fails) {
					t.Errorf("verdict %q with failed checks %v, want invalid with %v", last.State, last.Checks, tc.fails)
				}
			}
		})
	}
}

// TestDPoPSimulatorLayout shows the replay case on every screen: nothing
// past the right edge, axe clean, a screenshot for a person to look at.
func TestDPoPSimulatorLayout(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.playDPoPSim("replay")
	p.onEveryScreen(t, "", []string{"#dpop-sim"}, func(p *Page, s screen) {
		p.t.Logf("screenshot: %s", p.elementShot("dpop-simulator-"+s.name, "#dpop-sim"))
	})
}

// TestEmbedDPoPProof verifies a proof in embed.html from the fragment's
// htm and htu alone: no key= is needed, and the wrong method fails htm.
func TestEmbedDPoPProof(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	m := p.mintDPoP()
	q := NewPage(t)
	base := "/embed.html#mode=verify&htu=" + url.QueryEscape("https://api.example.com/v1/orders") + "&token=" + m.Proof
	q.Open(base + "&htm=GET&access_token=" + m.AccessToken)
	q.waitFor("the verdict", `document.querySelector("#embed-view tl-verdict")?.getAttribute("state")`)
	if v := q.verdict("#embed-view tl-verdict"); v.State != "valid" {
		t.Errorf("embed verdict %+v, want valid; checks %v", v, q.checks("#embed-view tl-verdict"))
	}
	if got := q.checks("#embed-view tl-verdict"); got["ath"] != "pass" || got["jkt"] != "pass" || got["htu"] != "pass" {
		t.Errorf("checks %v", got)
	}
	q.Eval(fmt.Sprintf(`location.hash = %q, true`, strings.TrimPrefix(base, "/embed.html#")+"&htm=POST"))
	q.waitFor("the htm failure", `document.querySelector("#embed-view tl-verdict")?.getAttribute("state") === "invalid"`)
	if got := q.checks("#embed-view tl-verdict")["htm"]; got != "fail" {
		t.Errorf("htm %q for POST, want fail", got)
	}
}

// TestMintFormatsLayout fills the Mint section's SD-JWT and DPoP forms
// (issued, presented, minted) and looks at them on every screen: nothing
// past the right edge, axe clean in both themes, screenshots for a person.
func TestMintFormatsLayout(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.click("#sdjwt-box > summary")
	p.waitFor("the engine's default claims", `document.querySelector("#sdjwt-picker input[data-path]")`)
	p.click("#sdjwt-issue")
	p.waitFor("the issued SD-JWT", `!document.querySelector("#sdjwt-issued").hidden`)
	p.click("#sdjwt-present")
	p.waitFor("the presentation", `!document.querySelector("#sdjwt-presented").hidden`)
	p.click("#dpop-mint-box > summary")
	p.click("#dpop-mint")
	p.waitFor("the bound pair", `!document.querySelector("#dpop-minted").hidden`)
	if e := p.text("#sdjwt-error") + p.text("#sdjwt-present-error") + p.text("#dpop-error"); e != "" {
		t.Fatalf("the forms say: %s", e)
	}
	p.onEveryScreen(t, "", []string{"#sdjwt-box", "#dpop-mint-box"}, func(p *Page, s screen) {
		p.t.Logf("screenshots: %s, %s", p.elementShot("mint-sd-jwt-"+s.name, "#sdjwt-box"), p.elementShot("mint-dpop-"+s.name, "#dpop-mint-box"))
	})
}
