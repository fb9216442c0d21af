//go:build browser

package e2e

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tokenlab/internal/testvectors"
)

// pastedKeys is one of each encoding a pasted key arrives in, made fresh
// for the test.
type pastedKeys struct {
	spkiRSA, spkiEC, pkcs1Pub, cert, pkcs1Priv, pkcs8EC, sec1 []byte // DER
	sshEd25519, sshRSAOnEd25519Type                           string
}

func newPastedKeys(t *testing.T) pastedKeys {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "issuer.example"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	sshBlob := func(typ string, key []byte) string {
		var b []byte
		b = binary.BigEndian.AppendUint32(b, uint32(len(typ)))
		b = append(b, typ...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(key)))
		b = append(b, key...)
		return base64.StdEncoding.EncodeToString(b)
	}
	return pastedKeys{
		spkiRSA:             must(x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)),
		spkiEC:              must(x509.MarshalPKIXPublicKey(&ecKey.PublicKey)),
		pkcs1Pub:            x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey),
		cert:                must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ecKey.PublicKey, ecKey)),
		pkcs1Priv:           x509.MarshalPKCS1PrivateKey(rsaKey),
		pkcs8EC:             must(x509.MarshalPKCS8PrivateKey(ecKey)),
		sec1:                must(x509.MarshalECPrivateKey(ecKey)),
		sshEd25519:          "ssh-ed25519 " + sshBlob("ssh-ed25519", edPub) + " alice@laptop",
		sshRSAOnEd25519Type: "ssh-rsa " + sshBlob("ssh-ed25519", edPub),
	}
}

func pemText(label string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: label, Bytes: der}))
}

// privacyModule is an expression for the page's privacy.js, loaded by the
// name the build gave it (asset-manifest.json maps source names to served
// names).
const privacyModule = `(async () => {
	const { assets } = await (await fetch("/asset-manifest.json")).json();
	return import("/" + assets["privacy.js"]);
})()`

// TestPrivacyKeyTextRules holds site/privacy.js, the one detector that
// state persistence and share links both use, to the engine's rule: key
// text is private unless it is public key material in a common encoding;
// anything the engine would take as an HMAC secret is private.
func TestPrivacyKeyTextRules(t *testing.T) {
	km := newPastedKeys(t)
	b64 := base64.StdEncoding.EncodeToString
	b64url := base64.RawURLEncoding.EncodeToString
	spkiPEM := pemText("PUBLIC KEY", km.spkiRSA)
	quotedPEM, _ := json.Marshal(spkiPEM)
	publicJWK := `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`
	privateJWK := `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}`
	tests := []struct {
		name, text, form string
		private          bool
	}{
		{"empty", "", "empty", false},
		{"white space", " \n\t ", "empty", false},
		{"HMAC secret", "correct-horse-battery-staple", "secret", true},
		{"secret with a BOM", "\uFEFFhunter2-hunter2", "secret", true},
		{"single-quoted secret", "'my secret'", "secret", true},
		{"JSON string", `"a-shared-secret"`, "secret", true},
		{"JSON array of strings", `["a-shared-secret"]`, "json", true},
		{"empty JSON array", `[]`, "json", true},
		{"JSON number", `12345678`, "secret", true},
		{"JSON that is no key", `{"password":"hunter2"}`, "json", true},
		{"broken JSON", `{"kty":"EC",`, "json", true},
		{"public JWK", publicJWK, "json", false},
		{"public JWK with a BOM", "\uFEFF" + publicJWK, "json", false},
		{"private JWK", privateJWK, "json", true},
		{"oct JWK", `{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}`, "json", true},
		{"oct JWK without k", `{"kty":"oct","alg":"HS256"}`, "json", true},
		{"public JWKS", `{"keys":[` + publicJWK + `]}`, "json", false},
		{"JWKS with a private member", `{"keys":[` + publicJWK + `,` + privateJWK + `]}`, "json", true},
		{"JWKS with an oct key", `{"keys":[` + publicJWK + `,{"kty":"oct","kid":"x"}]}`, "json", true},
		{"array of public JWKs", `[` + publicJWK + `]`, "json", false},
		{"tokenlab key object, public", `{"alg":"ES256","publicJwk":` + publicJWK + `,"jwks":{"keys":[` + publicJWK + `]}}`, "json", false},
		{"tokenlab key object, private", `{"alg":"ES256","publicJwk":` + publicJWK + `,"privateJwk":` + privateJWK + `}`, "json", true},
		{"tokenlab key object with a secret", `{"alg":"HS256","secret":"c2VjcmV0"}`, "json", true},
		{"JWK carrying a private PEM", `{"kty":"EC","x5c":[],"note":` + jsonQuote(pemText("PRIVATE KEY", km.pkcs8EC)) + `}`, "json", true},
		{"public PEM", spkiPEM, "pem", false},
		{"public PEM with a BOM", "\uFEFF" + spkiPEM, "pem", false},
		{"JSON-quoted public PEM", string(quotedPEM), "pem", false},
		{"public PEM after openssl Bag Attributes", "Bag Attributes\n    friendlyName: issuer\n" + spkiPEM, "pem", false},
		{"RSA PUBLIC KEY PEM", pemText("RSA PUBLIC KEY", km.pkcs1Pub), "pem", false},
		{"certificate PEM", pemText("CERTIFICATE", km.cert), "pem", false},
		{"PRIVATE KEY PEM", pemText("PRIVATE KEY", km.pkcs8EC), "pem", true},
		{"RSA PRIVATE KEY PEM", pemText("RSA PRIVATE KEY", km.pkcs1Priv), "pem", true},
		{"EC PRIVATE KEY PEM", pemText("EC PRIVATE KEY", km.sec1), "pem", true},
		{"ENCRYPTED PRIVATE KEY PEM", pemText("ENCRYPTED PRIVATE KEY", km.pkcs8EC), "pem", true},
		{"unknown PEM type", pemText("OPENSSH PRIVATE KEY", []byte("openssh-key-v1\x00")), "pem", true},
		{"made-up PEM type", pemText("TOKENLAB THING", []byte("x")), "pem", true},
		{"public PEM followed by a private one", spkiPEM + pemText("PRIVATE KEY", km.pkcs8EC), "pem", true},
		{"BEGIN line without a label", "-----BEGIN-----\nc2VjcmV0\n-----END-----", "pem", true},
		{"bare base64 SPKI (Keycloak's public_key)", b64(km.spkiRSA), "der", false},
		{"bare base64url SPKI", b64url(km.spkiEC), "der", false},
		{"wrapped base64 SPKI", wrapLines(b64(km.spkiRSA), 64), "der", false},
		{"quoted base64 SPKI", `"` + b64(km.spkiEC) + `"`, "der", false},
		{"bare base64 certificate", b64(km.cert), "der", false},
		{"bare base64 PKCS #1 public key", b64(km.pkcs1Pub), "der", false},
		{"bare base64 PKCS #1 private key", b64(km.pkcs1Priv), "der", true},
		{"bare base64 PKCS #8 private key", b64(km.pkcs8EC), "der", true},
		{"bare base64 SEC 1 private key", b64(km.sec1), "der", true},
		{"base64 of a short SEQUENCE", b64([]byte{0x30, 0x03, 0x02, 0x01, 0x01}), "secret", true},
		{"SEQUENCE with trailing bytes", b64(append(append([]byte{}, km.spkiEC...), 0, 0)), "secret", true},
		{"base64 of random bytes", b64([]byte("this is a shared secret, 32 bytes long!")), "secret", true},
		{"ssh-ed25519 line", km.sshEd25519, "ssh", false},
		{"ssh-rsa with a password for a blob", "ssh-rsa mypassword", "secret", true},
		{"ssh line whose blob names another type", km.sshRSAOnEd25519Type, "secret", true},
	}
	p := NewPage(t)
	p.Open("/")
	cases := make([]string, len(tests))
	for i, tc := range tests {
		cases[i] = tc.text
	}
	encoded, _ := json.Marshal(cases)
	var got []struct {
		Form    string `json:"form"`
		Private bool   `json:"private"`
		Via     bool   `json:"via"`
	}
	mustJSON(t, p.Eval(fmt.Sprintf(`(async () => {
		const privacy = await %s;
		return %s.map((text) => ({ ...privacy.classifyKeyText(text), via: privacy.isPrivateKeyText(text) }));
	})()`, privacyModule, encoded)), &got)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got[i].Form != tc.form || got[i].Private != tc.private || got[i].Via != tc.private {
				t.Errorf("classifyKeyText(%.60q) = {form %q, private %v} (isPrivateKeyText %v), want {form %q, private %v}", tc.text, got[i].Form, got[i].Private, got[i].Via, tc.form, tc.private)
			}
		})
	}
}

func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// wrapLines breaks s into lines of n characters, as a PEM body is wrapped.
func wrapLines(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

// TestPrivacyVerifyBoxSecretsNeverStored: a secret typed into the verify
// form's key box never reaches storage, not even with "Remember the
// private key" on (which keeps the current key's private part only).
func TestPrivacyVerifyBoxSecretsNeverStored(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	uiClick(p, "#keygen-button")
	uiWait(p, "a generated key", `document.querySelector("#key-private-jwk").textContent.includes('"d"')`)
	uiClick(p, "#remember-private")
	var d string
	mustJSON(t, p.Eval(`JSON.parse(document.getElementById("key-private-jwk").textContent).d`), &d)
	uiClick(p, `input[name=verify-key-source][value=pasted]`)
	for _, secret := range []string{"verify-box-secret-0123456789", `["verify-box-shared-secret"]`} {
		uiSetValue(p, "#verify-key", secret)
		p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`) // the store saves after 250 ms
		p.Eval(`dispatchEvent(new PageTransitionEvent("pagehide")), true`)
		stored := uiString(p, storageDump)
		if !strings.Contains(stored, d) {
			t.Fatalf("the remembered private key is not stored, so this test proves nothing: %.300s", stored)
		}
		if strings.Contains(stored, "verify-box") {
			t.Errorf("the verify box's secret %q reached storage: %.300s", secret, stored)
		}
	}
	// Reloading shows the remembered key, and an empty key box.
	p.Do(chromedp.Reload())
	p.WaitReady()
	if v := uiString(p, `document.getElementById("verify-key").value`); v != "" {
		t.Errorf("after a reload the verify key box holds %q", v)
	}
}

// TestShareLinkKeepsSavedWork opens a share link (and an embed's "Open in
// tokenlab" link) in a browser with saved work: the page shows the link,
// storage keeps the saved work until the user keeps the link or changes
// something, and a reload without either brings the saved work back.
func TestShareLinkKeepsSavedWork(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	uiClick(p, "#keygen-button")
	uiWait(p, "a generated key", `!document.getElementById("key-output").hidden`)
	uiSetValue(p, "#mint-issuer", "https://mine.example")
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`)
	type saved struct {
		Kid    string `json:"kid"`
		Issuer string `json:"issuer"`
		Token  string `json:"token"`
	}
	const readSaved = `(() => { const s = JSON.parse(localStorage.getItem("tokenlab:v1")); return { kid: s.key?.value?.kid ?? "", issuer: s.mint?.issuer ?? "", token: s.inspect?.token ?? "" } })()`
	var mine saved
	mustJSON(t, p.Eval(readSaved), &mine)
	if mine.Kid == "" || mine.Issuer != "https://mine.example" {
		t.Fatalf("the saved work is not what the test set up: %+v", mine)
	}

	vector := testvectors.JWSByID(t, "rfc7515-A.1-HS256")
	sharedState := map[string]any{"v": 1, "inspect": map[string]any{"token": vector.Token}, "mint": map[string]any{"issuer": "https://theirs.example"}}
	raw, _ := json.Marshal(sharedState)
	links := map[string]string{
		"share link":       env.base + "/#state=" + base64.RawURLEncoding.EncodeToString(raw),
		"Open in tokenlab": env.base + "/#state=" + base64.RawURLEncoding.EncodeToString([]byte(`{"v":1,"inspect":{"token":"`+vector.Token+`"},"verify":{"token":"`+vector.Token+`","keySource":"pasted","keyText":"embed-secret-0123456789"}}`)),
	}
	for _, name := range []string{"share link", "Open in tokenlab"} {
		link := links[name]
		t.Run(name, func(t *testing.T) {
			p := p.For(t)
			if name == "share link" {
				p.Do(chromedp.Navigate("about:blank")) // a fresh load, not a fragment change
			}
			p.Do(chromedp.Navigate(link))
			p.WaitReady()
			p.waitFor("the shared token, inspected", fmt.Sprintf(`document.getElementById("token-input").value === %q && document.querySelector("#kind-summary .kind-badge")`, vector.Token))
			p.waitFor("the shared-link bar", `!document.getElementById("shared-view").hidden`)
			if name == "share link" {
				shootSharedBar(p)
				for _, scheme := range []string{"light", "dark"} {
					p.PrefersColorScheme(scheme)
					p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`) // colour transitions
					if bad := runAxe(t, p); len(bad) > 0 {
						t.Errorf("the page with the shared-link bar, %s: %d serious or critical accessibility violations:\n%s", scheme, len(bad), strings.Join(bad, "\n"))
					}
				}
				p.PrefersColorScheme("light")
			}
			p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`)
			p.Eval(`dispatchEvent(new PageTransitionEvent("pagehide")), true`)
			var now saved
			mustJSON(t, p.Eval(readSaved), &now)
			if now != mine {
				t.Errorf("viewing the link changed the saved work: %+v, want %+v", now, mine)
			}
			// A reload without keeping it: the saved work is back.
			p.Do(chromedp.Reload())
			p.WaitReady()
			p.waitFor("the saved work", `document.getElementById("shared-view").hidden && !document.getElementById("key-output").hidden`)
			mustJSON(t, p.Eval(readSaved), &now)
			if now != mine {
				t.Errorf("after a reload the saved work is %+v, want %+v", now, mine)
			}
			if got := uiString(p, `document.getElementById("mint-issuer").value`); got != mine.Issuer {
				t.Errorf("after a reload the mint form shows issuer %q, want the saved %q", got, mine.Issuer)
			}
		})
	}

	// Changing something in the viewed link makes it the user's own.
	p.Do(chromedp.Navigate(links["share link"]))
	p.WaitReady()
	p.waitFor("the shared-link bar", `!document.getElementById("shared-view").hidden`)
	uiSetValue(p, "#mint-subject", "bob")
	p.waitFor("the bar to go", `document.getElementById("shared-view").hidden`)
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 400))`)
	var changed saved
	mustJSON(t, p.Eval(readSaved), &changed)
	if changed.Issuer != "https://theirs.example" || changed.Token != vector.Token {
		t.Errorf("after a change in the shared view the saved work is %+v, want the shared state", changed)
	}
}

// shootSharedBar saves the shared-link bar as it looks on a desktop in the
// light theme and on a phone in the dark theme (e2e/artifacts/shared-view-*.png).
func shootSharedBar(p *Page) {
	p.t.Helper()
	shot := func(name, scheme string, width, height int64, opts ...chromedp.EmulateViewportOption) {
		p.t.Helper()
		p.Do(chromedp.EmulateViewport(width, height, opts...))
		p.PrefersColorScheme(scheme)
		p.Eval(`document.getElementById("shared-view").scrollIntoView({ block: "center" }), new Promise((r) => setTimeout(() => r(true), 400))`)
		p.windowShot(name)
	}
	shot("shared-view-desktop-light", "light", 1280, 800)
	shot("shared-view-phone-dark", "dark", 360, 780, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	p.Do(chromedp.EmulateViewport(1280, 1000))
	p.PrefersColorScheme("light")
}
