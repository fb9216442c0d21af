//go:build browser

package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// playgroundShows reads, from the page, everything a share link must
// restore: the inspected token, the key, the mint and verify forms and the
// minted tokens.
const playgroundShows = `(() => {
	const v = (id) => document.getElementById(id)?.value ?? null;
	const checked = (name) => document.querySelector("input[name=" + name + "]:checked")?.value ?? null;
	return {
		inspect: v("token-input"),
		kind: document.querySelector("#kind-summary .kind-badge")?.textContent ?? "",
		keyFacts: document.getElementById("key-facts")?.innerText ?? "",
		publicJwk: document.getElementById("key-public-jwk")?.textContent ?? "",
		mint: ["mint-issuer", "mint-subject", "mint-client", "mint-api", "mint-scope", "mint-nonce", "mint-lifetime", "mint-extra", "mint-preset"].map(v),
		mintKind: checked("mint-kind"),
		minted: [...document.querySelectorAll("#minted tl-token-card")].map((c) => c.getAttribute("kind") + ":" + c.getAttribute("token")),
		verify: ["verify-token", "verify-issuer", "verify-audience", "verify-nonce", "verify-client", "verify-kind", "verify-now", "verify-leeway", "verify-key"].map(v),
		keySource: checked("verify-key-source"),
	};
})()`

type playgroundState struct {
	Inspect   string   `json:"inspect"`
	Kind      string   `json:"kind"`
	KeyFacts  string   `json:"keyFacts"`
	PublicJWK string   `json:"publicJwk"`
	Mint      []string `json:"mint"`
	MintKind  string   `json:"mintKind"`
	Minted    []string `json:"minted"`
	Verify    []string `json:"verify"`
	KeySource string   `json:"keySource"`
}

// sharedState decodes the state of a share link, failing unless the link
// keeps it in the fragment.
func sharedState(t *testing.T, link string) (map[string]any, string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("the share link %q is not a URL: %v", link, err)
	}
	if u.RawQuery != "" || strings.Contains(link, "?") {
		t.Errorf("the share link has a query string; state belongs in the fragment only: %s", link)
	}
	if u.Path != "/" {
		t.Errorf("the share link points at %q, want the playground", u.Path)
	}
	raw, ok := strings.CutPrefix(u.Fragment, "state=")
	if !ok {
		t.Fatalf("the share link's fragment is not state=…: %q", u.Fragment)
	}
	data, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		t.Fatalf("the share link's state is not base64url: %v", err)
	}
	var state map[string]any
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatalf("the share link's state is not JSON: %v", err)
	}
	return state, string(data)
}

// TestShareLink builds a playground with a private key (generated, and
// also pasted into the verify form), shares it with the default options,
// and asserts that the link holds no private key material, that the
// explicit option puts it in with a warning (and keeps it out of the
// address bar), and that opening the default link in a fresh browser shows
// the same playground, saved only once the reader keeps it.
func TestShareLink(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.click("#inspect-example") // generates an ES256 key, mints a pair and inspects the ID token
	p.waitFor("the example token, inspected", `document.querySelector("#kind-summary .kind-badge") && !document.getElementById("key-output").hidden`)
	p.click("#mint-button")
	p.waitFor("the minted tokens", `document.querySelectorAll("#minted tl-token-card").length === 2`)
	var secrets struct {
		D          string `json:"d"`
		PrivateJWK string `json:"privateJwk"`
		PrivatePEM string `json:"privatePem"`
	}
	mustJSON(t, p.Eval(`({
		d: JSON.parse(document.getElementById("key-private-jwk").textContent).d,
		privateJwk: document.getElementById("key-private-jwk").textContent,
		privatePem: document.getElementById("key-private-pem").textContent,
	})`), &secrets)
	if secrets.D == "" || !strings.Contains(secrets.PrivatePEM, "PRIVATE KEY") {
		t.Fatalf("the example did not produce a private key to leak: %+v", secrets)
	}
	// A private key pasted where a public key belongs must stay out too.
	p.click(`input[name=verify-key-source][value=pasted]`)
	p.paste("#verify-key", secrets.PrivateJWK)
	p.typeInto("#verify-issuer", "https://login.example.com")
	before := p.playground()

	// Share with the default options.
	p.click("tl-share .share-button")
	p.waitFor("the share panel", `!document.querySelector("tl-share .share-panel").hidden && document.querySelector("tl-share .share-url").value`)
	var link, address string
	mustJSON(t, p.Eval(`document.querySelector("tl-share .share-url").value`), &link)
	mustJSON(t, p.Eval(`location.href`), &address)
	if address != link {
		t.Errorf("the Share button did not write the state into the address bar's fragment: %s", address)
	}
	state, text := sharedState(t, link)
	for _, leak := range []string{secrets.D, "PRIVATE KEY", `"privateJwk"`, `"privatePem"`, `"secret"`, `"d":`} {
		if strings.Contains(text, leak) || strings.Contains(link, leak) {
			t.Errorf("the default share link contains private key material (%.24q)", leak)
		}
	}
	if !strings.Contains(text, before.Inspect) || !strings.Contains(text, `"publicJwk"`) {
		t.Errorf("the share link lacks the token or the public key: %.300s", text)
	}
	if _, ok := state["theme"]; ok {
		t.Errorf("the share link carries the sender's theme; the reader's own applies")
	}
	p.windowShot("share-panel")
	var warned bool
	mustJSON(t, p.Eval(`!document.querySelector("tl-share .share-warning").hidden`), &warned)
	if warned {
		t.Errorf("the private-key warning shows although the option is off")
	}

	// The explicit option: private key in, with a warning.
	p.click("tl-share .share-private-box")
	p.waitFor("the warning", `!document.querySelector("tl-share .share-warning").hidden`)
	p.windowShot("share-panel-private")
	var withPrivate string
	mustJSON(t, p.Eval(`document.querySelector("tl-share .share-url").value`), &withPrivate)
	if _, text := sharedState(t, withPrivate); !strings.Contains(text, secrets.D) {
		t.Errorf("with the option ticked, the link should carry the private key")
	}
	mustJSON(t, p.Eval(`location.href`), &address)
	if strings.Contains(address, "#") || strings.Contains(address, secrets.D) {
		t.Errorf("a link with secrets went into the address bar (and the history): %.80s", address)
	}
	p.click("tl-share .share-private-box")
	p.waitFor("the public link again", fmt.Sprintf(`document.querySelector("tl-share .share-url").value === %q`, link))
	p.click("tl-share .share-close")
	p.waitFor("the panel to close", `document.querySelector("tl-share .share-panel").hidden`)

	// A reader opens the link in a browser that has never seen tokenlab.
	r := NewPage(t)
	r.Do(chromedp.Navigate(link))
	r.WaitReady()
	r.waitFor("the shared token, inspected", `document.querySelector("#kind-summary .kind-badge") && document.querySelectorAll("#minted tl-token-card").length === 2`)
	after := r.playground()
	want := before
	want.Verify = append([]string(nil), before.Verify...)
	want.Verify[len(want.Verify)-1] = "" // the pasted private key stayed behind
	// So did the current key's private part, and the key's facts say so.
	want.KeyFacts = strings.Replace(before.KeyFacts, "Here: it can sign", "Not here (not saved or not shared): it only verifies", 1)
	if !reflect.DeepEqual(after, want) {
		t.Errorf("the share link did not restore the playground:\n got %+v\nwant %+v", after, want)
	}
	var hash string
	mustJSON(t, r.Eval(`location.hash`), &hash)
	if hash != "" {
		t.Errorf("the fragment stays in the address bar after restoring: %.40q", hash)
	}
	// The reader only views the link: their browser saves nothing of it
	// (TestShareLinkKeepsSavedWork checks that saved work survives) until
	// they keep it, and then exactly the shared state.
	r.waitFor("the shared-link bar", `!document.getElementById("shared-view").hidden`)
	time.Sleep(400 * time.Millisecond)
	var unsaved map[string]any
	mustJSON(t, r.Eval(`JSON.parse(localStorage.getItem("tokenlab:v1"))`), &unsaved)
	for _, section := range []string{"inspect", "mint", "minted", "verify", "key"} {
		if _, ok := unsaved[section]; ok {
			t.Errorf("viewing a share link saved its %s before the reader kept it", section)
		}
	}
	r.click("#shared-keep")
	r.waitFor("the bar to go", `document.getElementById("shared-view").hidden`)
	var saved map[string]any
	mustJSON(t, r.Eval(`JSON.parse(localStorage.getItem("tokenlab:v1"))`), &saved)
	for _, section := range []string{"inspect", "mint", "minted", "verify"} {
		if !reflect.DeepEqual(saved[section], state[section]) {
			t.Errorf("restored %s differs from the link:\n got %v\nwant %v", section, saved[section], state[section])
		}
	}
	savedKey, _ := saved["key"].(map[string]any)
	sharedKey, _ := state["key"].(map[string]any)
	if !reflect.DeepEqual(savedKey["value"], sharedKey["value"]) {
		t.Errorf("restored key differs from the link:\n got %v\nwant %v", savedKey["value"], sharedKey["value"])
	}
}

func (p *Page) playground() playgroundState {
	p.t.Helper()
	var s playgroundState
	mustJSON(p.t, p.Eval(playgroundShows), &s)
	return s
}

// windowShot saves what the window shows now (not the whole page) under
// e2e/artifacts/NAME.png.
func (p *Page) windowShot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.Context(), chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll("artifacts", 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("artifacts", name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
