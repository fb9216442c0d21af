//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/security"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// issuerServer is an OpenID provider on an https loopback origin: under
// /good it serves a discovery document that names itself and its JWKS;
// under /other, a discovery document that names another issuer (and a
// JWKS nobody should fetch). It records every request.
type issuerServer struct {
	*httptest.Server
	jwks json.RawMessage

	mu       sync.Mutex
	requests []issuerRequest
}

type issuerRequest struct {
	Method, Path string
	// Credentials lists the Cookie, Authorization and Referer headers the
	// request carried; the page must send none.
	Credentials []string
}

func startIssuer(t *testing.T, jwks json.RawMessage) *issuerServer {
	t.Helper()
	s := &issuerServer{jwks: jwks}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// Chromium's first handshake with a certificate it has not been told
	// to accept fails by design; that is no news for the test log.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func (s *issuerServer) serve(w http.ResponseWriter, r *http.Request) {
	req := issuerRequest{Method: r.Method, Path: r.URL.RequestURI()}
	for _, h := range []string{"Cookie", "Authorization", "Referer"} {
		if r.Header.Get(h) != "" {
			req.Credentials = append(req.Credentials, h)
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	// A real provider's discovery and JWKS endpoints allow any origin.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/good/.well-known/openid-configuration":
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, s.URL+"/good", s.URL+"/good/jwks")
	case "/other/.well-known/openid-configuration":
		fmt.Fprintf(w, `{"issuer":"https://login.example.com","jwks_uri":%q}`, s.URL+"/other/jwks")
	case "/good/jwks", "/other/jwks":
		w.Write(s.jwks)
	default:
		http.NotFound(w, r)
	}
}

func (s *issuerServer) seen() []issuerRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]issuerRequest(nil), s.requests...)
}

// TestIssuerKeysArePinned is issue 13's fetched-issuer case, against a
// loopback "issuer" over https. A token whose iss names that issuer asks
// for a confirming click before anything is fetched; the keys then verify
// it with the expected issuer pinned to theirs, and changing the expected
// issuer drops them. A discovery document that names another issuer is
// refused before its JWKS is requested.
func TestIssuerKeysArePinned(t *testing.T) {
	key, err := token.GenerateKey(token.GenerateOptions{Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	srv := startIssuer(t, key.JWKS)
	issuer := srv.URL + "/good"
	minted, err := token.Mint(token.MintOptions{Kind: vocab.IDToken, Key: token.KeyInput(key.PrivateJWK), Claims: json.RawMessage(fmt.Sprintf(`{"iss":%q,"aud":"my-app"}`, issuer))})
	if err != nil {
		t.Fatal(err)
	}

	p := NewPage(t, srv.URL)
	// The test's issuer has a certificate of its own making; this tab
	// trusts it, as a developer's machine trusts its provider's.
	if _, err := chromedp.Call(p.Context(), security.SetIgnoreCertificateErrors, security.SetIgnoreCertificateErrorsParams{Ignore: true}); err != nil {
		t.Fatalf("trusting the test issuer's certificate: %v", err)
	}
	p.Open("/")
	p.paste("#verify-token", minted.Token)
	p.click("#fetch-box > summary")
	p.waitFor("the token's issuer as the fetch target", fmt.Sprintf(`document.querySelector("#fetch-url").textContent === %q`, issuer+"/.well-known/openid-configuration"))
	if got := p.text("#fetch-source"); !strings.Contains(got, "the issuer the token names") {
		t.Errorf("the page does not say the issuer came from the token: %q", got)
	}

	// The issuer came from the token: nothing is fetched before a confirming click.
	p.click("#fetch-keys")
	p.waitFor("the confirmation", `!document.querySelector("#fetch-confirm").hidden`)
	confirm := p.text("#fetch-confirm-text")
	for _, want := range []string{"The token says it was issued by " + issuer, "fetch keys from there?", "A forged token can name any issuer", "only continue if you trust this issuer"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("the confirmation %q does not say %q", confirm, want)
		}
	}
	var focused string
	mustJSON(t, p.Eval(`document.activeElement.id`), &focused)
	if focused != "fetch-confirm-yes" {
		t.Errorf("the confirmation did not take the focus (it is on #%s)", focused)
	}
	// Escape declines, and still nothing is fetched.
	p.Do(chromedp.KeyEvent(kb.Escape))
	p.waitFor("the confirmation to close", `document.querySelector("#fetch-confirm").hidden && document.activeElement.id === "fetch-keys"`)
	if seen := srv.seen(); len(seen) != 0 {
		t.Fatalf("the page contacted the issuer before the user confirmed: %+v", seen)
	}

	p.click("#fetch-keys")
	p.waitFor("the confirmation again", `!document.querySelector("#fetch-confirm").hidden`)
	p.click("#fetch-confirm-yes")
	p.waitFor("the fetched keys", `document.querySelector("#fetch-status").textContent.startsWith("Fetched 1 key")`)
	var issuerField string
	mustJSON(t, p.Eval(`document.querySelector("#verify-issuer").value`), &issuerField)
	if issuerField != issuer {
		t.Errorf("after the fetch the expected issuer is %q, want it pinned to %q", issuerField, issuer)
	}
	if got := p.text("#verify-issuer-origin"); p.isHidden("#verify-issuer-origin") || !strings.HasPrefix(got, "pinned") {
		t.Errorf("the expected issuer is not shown as pinned: %q", got)
	}
	var fetchedChosen bool
	mustJSON(t, p.Eval(`document.querySelector("input[name=verify-key-source][value=fetched]").checked && !document.querySelector("#verify-key-fetched-choice").hidden`), &fetchedChosen)
	if !fetchedChosen {
		t.Error("the fetched keys are not the chosen key")
	}

	// Verified with the pinned issuer: iss compared, the audience still to give.
	p.waitFor("a verdict with the fetched keys", `document.querySelector("#verdict").getAttribute("state") === "incomplete"`)
	v := p.verdict("#verdict")
	if v.Headline != "Signature verified — audience not compared" || !strings.Contains(v.Lead, "keys fetched from "+issuer) {
		t.Errorf("verdict with the fetched keys: %+v", v)
	}
	if checks := p.checks("#verdict"); checks["signature"] != "pass" || checks["iss"] != "pass" {
		t.Errorf("checks with the fetched keys: %v, want signature and iss pass", checks)
	}
	p.typeInto("#verify-audience", "my-app")
	p.waitFor("green", `document.querySelector("#verdict").getAttribute("state") === "valid"`)

	seen := srv.seen()
	if len(seen) != 2 || seen[0].Path != "/good/.well-known/openid-configuration" || seen[1].Path != "/good/jwks" {
		t.Errorf("the issuer saw %+v, want the discovery document, then the JWKS", seen)
	}
	for _, r := range seen {
		if r.Method != http.MethodGet || len(r.Credentials) != 0 || strings.Contains(r.Path, "eyJ") {
			t.Errorf("request %+v: want a plain GET with no cookie, authorization, referrer or token", r)
		}
	}

	// Another expected issuer: the keys vouch only for theirs, so they go.
	p.typeInto("#verify-issuer", "https://login.example.com")
	p.waitFor("the keys dropped", `document.querySelector("#fetch-status").textContent.includes("were dropped")`)
	if !p.isHidden("#verify-key-fetched-choice") {
		t.Error("the fetched keys are still offered after the expected issuer changed")
	}

	// A discovery document naming another issuer: refused, JWKS never requested.
	other := srv.URL + "/other"
	p.typeInto("#verify-issuer", other)
	p.click("#fetch-keys") // typed by the user: no confirmation
	p.waitFor("the refusal", `document.querySelector("#fetch-status").textContent.startsWith("Refused")`)
	status := p.text("#fetch-status")
	for _, want := range []string{`names the issuer “https://login.example.com”, not “` + other + `”`, "OpenID Connect Discovery 1.0 §4.3"} {
		if !strings.Contains(status, want) {
			t.Errorf("the refusal %q does not say %q", status, want)
		}
	}
	if !p.isHidden("#verify-key-fetched-choice") {
		t.Error("keys were installed from a discovery document that names another issuer")
	}
	for _, r := range srv.seen() {
		if r.Path == "/other/jwks" {
			t.Error("the page requested the JWKS of a discovery document that names another issuer")
		}
	}
	p.elementShot("issuer-keys-refused", "#verify-form")
}
