//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tokenlab/internal/testvectors"
)

// These tests act as a person on the playground page: they click the
// page's buttons and type in its fields, and read what the page shows.
// The engine's API is used only to cross-check what the page displays.

// waitFor polls a JavaScript condition until it is truthy, failing with
// what the page shows when it never becomes true.
func (p *Page) waitFor(what, cond string) {
	p.t.Helper()
	expr := fmt.Sprintf(`(async () => {
		const deadline = Date.now() + 20000;
		while (Date.now() < deadline) {
			try { if (%s) return true; } catch (e) {}
			await new Promise((r) => setTimeout(r, 25));
		}
		return false;
	})()`, cond)
	var ok bool
	if err := json.Unmarshal(p.Eval(expr), &ok); err != nil || !ok {
		p.t.Fatalf("waiting for %s: the page never showed it (condition %s)", what, cond)
	}
}

// text returns the trimmed textContent of the first element matching css.
func (p *Page) text(css string) string {
	p.t.Helper()
	var s string
	out := p.Eval(fmt.Sprintf(`(document.querySelector(%q)?.textContent ?? "").trim()`, css))
	if err := json.Unmarshal(out, &s); err != nil {
		p.t.Fatalf("reading %s: %v", css, err)
	}
	return s
}

// click clicks an element like a person (a real mouse event at its centre,
// after scrolling it into view).
func (p *Page) click(css string) {
	p.t.Helper()
	p.settle()
	p.Do(chromedp.ScrollIntoView(chromedp.CSS(css), chromedp.NodeVisible), chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

// settle waits until a smooth scroll has stopped, as a person waits for
// the page to stop moving before clicking.
func (p *Page) settle() {
	p.t.Helper()
	p.Eval(`(async () => {
		const frame = () => new Promise((r) => requestAnimationFrame(r));
		let last = -1, still = 0;
		for (let i = 0; i < 120 && still < 3; i++) {
			await frame();
			still = window.scrollY === last ? still + 1 : 0;
			last = window.scrollY;
		}
		return true;
	})()`)
}

// typeInto replaces a field's text by selecting it and typing keys.
func (p *Page) typeInto(css, text string) {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.select(); return true })()`, css))
	p.Do(chromedp.SendKeys(chromedp.CSS(css), "\b"+text))
}

// paste puts text into a field the way a clipboard paste does: one input
// event with the whole text (typing a 600-character token key by key would
// only make the test slow).
func (p *Page) paste(css, text string) {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		el.focus();
		el.value = %q;
		el.dispatchEvent(new ClipboardEvent("paste", { bubbles: true }));
		el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
		return true;
	})()`, css, text))
}

// attr returns an attribute of the first element matching css.
func (p *Page) attr(css, name string) string {
	p.t.Helper()
	var s string
	if err := json.Unmarshal(p.Eval(fmt.Sprintf(`document.querySelector(%q)?.getAttribute(%q) ?? ""`, css, name)), &s); err != nil {
		p.t.Fatal(err)
	}
	return s
}

// checks reads a verification checklist as id → status (pass, fail, warn
// or skip).
func (p *Page) checks(css string) map[string]string {
	p.t.Helper()
	var got map[string]string
	out := p.Eval(fmt.Sprintf(`Object.fromEntries([...document.querySelectorAll(%q)].map((li) => [li.dataset.check, li.dataset.status]))`, css+" tl-checklist li[data-check]"))
	if err := json.Unmarshal(out, &got); err != nil {
		p.t.Fatal(err)
	}
	return got
}

// verdictShown is what a <tl-verdict> shows: its state, the colour class of
// its box, and its headline.
type verdictShown struct {
	State    string   `json:"state"`
	Tone     string   `json:"tone"`
	Headline string   `json:"headline"`
	Lead     string   `json:"lead"`
	Applied  string   `json:"applied"`
	Missing  string   `json:"missing"`
	Warnings []string `json:"warnings"`
	Buttons  []string `json:"buttons"`
}

// verdict reads the <tl-verdict> matching css.
func (p *Page) verdict(css string) verdictShown {
	p.t.Helper()
	var v verdictShown
	mustJSON(p.t, p.Eval(fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		const box = el?.querySelector(".verdict");
		const text = (sel) => (el?.querySelector(sel)?.textContent ?? "").trim();
		return {
			state: el?.getAttribute("state") ?? "",
			tone: box ? ["ok", "warn", "fail"].filter((c) => box.classList.contains(c)).join(" ") : "",
			headline: text(".verdict-head"),
			lead: text(".verdict-lead"),
			applied: text(".verdict-applied"),
			missing: text(".verdict-missing"),
			warnings: [...(el?.querySelectorAll(".verdict-warnings li") ?? [])].map((li) => li.dataset.check),
			buttons: [...(el?.querySelectorAll(".verdict-missing button") ?? [])].map((b) => b.dataset.claim),
		};
	})()`, css)), &v)
	return v
}

// TestPlaygroundRoundTrip is the newcomer's whole round trip: generate a
// key, mint an ID token and an access token from one sign-in, see each
// classified, verify each, break the audience, and paste garbage.
func TestPlaygroundRoundTrip(t *testing.T) {
	p := NewPage(t)
	p.Open("/")

	// The inspector comes first and its field is named "Token".
	var name string
	mustJSON(t, p.Eval(`(() => { const ta = document.querySelector("textarea"); return [...ta.labels].map((l) => l.textContent.trim()).join(" ") })()`), &name)
	if name != "Token" {
		t.Errorf("the first textarea's accessible name = %q, want Token", name)
	}

	// Keys: ES256 is the default; generate and see the public key.
	if got := p.attr("#keygen-alg option:checked", "value"); got != "ES256" {
		t.Errorf("default algorithm = %q, want ES256", got)
	}
	p.click("#keygen-button")
	p.waitFor("the generated public key", `!document.querySelector("#key-output").hidden && document.querySelector("#key-public-jwk").textContent.includes('"kty"')`)
	if pub := p.text("#key-public-jwk"); strings.Contains(pub, `"d"`) {
		t.Errorf("the public JWK shows private material: %s", pub)
	}
	if priv := p.text("#key-private-jwk"); !strings.Contains(priv, `"d"`) {
		t.Errorf("the private JWK tab lacks the private key: %s", priv)
	}

	// Mint: the form starts from the engine's defaults (its example
	// identities), and mints an ID token and an access token side by side.
	id := p.identities()
	p.waitFor("the engine's defaults in the mint form", fmt.Sprintf(`document.querySelector("#mint-issuer").value === %q && document.querySelector("#mint-client").value === %q && document.querySelector("#mint-api").value === %q`, id.Issuer, id.ClientID, id.Audience))
	p.click("#mint-button")
	p.waitFor("two minted tokens", `document.querySelectorAll("#minted tl-token-card").length === 2`)
	p.waitFor("the comparison", `document.querySelector("tl-compare tr[data-claim=aud]")`)
	for _, claim := range []string{"typ", "aud", "scope", "nonce", "at_hash"} {
		if p.text(fmt.Sprintf(`tl-compare tr[data-claim=%q]`, claim)) == "" {
			t.Errorf("the comparison does not explain %s", claim)
		}
	}

	for _, tc := range []struct {
		kind, label, noun, audience string
	}{
		{"id_token", "ID token", "ID token", id.ClientID},
		{"access_token", "Access token", "access token", id.Audience},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			p := p.For(t)
			card := fmt.Sprintf(`#minted tl-token-card[kind=%q]`, tc.kind)
			minted := p.attr(card, "token")

			// One click sends it to the inspector, which classifies it.
			p.click(card + ` button[data-to=inspect]`)
			p.waitFor("the classification of the "+tc.label, fmt.Sprintf(`document.querySelector("#token-input").value === %q && document.querySelector("#kind-summary .kind-badge")?.textContent === %q`, minted, tc.label))
			if p.text("#kind-summary .kind-why") == "" {
				t.Errorf("%s: no signal says why it is one", tc.label)
			}
			if p.text("#purpose") == "" {
				t.Errorf("%s: no purpose guide", tc.label)
			}
			for _, claim := range []string{"iss", "sub", "aud", "exp"} {
				if !strings.Contains(p.text("#claims-payload"), claim) {
					t.Errorf("%s: the claims table lacks %s", tc.label, claim)
				}
			}
			if !strings.Contains(p.text("#claims-header"), "alg") {
				t.Errorf("%s: the header table lacks alg", tc.label)
			}

			// One click verifies it with the current key, against no
			// expectations: the signature holds, issuer and audience were
			// not compared (amber), and nothing was copied from the mint form.
			p.click(card + ` button[data-to=verify]`)
			p.waitFor("the verdict", fmt.Sprintf(`document.querySelector("#verify-token").value === %q && !document.querySelector("#verify-result").hidden && document.querySelector("#verdict").getAttribute("state")`, minted))
			if v := p.verdict("#verdict"); v.State != "incomplete" || v.Tone != "warn" || v.Headline != "Signature verified — issuer and audience not compared" {
				t.Errorf("%s: verdict %+v, want amber: issuer and audience not compared; checks %v", tc.label, v, p.checks("#verdict"))
			}
			for _, id := range []string{"verify-issuer", "verify-audience", "verify-nonce", "verify-client"} {
				var value string
				mustJSON(t, p.Eval(fmt.Sprintf(`document.getElementById(%q).value`, id)), &value)
				if value != "" {
					t.Errorf("%s: Verify filled #%s with %q: expectations are the user's", tc.label, id, value)
				}
			}
			checks := p.checks("#verdict")
			if checks["signature"] != "pass" || checks["iss"] != "skip" || checks["aud"] != "skip" {
				t.Errorf("%s: checks %v, want signature pass, iss and aud skip (not compared)", tc.label, checks)
			}

			// The amber verdict points at the field to fill; filled, it is green.
			p.click(`#verdict .verdict-missing button[data-claim=iss]`)
			var focused string
			mustJSON(t, p.Eval(`document.activeElement.id`), &focused)
			if focused != "verify-issuer" {
				t.Errorf("%s: “Enter the expected issuer” focused #%s", tc.label, focused)
			}
			p.typeInto("#verify-issuer", id.Issuer)
			p.typeInto("#verify-audience", tc.audience)
			p.click("#verify-button")
			p.waitFor("a green verdict", `document.querySelector("#verdict").getAttribute("state") === "valid"`)
			if v := p.verdict("#verdict"); v.Tone != "ok" || !strings.HasPrefix(v.Headline, "Valid "+tc.noun) {
				t.Errorf("%s: verdict %+v, want green Valid %s", tc.label, v, tc.noun)
			}
			for _, id := range []string{"signature", "exp", "iss", "aud"} {
				if got := p.checks("#verdict")[id]; got != "pass" {
					t.Errorf("%s: check %s is %q, want pass (all: %v)", tc.label, id, got, p.checks("#verdict"))
				}
			}

			// Another audience: the aud check fails and says so.
			p.typeInto("#verify-audience", "https://someone-else.example")
			p.click("#verify-button")
			p.waitFor("the aud check to fail", `document.querySelector("#verdict li[data-check=aud].fail")`)
			if v := p.verdict("#verdict"); v.State != "invalid" || v.Tone != "fail" || !strings.HasPrefix(v.Headline, "Not valid: 1 of") || !strings.Contains(v.Headline, "(aud)") {
				t.Errorf("%s: verdict after changing the audience = %+v", tc.label, v)
			}
			if checks := p.checks("#verdict"); checks["signature"] != "pass" {
				t.Errorf("%s: changing the expected audience broke the signature check: %v", tc.label, checks)
			}
			p.typeInto("#verify-issuer", "")
			p.typeInto("#verify-audience", "")
			if got := p.attr(card, "token"); got != minted {
				t.Errorf("%s: verifying changed the token", tc.label)
			}
		})
	}

	// The opt-in key fetch names the URL it would request, and requests
	// nothing until clicked (the harness fails the test on any request to
	// another origin).
	if got := p.text("#fetch-url"); got != id.Issuer+"/.well-known/openid-configuration" {
		t.Errorf("fetch keys would request %q", got)
	}

	// A malformed token shows the engine's own message next to the input.
	p.paste("#token-input", "eyJhbGciOiJIUzI1NiJ9.not-base64!.x")
	p.waitFor("the error", `!document.querySelector("#token-error").hidden`)
	var engineMsg string
	mustJSON(t, p.Eval(`tokenlab.decode("eyJhbGciOiJIUzI1NiJ9.not-base64!.x").catch((e) => e.message)`), &engineMsg)
	if got := p.text("#token-error"); got == "" || got != engineMsg {
		t.Errorf("error next to the input = %q, want the engine's message %q", got, engineMsg)
	}
	if !p.isHidden("#inspect-result") {
		t.Error("a malformed token still shows a summary panel beside its error")
	}
	if p.attr("#token-input", "aria-describedby") == "" || !strings.Contains(p.attr("#token-input", "aria-describedby"), "token-error") {
		t.Error("the error is not tied to the input with aria-describedby")
	}
}

// TestPlaygroundSimulators hands each token to the simulated API and client.
func TestPlaygroundSimulators(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.waitFor("the guide", `document.querySelector("tl-guide-table .guide-card")`)
	for _, kind := range []string{"ID token", "Access token", "Refresh token"} {
		if !strings.Contains(p.text(`tl-guide-table [data-group=issued]`), kind) {
			t.Errorf("the guide does not compare %s", kind)
		}
	}
	// The demo API requires RFC 9068 access tokens: an ID token fails the
	// profile's typed at+jwt, client_id and jti as well as the audience.
	id := p.identities()
	for _, tc := range []struct {
		button string
		result string
		ok     bool
		lead   string
		fails  []string
	}{
		{`[data-sim=api][data-send=access_token]`, "#sim-api-result", true, "200 OK.", nil},
		{`[data-sim=api][data-send=id_token]`, "#sim-api-result", false, "401 Unauthorized.", []string{"typ", "aud", "client_id", "jti"}},
		{`[data-sim=client][data-send=id_token]`, "#sim-client-result", true, "Signed in as " + id.Subject + ".", nil},
		{`[data-sim=client][data-send=access_token]`, "#sim-client-result", false, "Rejected", []string{"aud", "nonce"}},
	} {
		p.Eval(fmt.Sprintf(`document.querySelector(%q).replaceChildren(), true`, tc.result))
		p.click("button" + tc.button)
		p.waitFor("the simulator's answer", fmt.Sprintf(`document.querySelector("%s tl-verdict[state]")`, tc.result))
		v := p.verdict(tc.result + " tl-verdict")
		if want := map[bool]string{true: "valid", false: "invalid"}[tc.ok]; v.State != want || v.Tone != map[bool]string{true: "ok", false: "fail"}[tc.ok] {
			t.Errorf("%s: verdict %+v, want %s", tc.button, v, want)
		}
		if !strings.HasPrefix(v.Lead, tc.lead) {
			t.Errorf("%s: the simulator says %q, want it to begin %q", tc.button, v.Lead, tc.lead)
		}
		failed := p.checks(tc.result)
		if !tc.ok && len(failed) == 0 {
			t.Errorf("%s: rejected without the failing checks: %+v", tc.button, v)
		}
		for _, id := range tc.fails {
			if failed[id] != "fail" {
				t.Errorf("%s: check %s should be listed as failed: %v", tc.button, id, failed)
			}
		}
	}
}

// TestPlaygroundStateSurvivesReload reloads after minting: the forms, the
// tokens and the public key come back; the private key does not unless the
// user opted in.
func TestPlaygroundStateSurvivesReload(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.click("#keygen-button")
	p.waitFor("a key", `!document.querySelector("#key-output").hidden`)
	p.typeInto("#mint-subject", "bob")
	p.click("tl-theme-toggle button") // auto → light
	p.click("tl-theme-toggle button") // light → dark
	if got := p.attr("html", "data-theme"); got != "dark" {
		t.Errorf("after two clicks on the theme toggle, data-theme = %q, want dark", got)
	}
	p.click("#mint-button")
	p.waitFor("minted tokens", `document.querySelectorAll("#minted tl-token-card").length === 2`)
	p.click(`#minted tl-token-card[kind=id_token] button[data-to=inspect]`)
	p.waitFor("the inspector", `document.querySelector("#kind-summary .kind-badge")`)
	p.Eval(`new Promise((r) => setTimeout(r, 400))`) // the store saves after 250 ms

	var saved string
	mustJSON(t, p.Eval(`localStorage.getItem("tokenlab:v1") ?? ""`), &saved)
	if saved == "" {
		t.Fatal("nothing was saved")
	}
	if strings.Contains(saved, `"privatePem"`) || strings.Contains(saved, `"d":`) {
		t.Errorf("the private key was saved without opting in: %.300s", saved)
	}

	p.Do(chromedp.Reload())
	p.WaitReady()
	p.waitFor("the restored state", `document.querySelectorAll("#minted tl-token-card").length === 2 && document.querySelector("#kind-summary .kind-badge")`)
	if got := p.attr("html", "data-theme"); got != "dark" {
		t.Errorf("after a reload, data-theme = %q, want the chosen dark theme", got)
	}
	var subject string
	mustJSON(t, p.Eval(`document.querySelector("#mint-subject").value`), &subject)
	if subject != "bob" {
		t.Errorf("mint subject after reload = %q, want bob", subject)
	}
	if p.text("#key-public-jwk") == "" {
		t.Error("the public key was not restored")
	}
	if hidden := p.Eval(`document.querySelector("#key-no-private").hidden`); string(hidden) != "false" {
		t.Error("the page does not say the private key was not kept")
	}

	// Opting in keeps the private key across a reload.
	p.click("#keygen-button")
	p.waitFor("a new key", `document.querySelector("#key-private-jwk").textContent.includes('"d"')`)
	p.click("#remember-private")
	p.Eval(`new Promise((r) => setTimeout(r, 400))`)
	p.Do(chromedp.Reload())
	p.WaitReady()
	p.waitFor("the remembered private key", `document.querySelector("#key-private-jwk").textContent.includes('"d"')`)
}

// TestPlaygroundLayout checks the phone width for horizontal overflow and
// saves screenshots of desktop and phone, light and dark, in e2e/artifacts.
func TestPlaygroundLayout(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	fill(t, p)

	for _, shot := range screens {
		t.Run(shot.name, func(t *testing.T) {
			p := p.For(t)
			p.emulate(shot)
			var overflow struct {
				Width   int      `json:"width"`
				Scroll  int      `json:"scroll"`
				Culprit []string `json:"culprit"`
			}
			mustJSON(t, p.Eval(`(() => {
				const width = document.documentElement.clientWidth;
				const culprit = [...document.querySelectorAll("body *")]
					.filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length && !el.closest(".sr-only, .offscreen"))
					.slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""));
				return { width, scroll: document.documentElement.scrollWidth, culprit };
			})()`), &overflow)
			if overflow.Scroll > overflow.Width {
				t.Errorf("%s: the page scrolls horizontally: %d px of content in %d px (%v)", shot.name, overflow.Scroll, overflow.Width, overflow.Culprit)
			}
			t.Logf("screenshots: %s, %s, %s", p.Screenshot("playground-"+shot.name),
				p.viewportShot("playground-"+shot.name+"-top", "body"),
				p.viewportShot("playground-"+shot.name+"-inspect", "#inspect"))
		})
	}
}

// fill walks the page through the round trip so that screenshots and
// scans see every section with content.
func fill(t *testing.T, p *Page) {
	t.Helper()
	p.click("#keygen-button")
	p.waitFor("a key", `!document.querySelector("#key-output").hidden`)
	p.click("#mint-button")
	p.waitFor("minted tokens", `document.querySelectorAll("#minted tl-token-card").length === 2`)
	p.click(`#minted tl-token-card[kind=access_token] button[data-to=verify]`)
	p.waitFor("a verdict", `!document.querySelector("#verify-result").hidden`)
	p.click(`#minted tl-token-card[kind=id_token] button[data-to=inspect]`)
	p.waitFor("the inspector", `document.querySelector("#kind-summary .kind-badge")`)
	p.click(`button[data-sim=api][data-send=id_token]`)
	p.waitFor("the API simulator", `document.querySelector("#sim-api-result tl-verdict[state]")`)
	p.click(`button[data-sim=client][data-send=id_token]`)
	p.waitFor("the client simulator", `document.querySelector("#sim-client-result tl-verdict[state]")`)
	p.Eval(`window.scrollTo(0, 0), document.activeElement?.blur(), true`)
	// Let the copy buttons' and smooth scrolls' transient states settle.
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 300))`)
}

func mustJSON(t *testing.T, raw json.RawMessage, dst any) {
	t.Helper()
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
}

// TestPlaygroundKeygenCancel starts a slow RSA key, sees the progress
// indicator, cancels it, and generates another key afterwards.
func TestPlaygroundKeygenCancel(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.Do(chromedp.SetValue(chromedp.CSS("#keygen-alg"), "RS256"))
	p.Eval(`document.querySelector("#keygen-alg").dispatchEvent(new Event("change", { bubbles: true })), true`)
	p.waitFor("the RSA size picker", `!document.querySelector("#keygen-bits-field").hidden`)
	p.Do(chromedp.SetValue(chromedp.CSS("#keygen-bits"), "4096"))
	p.click("#keygen-button")
	p.waitFor("the progress indicator", `!document.querySelector("#keygen-progress").hidden`)
	if got := p.text("#keygen-progress-text"); !strings.Contains(got, "4096") {
		t.Errorf("progress text = %q, want it to name the key size", got)
	}
	p.click("#keygen-cancel")
	p.waitFor("the cancellation", `!document.querySelector("#keygen-error").hidden`)
	if got := p.text("#keygen-error"); !strings.Contains(got, "Cancelled") {
		t.Errorf("after Cancel: %q", got)
	}
	if !p.isHidden("#key-output") {
		t.Error("a cancelled key was shown")
	}
	p.Do(chromedp.SetValue(chromedp.CSS("#keygen-alg"), "ES256"))
	p.Eval(`document.querySelector("#keygen-alg").dispatchEvent(new Event("change", { bubbles: true })), true`)
	p.click("#keygen-button")
	p.waitFor("a key after the cancelled one", `!document.querySelector("#key-output").hidden`)
}

// TestPlaygroundDecryptsJWE imports a recipient's private key, pastes an
// encrypted ID token, decrypts it and inspects the inner token.
func TestPlaygroundDecryptsJWE(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	var recipient, signer struct {
		PublicJWK  json.RawMessage `json:"publicJwk"`
		PrivateJWK json.RawMessage `json:"privateJwk"`
	}
	p.MustCall(&recipient, "generateKey", map[string]any{"alg": "RSA-OAEP-256"})
	p.MustCall(&signer, "generateKey", map[string]any{"alg": "ES256"})
	var jwe struct {
		Token string `json:"token"`
	}
	p.MustCall(&jwe, "mint", map[string]any{"kind": "id_token", "key": signer.PrivateJWK, "encrypt": map[string]any{"key": recipient.PublicJWK, "alg": "RSA-OAEP-256", "enc": "A256GCM"}})

	p.paste("#import-input", string(recipient.PrivateJWK))
	p.click("#import-form button[type=submit]")
	p.waitFor("the imported key", `!document.querySelector("#key-output").hidden`)

	p.paste("#token-input", jwe.Token)
	p.waitFor("the JWE notice", `!document.querySelector("#jwe-box").hidden`)
	if got := p.text("#kind-summary .kind-meta"); !strings.Contains(got, "JWE") {
		t.Errorf("format line = %q, want JWE", got)
	}
	p.click("#jwe-decrypt")
	p.waitFor("the inner token", `!document.querySelector("#jwe-inner").hidden`)
	p.click("#jwe-inner")
	p.waitFor("the inner ID token", `document.querySelector("#kind-summary .kind-badge")?.textContent === "ID token"`)
}

// viewportShot scrolls the element matching css to the top of the viewport
// and saves what the viewport shows under e2e/artifacts/NAME.png.
func (p *Page) viewportShot(name, css string) string {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`document.querySelector(%q).scrollIntoView({ block: "start", behavior: "instant" }), new Promise((r) => requestAnimationFrame(() => r(true)))`, css))
	png, err := chromedp.Run(p.Context(), chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll("artifacts", 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join("artifacts", name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// identities are the engine's example identities (tokenlab.defaults()),
// which the mint form starts from.
type identities struct {
	Issuer   string `json:"issuer"`
	Subject  string `json:"subject"`
	ClientID string `json:"clientId"`
	Audience string `json:"audience"`
}

// identities reads the engine's example identities in the page.
func (p *Page) identities() identities {
	p.t.Helper()
	var d struct {
		Identities identities `json:"identities"`
	}
	p.js(&d, `tokenlab.defaults()`)
	if d.Identities.Issuer == "" {
		p.t.Fatal("tokenlab.defaults() has no example issuer")
	}
	return d.Identities
}

// screen is a viewport and colour scheme a layout test looks at.
type screen struct {
	name          string
	width, height int64
	mobile        bool
	scheme        string
}

// screens are the ones every layout test looks at: desktop and a 360 px
// phone, light and dark.
var screens = []screen{
	{"desktop-light", 1280, 1000, false, "light"},
	{"desktop-dark", 1280, 1000, false, "dark"},
	{"phone-light", 360, 780, true, "light"},
	{"phone-dark", 360, 780, true, "dark"},
}

// emulate makes the tab that screen and lets colour transitions finish
// before the caller measures or captures.
func (p *Page) emulate(s screen) {
	p.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if s.mobile {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	p.Do(chromedp.EmulateViewport(s.width, s.height, opts...))
	p.PrefersColorScheme(s.scheme)
	p.settleStyles()
}

// overflowing names up to five visible elements inside css that reach
// past the viewport's right edge.
func (p *Page) overflowing(css string) []string {
	p.t.Helper()
	var culprits []string
	mustJSON(p.t, p.Eval(fmt.Sprintf(`(() => {
		const width = document.documentElement.clientWidth;
		return [...document.querySelectorAll(%q)]
			.filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length && !el.closest(".sr-only, .offscreen, [hidden]"))
			.slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (typeof el.className === "string" && el.className ? "." + el.className.split(" ").join(".") : ""));
	})()`, css+" *")), &culprits)
	return culprits
}

// isHidden reports whether the element matching css has the hidden attribute.
func (p *Page) isHidden(css string) bool {
	p.t.Helper()
	var hidden bool
	mustJSON(p.t, p.Eval(fmt.Sprintf(`document.querySelector(%q).hidden`, css)), &hidden)
	return hidden
}

// TestPlaygroundFirstVisit is a newcomer's first click: "Show an example"
// generates a key, mints both tokens and inspects the ID token; copying
// says so; moving the clock a day ahead makes exp fail.
func TestPlaygroundFirstVisit(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	if p.isHidden("#inspect-empty") {
		t.Error("a first visit shows no guidance in the inspector")
	}
	p.click("#inspect-example")
	p.waitFor("the example ID token", `document.querySelector("#kind-summary .kind-badge")?.textContent === "ID token"`)
	if p.isHidden("#key-output") || p.text("#minted") == "" {
		t.Error("the example did not leave its key and minted tokens on the page")
	}
	if got := p.text("#kind-summary .glance"); !strings.Contains(got, "Expires") || !strings.Contains(got, "Issuer") {
		t.Errorf("at a glance: %q", got)
	}

	p.click(`#inspect tl-copy-button button`)
	p.waitFor("copy feedback", `document.querySelector("#inspect tl-copy-button button").textContent.includes("Copied")`)
	if got := p.text(`#inspect tl-copy-button [role=status]`); got == "" {
		t.Error("copying is not announced to screen readers")
	}

	p.click("#inspect-to-verify")
	p.waitFor("a verdict with nothing failed", `["valid", "incomplete"].includes(document.querySelector("#verdict").getAttribute("state"))`)
	p.click("#verify-plus-day")
	p.waitFor("exp to fail a day later", `document.querySelector("#verdict li[data-check=exp][data-status=fail]") && document.querySelector("#verdict").getAttribute("state") === "invalid"`)
	p.click("#verify-now-reset")
	p.waitFor("exp to pass again", `document.querySelector("#verdict li[data-check=exp][data-status=pass]")`)
}

// TestPlaygroundInspectsEachPaste pastes one token after another: each
// paste is classified and coloured, and the second replaces the first.
// How fast is make bench's business (first paste), not a test's.
func TestPlaygroundInspectsEachPaste(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	for _, id := range []string{"rfc7515-A.1-HS256", "rfc7515-A.3-ES256"} {
		token := testvectors.JWSByID(t, id).Token
		p.paste("#token-input", "")
		p.waitFor("the empty inspector", `document.querySelector("#inspect-result").hidden`)
		p.paste("#token-input", token)
		p.waitFor("a classification of "+id, `!document.querySelector("#inspect-result").hidden && document.querySelector("#kind-summary .kind-badge")`)
		header, _, _ := strings.Cut(token, ".")
		if got := p.text("#token-editor .seg-header"); got != header {
			t.Errorf("%s: the coloured header segment is %q, want %q", id, got, header)
		}
	}
}
