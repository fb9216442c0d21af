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

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// The verdict as a person reads it in the Verify section: three states
// (amber "not compared", green "valid", red "not valid"), warnings under
// any of them, and expectations that only the user fills in. Screenshots
// of every state land in e2e/artifacts/verdict-*.png.

// jwtIOSample is the HS256 token jwt.io shows first, signed with its
// 19-byte secret "your-256-bit-secret".
const (
	jwtIOSample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	jwtIOSecret = "your-256-bit-secret"
)

// verdictShots are the sizes and themes every verdict is captured in.
var verdictShots = []struct {
	name          string
	width, height int64
	mobile        bool
	scheme        string
}{
	{"desktop-light", 1280, 900, false, "light"},
	{"desktop-dark", 1280, 900, false, "dark"},
	{"phone-light", 360, 780, true, "light"},
	{"phone-dark", 360, 780, true, "dark"},
}

// elementShot saves a PNG of the element matching css under
// e2e/artifacts/NAME.png.
func (p *Page) elementShot(name, css string) string {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`document.querySelector(%q).scrollIntoView({ block: "start", behavior: "instant" }), new Promise((r) => requestAnimationFrame(() => r(true)))`, css))
	png, err := chromedp.Run(p.Context(), chromedp.Screenshot(chromedp.CSS(css)))
	if err != nil {
		p.t.Fatalf("screenshot of %s: %v", css, err)
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

// contrastJS returns, for each text part of a verdict, its colour
// contrast against the verdict box's background (WCAG 2 relative
// luminance), so a test can hold every state to AA in both themes.
const contrastJS = `((css) => {
	const rgb = (s) => {
		const m = s.match(/rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/) || s.match(/color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)/);
		if (!m) return null;
		const v = m.slice(1, 4).map(Number);
		return s.startsWith("color(") ? v : v.map((x) => x / 255);
	};
	const lum = (c) => { const [r, g, b] = c.map((x) => x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
	const box = document.querySelector(css + " .verdict");
	const bg = rgb(getComputedStyle(box).backgroundColor);
	const out = {};
	for (const sel of [".verdict-lead", ".verdict-head", ".verdict-applied", ".verdict-missing", ".verdict-warnings-title", ".verdict-warnings li", ".verdict-warnings .mark", ".verdict-mark"]) {
		const el = box.querySelector(sel);
		if (!el) continue;
		const fg = rgb(getComputedStyle(el).color);
		const under = sel === ".verdict-mark" ? rgb(getComputedStyle(el).backgroundColor) : bg;
		out[sel] = fg && under ? Math.round(ratio(fg, under) * 100) / 100 : -1;
	}
	return out;
})`

// shootVerdict captures the verdict (and the whole Verify section, when
// withForm) in every size and theme, checking that its text meets WCAG AA
// contrast in each, then returns to desktop.
func (p *Page) shootVerdict(name string, withForm bool) {
	p.t.Helper()
	for _, shot := range verdictShots {
		var opts []chromedp.EmulateViewportOption
		if shot.mobile {
			opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
		}
		p.Do(chromedp.EmulateViewport(shot.width, shot.height, opts...))
		p.PrefersColorScheme(shot.scheme)
		p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`) // colour transitions
		var contrast map[string]float64
		mustJSON(p.t, p.Eval(contrastJS+`("#verdict")`), &contrast)
		for part, ratio := range contrast {
			if ratio < 4.5 {
				p.t.Errorf("%s %s: %s has contrast %.2f against the verdict's background, want at least 4.5 (WCAG AA)", name, shot.name, part, ratio)
			}
		}
		if len(contrast) < 3 {
			p.t.Errorf("%s %s: only %v of the verdict's text was measured", name, shot.name, contrast)
		}
		var overflow bool
		mustJSON(p.t, p.Eval(`document.documentElement.scrollWidth > document.documentElement.clientWidth`), &overflow)
		if overflow {
			p.t.Errorf("%s %s: the page scrolls horizontally", name, shot.name)
		}
		p.t.Logf("screenshot: %s", p.elementShot("verdict-"+name+"-"+shot.name, "#verify-result"))
		if withForm {
			p.t.Logf("screenshot: %s", p.elementShot("verify-section-"+name+"-"+shot.name, "#verify"))
		}
	}
	p.Do(chromedp.EmulateViewport(1280, 900))
	p.PrefersColorScheme("light")
}

// verifyWithPastedKey puts a token and a key into the Verify form as a
// person would (paste, choose "A key I paste", paste) and presses Verify.
func (p *Page) verifyWithPastedKey(tok, key string) {
	p.t.Helper()
	p.paste("#verify-token", tok)
	p.click(`input[name=verify-key-source][value=pasted]`)
	p.paste("#verify-key", key)
	p.click("#verify-button")
	p.waitFor("a verdict", `!document.querySelector("#verify-result").hidden && document.querySelector("#verdict").getAttribute("state")`)
}

// mintForVerdicts makes a key and an ID token outside the page.
func mintForVerdicts(t *testing.T) (idToken, publicJWK string) {
	t.Helper()
	key, err := token.GenerateKey(token.GenerateOptions{Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := token.Mint(token.MintOptions{Kind: vocab.IDToken, Key: token.KeyInput(key.PrivateJWK), Claims: json.RawMessage(`{"iss":"https://login.example.com","aud":"my-app","sub":"alice"}`)})
	if err != nil {
		t.Fatal(err)
	}
	return id.Token, string(key.PublicJWK)
}

// TestVerdictStates walks one ID token through the three states: verified
// with its key alone (amber: issuer and audience not compared, with
// buttons that lead to those fields), with the right expectations (green),
// and with a wrong issuer (red).
func TestVerdictStates(t *testing.T) {
	idToken, publicJWK := mintForVerdicts(t)
	p := NewPage(t)
	p.Open("/")
	p.verifyWithPastedKey(idToken, publicJWK)

	// Amber: nothing failed, nothing compared.
	v := p.verdict("#verdict")
	if v.State != "incomplete" || v.Tone != "warn" || v.Headline != "Signature verified — issuer and audience not compared" {
		t.Errorf("with the key alone: %+v, want the amber “issuer and audience not compared”", v)
	}
	if strings.Join(v.Buttons, " ") != "iss aud" || !strings.Contains(v.Missing, "compare its issuer and audience") {
		t.Errorf("the amber verdict does not point at the fields to fill: %+v", v)
	}
	if !strings.HasPrefix(v.Applied, "Checked as an ID token: detected (confidence ") || !strings.Contains(v.Applied, "a kind's rules apply from 70%") {
		t.Errorf("the verdict does not say which rules it applied and why: %q", v.Applied)
	}
	if checks := p.checks("#verdict"); checks["iss"] != "skip" || checks["aud"] != "skip" || checks["signature"] != "pass" {
		t.Errorf("checks %v: want signature pass, iss and aud not compared", checks)
	}
	var skipText string
	mustJSON(t, p.Eval(`document.querySelector("#verdict li[data-check=iss]").textContent`), &skipText)
	if !strings.Contains(skipText, "Not compared:") || !strings.Contains(skipText, "not compared") {
		t.Errorf("a skipped check does not say “not compared” in text: %q", skipText)
	}
	p.shootVerdict("amber", true)

	p.click(`#verdict .verdict-missing button[data-claim=aud]`)
	var focused string
	mustJSON(t, p.Eval(`document.activeElement.id`), &focused)
	if focused != "verify-audience" {
		t.Errorf("“Enter the expected audience” focused #%s, want #verify-audience", focused)
	}

	// Green: every comparison made.
	p.typeInto("#verify-audience", "my-app")
	p.typeInto("#verify-issuer", "https://login.example.com")
	p.click("#verify-button")
	p.waitFor("the green verdict", `document.querySelector("#verdict").getAttribute("state") === "valid"`)
	if v := p.verdict("#verdict"); v.Tone != "ok" || !strings.HasPrefix(v.Headline, "Valid ID token: ") || len(v.Buttons) != 0 {
		t.Errorf("with issuer and audience: %+v, want the green “Valid ID token: …”", v)
	}
	p.shootVerdict("green", false)

	// Red: the token contradicts the expected issuer.
	p.typeInto("#verify-issuer", "https://evil.example")
	p.click("#verify-button")
	p.waitFor("the red verdict", `document.querySelector("#verdict").getAttribute("state") === "invalid"`)
	v = p.verdict("#verdict")
	if v.Tone != "fail" || !strings.HasPrefix(v.Headline, "Not valid: 1 of ") || !strings.HasSuffix(v.Headline, "checks failed (iss)") {
		t.Errorf("with another issuer: %+v, want the red “Not valid: 1 of N checks failed (iss)”", v)
	}
	var failMark string
	mustJSON(t, p.Eval(`document.querySelector("#verdict li[data-check=iss]").textContent`), &failMark)
	if !strings.HasPrefix(failMark, "✗") || !strings.Contains(failMark, "Failed:") {
		t.Errorf("the failed check reads %q: want a ✗ and “Failed:” for screen readers", failMark)
	}
	p.shootVerdict("red", false)
}

// TestVerdictWarningsUnderGreen verifies jwt.io's first example with its
// 19-byte secret: valid (green), and the short secret is a warning shown
// under the verdict and in the checklist (RFC 7518 §3.2).
func TestVerdictWarningsUnderGreen(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.verifyWithPastedKey(jwtIOSample, jwtIOSecret)
	v := p.verdict("#verdict")
	if v.State != "valid" || v.Tone != "ok" || !strings.HasPrefix(v.Headline, "Valid JWT") {
		t.Errorf("jwt.io's sample with its secret: %+v, want a green valid JWT", v)
	}
	if len(v.Warnings) != 1 || v.Warnings[0] != "key_size" {
		t.Errorf("warnings under the verdict: %v, want [key_size]", v.Warnings)
	}
	if !strings.HasPrefix(v.Applied, "Checked as a JWT") {
		t.Errorf("for a token of no clear kind the verdict says %q, want “Checked as a JWT…”", v.Applied)
	}
	checks := p.checks("#verdict")
	if checks["signature"] != "pass" || checks["key_size"] != "warn" {
		t.Errorf("checks %v: want signature pass and key_size warn", checks)
	}
	var warnText string
	mustJSON(t, p.Eval(`document.querySelector("#verdict tl-checklist li[data-check=key_size]").textContent`), &warnText)
	if !strings.Contains(warnText, "Warning:") || !strings.Contains(warnText, "warning") || !strings.Contains(warnText, "19 bytes") {
		t.Errorf("the key_size warning reads %q", warnText)
	}
	p.shootVerdict("warning", false)
}

// TestVerdictExpectationsAreTheUsers: "Verify this token" copies nothing
// into the expectations; "Take iss and aud from the token" fills them
// visibly, marks them, and the verdict says the token was compared with
// itself until the user types their own values.
func TestVerdictExpectationsAreTheUsers(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.click("#keygen-button")
	p.waitFor("a key", `!document.querySelector("#key-output").hidden`)
	id := p.identities() // the mint form mints the engine's example identities
	p.click("#mint-button")
	p.waitFor("minted tokens", `document.querySelectorAll("#minted tl-token-card").length === 2`)
	p.click(`#minted tl-token-card[kind=id_token] button[data-to=verify]`)
	p.waitFor("the verdict", `document.querySelector("#verdict").getAttribute("state")`)
	var values map[string]string
	readValues := func() map[string]string {
		mustJSON(t, p.Eval(`Object.fromEntries(["verify-issuer", "verify-audience", "verify-nonce", "verify-client"].map((id) => [id, document.getElementById(id).value]))`), &values)
		return values
	}
	for id, v := range readValues() {
		if v != "" {
			t.Errorf("“Verify” filled #%s with %q; expectations are the user's", id, v)
		}
	}
	if v := p.verdict("#verdict"); v.State != "incomplete" {
		t.Errorf("verdict %+v, want amber: nothing was compared", v)
	}

	p.click("#verify-from-token")
	p.waitFor("the self-comparison", `document.querySelector("#verdict .verdict-head")?.textContent.includes("compared with the token itself")`)
	got := readValues()
	if got["verify-issuer"] != id.Issuer || got["verify-audience"] != id.ClientID || got["verify-nonce"] != "" {
		t.Errorf("taken from the token: %v, want its iss and aud only", got)
	}
	for _, id := range []string{"#verify-issuer-origin", "#verify-audience-origin"} {
		if p.isHidden(id) || p.text(id) != "from the token itself" {
			t.Errorf("%s is not marked as taken from the token: %q", id, p.text(id))
		}
	}
	if p.isHidden("#verify-origin-note") || !strings.Contains(p.text("#verify-origin-note"), "compared with itself") {
		t.Errorf("no note says the token is compared with itself: %q", p.text("#verify-origin-note"))
	}
	v := p.verdict("#verdict")
	if v.State != "incomplete" || v.Tone != "warn" || v.Headline != "Signature verified — issuer and audience compared with the token itself" {
		t.Errorf("after taking iss and aud from the token: %+v, want amber: compared with itself", v)
	}
	if checks := p.checks("#verdict"); checks["iss"] != "pass" || checks["aud"] != "pass" {
		t.Errorf("the other checks still run: %v", checks)
	}
	p.elementShot("verdict-self-compared", "#verify")

	// The user's own audience: only the issuer is still self-compared.
	p.typeInto("#verify-audience", id.ClientID)
	p.waitFor("the audience's own value", `document.querySelector("#verdict .verdict-head")?.textContent === "Signature verified — issuer compared with the token itself"`)
	if !p.isHidden("#verify-audience-origin") {
		t.Error("the audience the user typed is still marked as taken from the token")
	}
	p.typeInto("#verify-issuer", id.Issuer)
	p.waitFor("green", `document.querySelector("#verdict").getAttribute("state") === "valid"`)
	if !p.isHidden("#verify-origin-note") {
		t.Error("the self-comparison note stays after the user typed both values")
	}

	// The mint form's values, on request, are marked as such.
	p.typeInto("#verify-issuer", "")
	p.typeInto("#verify-audience", "")
	p.click("#verify-fill")
	p.waitFor("the mint form's values", `document.querySelector("#verify-issuer").value !== "" && !document.querySelector("#verify-issuer-origin").hidden`)
	if got := p.text("#verify-issuer-origin"); got != "from the mint form" {
		t.Errorf("the issuer from the mint form is marked %q", got)
	}
	p.waitFor("green", `document.querySelector("#verdict").getAttribute("state") === "valid"`)
}

// TestVerdictKinds: the "Verify as" select offers every kind with help, and
// the same Entra-shaped access token is valid in its issuer's own format
// (RFC 9068 departures as warnings) and not valid as strict RFC 9068.
func TestVerdictKinds(t *testing.T) {
	key, err := token.GenerateKey(token.GenerateOptions{Alg: "RS256", Bits: 2048})
	if err != nil {
		t.Fatal(err)
	}
	at, err := token.Mint(token.MintOptions{Kind: vocab.AccessToken, Key: token.KeyInput(key.PrivateJWK), Preset: "entra"})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPage(t)
	p.Open("/")
	var options []string
	mustJSON(t, p.Eval(`[...document.querySelectorAll("#verify-kind option")].map((o) => o.value)`), &options)
	if got := strings.Join(options, " "); got != "auto jwt id_token access_token access_token_rfc9068 logout_token refresh_token sd_jwt sd_jwt_vc dpop_proof" {
		t.Errorf("kinds offered: %s", got)
	}
	if p.attr("#verify-kind", "aria-describedby") != "verify-kind-hint" || p.text("#verify-kind-hint") == "" {
		t.Error("the kind select has no help text tied to it")
	}

	p.verifyWithPastedKey(at.Token, string(key.PublicJWK))
	choose := func(kind string) verdictShown {
		p.Do(chromedp.SetValue(chromedp.CSS("#verify-kind"), kind))
		p.Eval(`document.querySelector("#verify-kind").dispatchEvent(new Event("input", { bubbles: true })), true`)
		p.click("#verify-button")
		p.waitFor("the verdict for "+kind, fmt.Sprintf(`document.querySelector("#verdict .verdict-applied")?.textContent.includes(%q)`, map[string]string{"access_token": "issuer's own format", "access_token_rfc9068": "every rule of RFC 9068"}[kind]))
		return p.verdict("#verdict")
	}
	own := choose("access_token")
	if own.State == "invalid" || len(own.Warnings) == 0 {
		t.Errorf("an Entra access token in its issuer's format: %+v, want nothing failed and RFC 9068 departures as warnings", own)
	}
	if !strings.Contains(p.text("#verify-kind-hint"), "Entra ID") {
		t.Errorf("the help for access_token: %q", p.text("#verify-kind-hint"))
	}
	strict := choose("access_token_rfc9068")
	if strict.State != "invalid" || strict.Tone != "fail" || !strings.Contains(strict.Headline, "typ") {
		t.Errorf("the same token as strict RFC 9068: %+v, want red with typ failed", strict)
	}
}
