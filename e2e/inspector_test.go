//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The inspector teaches what the engine knows (issue 14): an opaque token
// is explained, not called a mistake; a damaged JWT is reported once; each
// kind gets its own guide, an unclear one a short line; a JWE says how it
// is encrypted; the signature state sits under the token. These tests
// paste tokens as a person would and read what the page shows.

// jwtIOExample is jwt.io's HS256 example, signed with "your-256-bit-secret".
const jwtIOExample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

// inspectorShows is what the inspector shows, read from the page.
type inspectorShows struct {
	Error      string   `json:"error"`      // #token-error, "" when hidden
	Result     bool     `json:"result"`     // the summary panel is shown
	Claims     bool     `json:"claims"`     // the header/payload panes are shown
	JWEBox     bool     `json:"jweBox"`     // the decrypt box is shown
	Badge      string   `json:"badge"`      // the kind badge
	Why        string   `json:"why"`        // the rest of the headline
	Meta       string   `json:"meta"`       // format and certainty
	Purpose    string   `json:"purpose"`    // data-kind of the guide, "" when hidden
	Findings   []string `json:"findings"`   // "severity:id"
	ErrorStyle []string `json:"errorStyle"` // visible error-styled elements in the section
	SigState   string   `json:"sigState"`   // data-state of the signature line, "" when hidden
	SigText    string   `json:"sigText"`
	Text       string   `json:"text"` // the section's visible text
}

const readInspector = `(() => {
	const q = (s) => document.querySelector(s);
	const shown = (el) => !!el && !el.closest("[hidden]") && el.getClientRects().length > 0;
	const sig = q("#sig-state");
	return {
		error: shown(q("#token-error")) ? q("#token-error").textContent : "",
		result: !q("#inspect-result").hidden,
		claims: !q("#inspect-claims").hidden,
		jweBox: !q("#jwe-box").hidden,
		badge: q("#kind-summary .kind-badge")?.textContent ?? "",
		why: q("#kind-summary .kind-why")?.textContent ?? "",
		meta: q("#kind-summary .kind-meta")?.textContent ?? "",
		purpose: q("#purpose").hidden ? "" : (q("#purpose").dataset.kind ?? ""),
		findings: [...document.querySelectorAll("#findings .finding")].map((li) => li.className.match(/sev-(\w+)/)?.[1] + ":" + li.dataset.id),
		errorStyle: [...document.querySelectorAll("#inspect .error, #inspect .sev-error, #inspect .fact-fail")].filter(shown).map((el) => el.textContent),
		sigState: sig.hidden ? "" : sig.dataset.state,
		sigText: q("#sig-state-text").textContent,
		text: q("#inspect").innerText,
	};
})()`

// inspectText pastes text into the inspector and waits until the engine's
// answer for it is shown: an error, or a summary.
func (p *Page) inspectText(text string) inspectorShows {
	p.t.Helper()
	p.Eval(`document.querySelector("#kind-summary").replaceChildren(), document.querySelector("#token-error").hidden = true, true`)
	p.paste("#token-input", text)
	p.waitFor("the inspector's answer", `!document.querySelector("#token-error").hidden || document.querySelector("#kind-summary .kind-badge")`)
	var v inspectorShows
	mustJSON(p.t, p.Eval(readInspector), &v)
	return v
}

// mintIn mints a token in the page with the engine and returns it.
func (p *Page) mintIn(opts map[string]any) string {
	p.t.Helper()
	var m struct {
		Token string `json:"token"`
	}
	p.MustCall(&m, "mint", opts)
	return m.Token
}

// newKey generates a key pair in the page.
func (p *Page) newKey(alg string) (public, private json.RawMessage) {
	p.t.Helper()
	var k struct {
		PublicJWK  json.RawMessage `json:"publicJwk"`
		PrivateJWK json.RawMessage `json:"privateJwk"`
	}
	p.MustCall(&k, "generateKey", map[string]any{"alg": alg})
	return k.PublicJWK, k.PrivateJWK
}

// githubActionsClaims are the claims of a GitHub Actions OIDC token for AWS.
var githubActionsClaims = map[string]any{
	"iss":                "https://token.actions.githubusercontent.com",
	"sub":                "repo:octo-org/octo-repo:ref:refs/heads/main",
	"aud":                "sts.amazonaws.com",
	"repository":         "octo-org/octo-repo",
	"ref":                "refs/heads/main",
	"job_workflow_ref":   "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
	"runner_environment": "github-hosted",
}

// TestInspectorOpaqueTokens pastes access tokens that are not JWTs: each
// is explained as an opaque token, with no error styling, no header or
// payload panes, the vendor named when the prefix is known, and the guide's
// lesson that a client must not depend on an access token's format.
func TestInspectorOpaqueTokens(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	for _, tc := range []struct {
		name, token, vendor string
	}{
		{"RFC 6749 example", "2YotnFZFEjr1zCsicMWpAA", ""},
		{"Google", "ya29.a0AfH6SMBx3kLqYzNQp7vV8wq9b2cRtF5hJkLmNoPqRsTuVwXyZ01234", "Google OAuth 2.0 access token"},
		{"GitHub", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "GitHub personal access token (classic)"},
		{"GitHub with Bearer", "Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a", "GitHub personal access token (classic)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := p.For(t)
			v := p.inspectText(tc.token)
			if v.Error != "" || len(v.ErrorStyle) > 0 {
				t.Errorf("error styling for an opaque token: error %q, styled %q", v.Error, v.ErrorStyle)
			}
			if v.Badge != "Opaque access token" {
				t.Errorf("badge %q, want Opaque access token", v.Badge)
			}
			if !v.Result || v.Claims || v.JWEBox {
				t.Errorf("panels: summary %v, header/payload %v, decrypt box %v; want only the summary", v.Result, v.Claims, v.JWEBox)
			}
			if !strings.Contains(v.Meta, "Not a JWT") {
				t.Errorf("format line %q does not say it is not a JWT", v.Meta)
			}
			if v.Purpose != "opaque_access_token" {
				t.Errorf("guide %q, want opaque_access_token", v.Purpose)
			}
			guide := p.text("#purpose")
			for _, want := range []string{"must not depend on its format", "introspection", "RFC 7662"} {
				if !strings.Contains(guide, want) {
					t.Errorf("the guide lacks %q: %s", want, guide)
				}
			}
			if tc.vendor != "" {
				if got := p.text("#kind-summary .opaque-format"); !strings.Contains(got, tc.vendor) {
					t.Errorf("vendor format %q, want %q", got, tc.vendor)
				}
				if href := p.attr("#kind-summary .opaque-format a", "href"); !strings.HasPrefix(href, "https://") {
					t.Errorf("the vendor's page is not linked: %q", href)
				}
			} else if p.text("#kind-summary .opaque-format") != "" {
				t.Error("a vendor format for a token with no known prefix")
			}
			for _, f := range v.Findings {
				if !strings.HasPrefix(f, "info:") {
					t.Errorf("finding %s is not a note", f)
				}
			}
			if strings.HasPrefix(tc.token, "Bearer") && (len(v.Findings) != 1 || v.Findings[0] != "info:input-bearer") {
				t.Errorf("findings %v, want the one note that Bearer was removed", v.Findings)
			}
			if v.SigState != "none" || !strings.Contains(v.SigText, "introspection") {
				t.Errorf("signature line %s %q, want none, pointing at introspection", v.SigState, v.SigText)
			}
			if !p.disabled("#inspect-to-verify") {
				t.Error("Verify this token is offered for a token only its issuer can check")
			}
		})
	}
}

// TestInspectorTruncatedJWT pastes a JWT cut short: the decoder's own
// message shows once, next to the input, and nothing generic repeats it.
func TestInspectorTruncatedJWT(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	truncated := jwtIOExample[:strings.LastIndex(jwtIOExample, ".")]
	var engineMsg string
	mustJSON(t, p.Eval(fmt.Sprintf(`tokenlab.decode(%q).catch((e) => e.message)`, truncated)), &engineMsg)
	v := p.inspectText(truncated)
	if v.Error != engineMsg {
		t.Errorf("error %q, want the engine's message %q", v.Error, engineMsg)
	}
	if len(v.ErrorStyle) != 1 {
		t.Errorf("%d error-styled messages, want one: %q", len(v.ErrorStyle), v.ErrorStyle)
	}
	if n := strings.Count(v.Text, engineMsg); n != 1 {
		t.Errorf("the message shows %d times", n)
	}
	if v.Result || v.Claims {
		t.Errorf("a token that does not decode still shows a summary (%v) or claims (%v)", v.Result, v.Claims)
	}
	if strings.Contains(v.Text, "cannot decode this") {
		t.Error("a generic 'cannot decode' message repeats the specific one")
	}
}

// TestInspectorWorkloadToken pastes a GitHub Actions OIDC token: it gets
// the workload identity guide, whose "send it to" is the party in aud.
func TestInspectorWorkloadToken(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	_, priv := p.newKey("ES256")
	token := p.mintIn(map[string]any{"kind": "jwt", "key": priv, "claims": githubActionsClaims})
	v := p.inspectText(token)
	if v.Badge != "Workload identity token" || v.Purpose != "workload_identity" {
		t.Errorf("badge %q, guide %q; want the workload identity guide", v.Badge, v.Purpose)
	}
	if !strings.Contains(v.Why, "GitHub Actions") {
		t.Errorf("the headline %q does not name GitHub Actions", v.Why)
	}
	sendTo := p.text(`#purpose [data-fact=sendTo] dd`)
	if !strings.Contains(sendTo, "named in aud") || !strings.Contains(sendTo, "This token's aud: sts.amazonaws.com") {
		t.Errorf("send it to: %q, want the party in aud, sts.amazonaws.com", sendTo)
	}
	if !strings.Contains(v.Meta, "likely") {
		t.Errorf("certainty %q, want likely", v.Meta)
	}
	if got := p.text("#purpose .sources"); !strings.Contains(got, "GitHub Actions OIDC") {
		t.Errorf("the guide's sources %q lack GitHub's page", got)
	}
}

// TestInspectorJWE pastes an encrypted ID token: the summary says
// "Encrypted token (JWE)" with both algorithms and their meanings, and that
// it must be decrypted to see its kind; a bad token pasted after it clears
// the decrypt box.
func TestInspectorJWE(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	recipient, _ := p.newKey("RSA-OAEP-256")
	_, signer := p.newKey("ES256")
	jwe := p.mintIn(map[string]any{"kind": "id_token", "key": signer, "encrypt": map[string]any{"key": recipient, "alg": "RSA-OAEP-256", "enc": "A256GCM"}})
	v := p.inspectText(jwe)
	if v.Badge != "Encrypted token (JWE)" {
		t.Errorf("badge %q, want Encrypted token (JWE)", v.Badge)
	}
	algs := p.text("#kind-summary .jwe-algs")
	for _, want := range []string{"RSA-OAEP-256", "A256GCM", "AES-256 in GCM mode"} {
		if !strings.Contains(algs, want) {
			t.Errorf("the algorithms %q lack %q", algs, want)
		}
	}
	if note := p.text("#kind-summary .kind-note"); !strings.Contains(note, "decrypt it to see its kind") {
		t.Errorf("note %q, want: decrypt it to see its kind", note)
	}
	if v.Purpose != "" || !v.JWEBox {
		t.Errorf("guide %q (want none for an unknown kind), decrypt box %v", v.Purpose, v.JWEBox)
	}
	if !strings.Contains(v.Meta, "Encrypted (JWE)") {
		t.Errorf("format line %q", v.Meta)
	}

	after := p.inspectText("eyJhbGciOiJub25lIn0.broken")
	if after.JWEBox || strings.Contains(after.Text, "This token is encrypted") {
		t.Error("a bad token after a JWE keeps the stale decrypt box")
	}
	if after.Error == "" {
		t.Error("the bad token shows no error")
	}
}

// TestInspectorUnclearKind pastes jwt.io's sample, whose claims (sub, name,
// iat) do not say what it is: one short line instead of a guide, and the
// "Bearer " prefix a note, said once.
func TestInspectorUnclearKind(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	v := p.inspectText("Bearer " + jwtIOExample)
	if v.Badge != "JWT" || v.Why != "kind unclear (resembles an ID token)" {
		t.Errorf("line %q — %q, want JWT — kind unclear (resembles an ID token)", v.Badge, v.Why)
	}
	if v.Purpose != "" {
		t.Errorf("a full guide (%s) for a token of unclear kind", v.Purpose)
	}
	if !strings.Contains(v.Meta, "kind unclear") || strings.Contains(v.Text, "confidence") || strings.Contains(v.Text, "%") {
		t.Errorf("certainty in words wanted, not a percentage: %q", v.Meta)
	}
	if p.text("#kind-summary .kind-signals .signals") == "" {
		t.Error("the signals that decided are not offered")
	}
	bearer := 0
	for _, f := range v.Findings {
		if strings.HasSuffix(f, ":input-bearer") {
			bearer++
			if f != "info:input-bearer" {
				t.Errorf("the Bearer prefix is %s, want a note", f)
			}
		}
	}
	if bearer != 1 || strings.Contains(strings.ToLower(p.text("#findings")), "was stripped") {
		t.Errorf("the Bearer prefix is reported %d times (findings %v)", bearer, v.Findings)
	}
	var color struct{ Info, Warn string }
	mustJSON(t, p.Eval(`(() => {
		const info = document.querySelector("#findings .sev-info");
		const warn = document.querySelector("#findings .sev-warn");
		return { info: info && getComputedStyle(info).backgroundColor, warn: warn && getComputedStyle(warn).backgroundColor };
	})()`), &color)
	if color.Info == "" || color.Info == color.Warn {
		t.Errorf("a note looks like a warning: background %q vs %q", color.Info, color.Warn)
	}
}

// TestInspectorSignatureState reads the one-line signature state under the
// token as keys come and go: no key, the current key (match and mismatch),
// a key pasted in Verify; its link hands the token to Verify. An expired
// token's expiry is a failure-coloured fact in the summary.
func TestInspectorSignatureState(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	sig := func(want string) string {
		t.Helper()
		p.waitFor("signature state "+want, fmt.Sprintf(`document.querySelector("#sig-state").dataset.state === %q && !document.querySelector("#sig-state").hidden`, want))
		return p.text("#sig-state-text")
	}

	p.inspectText(jwtIOExample)
	if got := sig("unchecked"); !strings.Contains(got, "no key yet") {
		t.Errorf("without a key: %q", got)
	}

	p.click("#keygen-button")
	p.waitFor("a key", `!document.querySelector("#key-output").hidden`)
	// A token signed by the key the page just generated (its private JWK tab).
	own := p.mintIn(map[string]any{"kind": "id_token", "key": p.Eval(`JSON.parse(document.querySelector("#key-private-jwk").textContent)`)})
	p.inspectText(own)
	if got := sig("verified"); got != "Signature verified with the current key (ES256)." {
		t.Errorf("own token: %q", got)
	}
	p.Do(chromedp.EmulateViewport(1280, 1000))
	t.Logf("screenshot: %s", p.viewportShot("inspector-signature-verified", "#inspect"))

	_, other := p.newKey("ES256")
	p.inspectText(p.mintIn(map[string]any{"kind": "id_token", "key": other}))
	if got := sig("mismatch"); !strings.HasPrefix(got, "Signature does not match the current key") {
		t.Errorf("another key's token: %q", got)
	}

	p.inspectText(jwtIOExample)
	if got := sig("unchecked"); !strings.HasPrefix(got, "Not checked with the current key:") {
		t.Errorf("an HS256 token with the current EC key: %q", got)
	}

	// A key pasted in Verify is the one that counts while it is chosen.
	p.click(`input[name=verify-key-source][value=pasted]`)
	p.paste("#verify-key", "your-256-bit-secret")
	p.Eval(`document.querySelector("#verify-key").dispatchEvent(new Event("input", { bubbles: true })), true`)
	if got := sig("verified"); got != "Signature verified with the key pasted in Verify (HS256)." {
		t.Errorf("with the pasted secret: %q", got)
	}

	p.click("#sig-state-link")
	p.waitFor("the token in Verify", fmt.Sprintf(`document.querySelector("#verify-token").value === %q`, jwtIOExample))

	// Expired: a fact in the summary, not a note among the findings.
	expired := p.mintIn(map[string]any{"kind": "id_token", "key": other, "now": 1700000000, "lifetime": 3600})
	v := p.inspectText(expired)
	fact := p.text(`#kind-summary [data-fact=expired]`)
	if !strings.HasPrefix(fact, "Expired ") || !strings.Contains(fact, " ago") {
		t.Errorf("expired fact %q", fact)
	}
	if len(v.ErrorStyle) == 0 || !strings.HasPrefix(v.ErrorStyle[0], "Expired") {
		t.Errorf("the expiry is not failure-coloured: %q", v.ErrorStyle)
	}
	for _, f := range v.Findings {
		if strings.HasSuffix(f, ":expired") {
			t.Errorf("expired is still listed as a finding: %v", v.Findings)
		}
	}
	t.Logf("screenshot: %s", p.viewportShot("inspector-expired-mismatch", "#inspect"))
}

// TestInspectorScreenshots saves the inspector for an opaque token, a
// workload token and a JWE at desktop and phone widths in both themes,
// and checks each with axe and that nothing overflows at 360 px.
func TestInspectorScreenshots(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	recipient, _ := p.newKey("RSA-OAEP-256")
	_, signer := p.newKey("ES256")
	tokens := map[string]string{
		"opaque":   "ya29.a0AfH6SMBx3kLqYzNQp7vV8wq9b2cRtF5hJkLmNoPqRsTuVwXyZ01234",
		"workload": p.mintIn(map[string]any{"kind": "jwt", "key": signer, "claims": githubActionsClaims}),
		"jwe":      p.mintIn(map[string]any{"kind": "id_token", "key": signer, "encrypt": map[string]any{"key": recipient, "alg": "RSA-OAEP-256", "enc": "A256GCM"}}),
	}
	for _, name := range []string{"opaque", "workload", "jwe"} {
		p.inspectText(tokens[name])
		p.onEveryScreen(t, name+"-", []string{"#inspect"}, func(p *Page, s screen) {
			// What a reader sees first: the section's top, then the
			// summary and the guide, each at the top of the viewport.
			base := "inspector-" + name + "-" + s.name
			p.t.Logf("screenshots: %s, %s", p.viewportShot(base, "#inspect"), p.viewportShot(base+"-summary", "#inspect-result"))
			if !p.isHidden("#purpose") {
				p.t.Logf("screenshot: %s", p.viewportShot(base+"-guide", "#purpose"))
			}
		})
		p.Do(chromedp.EmulateViewport(1280, 1000))
	}
}
