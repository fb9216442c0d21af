package dpop

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

type vectors struct {
	Proof41 struct {
		Proof, HTM, HTU string
		IAT             int64
	} `json:"proof_4_1"`
	Proof71 struct {
		Proof, HTM, HTU, AccessToken, ATH string
		IAT                               int64
	} `json:"proof_7_1"`
	AccessToken61 struct {
		Token, JKT string
	} `json:"access_token_6_1"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rfc9449.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	v.Proof71.AccessToken = gjson(b, "proof_7_1", "access_token")
	return v
}

// gjson reads one string member of a member of a JSON object.
func gjson(b []byte, outer, inner string) string {
	var m map[string]map[string]any
	_ = json.Unmarshal(b, &m)
	s, _ := m[outer][inner].(string)
	return s
}

func statuses(checks []token.Check) map[string]token.Status {
	out := map[string]token.Status{}
	for _, c := range checks {
		out[c.ID] = c.Status
	}
	return out
}

func checkList(checks []token.Check) string {
	var b strings.Builder
	for _, c := range checks {
		b.WriteString(c.ID + " " + string(c.Status) + ": " + c.Message + " [" + c.Ref + "]\n")
	}
	return b.String()
}

// TestRFC9449Proofs verifies the proofs of §4.1 and §7.1 with their own
// jwk at their iat, the ath of §7.1 and the jkt of §6.1.
func TestRFC9449Proofs(t *testing.T) {
	vec := loadVectors(t)
	v, err := Verify(vec.Proof41.Proof, VerifyOptions{HTM: vec.Proof41.HTM, HTU: vec.Proof41.HTU, Now: time.Unix(vec.Proof41.IAT+2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Verdict != token.VerdictValid {
		t.Fatalf("§4.1 proof: %s\n%s", v.Summary, checkList(v.Checks))
	}
	if v.JKT != vec.AccessToken61.JKT {
		t.Errorf("thumbprint of the proof key = %s, want §6.1's jkt %s", v.JKT, vec.AccessToken61.JKT)
	}
	ids := []string{}
	for _, c := range v.Checks {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, ",") != "typ,jwk,alg,signature,jti,htm,htu,iat" {
		t.Errorf("checks = %v", ids)
	}

	if got := AccessTokenHash(vec.Proof71.AccessToken); got != vec.Proof71.ATH {
		t.Errorf("ath of %q = %s, want %s", vec.Proof71.AccessToken, got, vec.Proof71.ATH)
	}
	v, err = Verify(vec.Proof71.Proof, VerifyOptions{HTM: vec.Proof71.HTM, HTU: vec.Proof71.HTU, AccessToken: vec.Proof71.AccessToken, Now: time.Unix(vec.Proof71.IAT, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Verdict != token.VerdictValid || statuses(v.Checks)["ath"] != token.StatusPass || statuses(v.Checks)["jkt"] != token.StatusSkip {
		t.Fatalf("§7.1 proof: %s\n%s", v.Summary, checkList(v.Checks))
	}

	// The §6.1 access token is bound to the proofs' key: with it, the
	// binding passes and ath (made for the §7.1 token) fails.
	v, err = Verify(vec.Proof71.Proof, VerifyOptions{HTM: "GET", HTU: vec.Proof71.HTU, AccessToken: vec.AccessToken61.Token, Now: time.Unix(vec.Proof71.IAT, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if s := statuses(v.Checks); s["jkt"] != token.StatusPass || s["ath"] != token.StatusFail {
		t.Errorf("with the §6.1 token: jkt %s, ath %s\n%s", s["jkt"], s["ath"], checkList(v.Checks))
	}
}

func genKey(t *testing.T, alg string) *token.Key {
	t.Helper()
	k, err := token.GenerateKey(token.GenerateOptions{Alg: alg})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var at0 = time.Unix(1700000000, 0)

func TestMintVerify(t *testing.T) {
	for _, alg := range []string{"ES256", "EdDSA", "PS256"} {
		t.Run(alg, func(t *testing.T) {
			k := genKey(t, alg)
			accessToken := "opaque-token-123"
			m, err := Mint(MintOptions{Key: token.KeyInput(k.PrivateJWK), HTM: "GET", HTU: "https://api.example.com/things?page=2#top", AccessToken: accessToken, Nonce: "srv-nonce", Now: at0})
			if err != nil {
				t.Fatal(err)
			}
			var header struct {
				Typ, Alg string
				JWK      map[string]any
			}
			var claims map[string]any
			_ = json.Unmarshal(m.Header, &header)
			_ = json.Unmarshal(m.Payload, &claims)
			if header.Typ != "dpop+jwt" || header.Alg != alg || header.JWK["d"] != nil || header.JWK["kid"] != nil {
				t.Errorf("header = %s", m.Header)
			}
			if claims["htu"] != "https://api.example.com/things" || claims["htm"] != "GET" || claims["ath"] != AccessTokenHash(accessToken) || claims["nonce"] != "srv-nonce" || len(claims["jti"].(string)) != 22 {
				t.Errorf("payload = %s", m.Payload)
			}
			v, err := Verify(m.Token, VerifyOptions{HTM: "GET", HTU: "HTTPS://API.example.com:443/a/../things?other", AccessToken: accessToken, Nonce: "srv-nonce", Now: at0.Add(10 * time.Second)})
			if err != nil {
				t.Fatal(err)
			}
			if v.Verdict != token.VerdictValid || v.JKT != k.Thumbprint {
				t.Errorf("%s, jkt %s (key %s)\n%s", v.Summary, v.JKT, k.Thumbprint, checkList(v.Checks))
			}
		})
	}
}

// TestBoundAccessToken mints an access token bound to a DPoP key (by
// token.Mint with DPoPKey) and checks the binding with a proof by that
// key and by another.
func TestBoundAccessToken(t *testing.T) {
	issuer, client, thief := genKey(t, "ES256"), genKey(t, "ES256"), genKey(t, "ES256")
	at, err := token.Mint(token.MintOptions{Kind: vocab.AccessToken, Key: token.KeyInput(issuer.PrivateJWK), Claims: json.RawMessage(`{"sub":"alice"}`), DPoPKey: token.KeyInput(client.PublicJWK), Now: at0})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(at.Payload), `,"cnf":{"jkt":"`+client.Thumbprint+`"}}`) {
		t.Errorf("payload = %s, want cnf.jkt %s last", at.Payload, client.Thumbprint)
	}
	for _, tc := range []struct {
		key  *token.Key
		want token.Status
	}{{client, token.StatusPass}, {thief, token.StatusFail}} {
		p, err := Mint(MintOptions{Key: token.KeyInput(tc.key.PrivateJWK), HTM: "GET", HTU: "https://api.example.com/", AccessToken: at.Token, Now: at0})
		if err != nil {
			t.Fatal(err)
		}
		v, err := Verify(p.Token, VerifyOptions{HTM: "GET", HTU: "https://api.example.com/", AccessToken: at.Token, Now: at0})
		if err != nil {
			t.Fatal(err)
		}
		if statuses(v.Checks)["jkt"] != tc.want || v.Valid != (tc.want == token.StatusPass) {
			t.Errorf("jkt %s, want %s\n%s", statuses(v.Checks)["jkt"], tc.want, checkList(v.Checks))
		}
	}
}

// signed makes a JWS with any header and payload, for hostile proofs.
func signed(t *testing.T, key *token.Key, alg, header, payload string) string {
	t.Helper()
	m, err := token.Sign(token.SignOptions{Key: string(key.PrivateJWK), Alg: alg, Header: json.RawMessage(header), Payload: []byte(payload)})
	if err != nil {
		t.Fatal(err)
	}
	return m.Token
}

func TestHostileProofs(t *testing.T) {
	k, other := genKey(t, "ES256"), genKey(t, "ES256")
	pub := string(k.PublicJWK)
	priv := string(k.PrivateJWK)
	payload := `{"jti":"j1","htm":"POST","htu":"https://server.example.com/token","iat":1700000000}`
	hs := "a-shared-secret-of-32-bytes-or-more!!"
	hsKey := &token.Key{PrivateJWK: json.RawMessage(`{"kty":"oct","k":"` + "YS1zaGFyZWQtc2VjcmV0LW9mLTMyLWJ5dGVzLW9yLW1vcmUhIQ" + `"}`)}
	_ = hs
	good := VerifyOptions{HTM: "POST", HTU: "https://server.example.com/token", Now: at0}
	tests := []struct {
		name  string
		proof string
		opts  VerifyOptions
		fail  string
	}{
		{"private jwk", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+priv+`}`, payload), good, "jwk"},
		{"alg HS256", signed(t, hsKey, "HS256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, payload), good, "alg"},
		{"alg none", "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ." + b64(payload) + ".", good, "alg"},
		{"no jwk", signed(t, k, "ES256", `{"typ":"dpop+jwt"}`, payload), good, "jwk"},
		{"jwk of another key", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+string(other.PublicJWK)+`}`, payload), good, "signature"},
		{"wrong typ", signed(t, k, "ES256", `{"typ":"JWT","jwk":`+pub+`}`, payload), good, "typ"},
		{"htu with a different host", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, strings.Replace(payload, "server.example.com", "evil.example", 1)), good, "htu"},
		{"another method", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, strings.Replace(payload, "POST", "GET", 1)), good, "htm"},
		{"method in lower case", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, strings.Replace(payload, "POST", "post", 1)), good, "htm"},
		{"old proof", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, payload), VerifyOptions{HTM: "POST", HTU: good.HTU, Now: at0.Add(time.Hour)}, "iat"},
		{"no jti", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, `{"htm":"POST","htu":"https://server.example.com/token","iat":1700000000}`), good, "jti"},
		{"no nonce", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, payload), VerifyOptions{HTM: "POST", HTU: good.HTU, Nonce: "n", Now: at0}, "nonce"},
		{"no ath with a token", signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, payload), VerifyOptions{HTM: "POST", HTU: good.HTU, AccessToken: "t", Now: at0}, "ath"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Verify(tc.proof, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid || statuses(v.Checks)[tc.fail] != token.StatusFail {
				t.Errorf("valid %v, %s = %q\n%s", v.Valid, tc.fail, statuses(v.Checks)[tc.fail], checkList(v.Checks))
			}
		})
	}

	// A replayed proof: the engine keeps no state, so the same proof
	// verifies twice; the jti check says that the server must remember it.
	p := signed(t, k, "ES256", `{"typ":"dpop+jwt","jwk":`+pub+`}`, payload)
	for range 2 {
		v, err := Verify(p, good)
		if err != nil || !v.Valid {
			t.Fatalf("%v %s", err, v.Summary)
		}
		for _, c := range v.Checks {
			if c.ID == "jti" && !strings.Contains(c.Message, "cannot see a replay") {
				t.Errorf("jti message: %s", c.Message)
			}
		}
	}
	// Without the request, the proof is valid but incomplete.
	v, err := Verify(p, VerifyOptions{Now: at0})
	if err != nil || v.Verdict != token.VerdictIncomplete || v.Summary != "Signature verified — method (htm) and URL (htu) not compared" {
		t.Errorf("%v %s %s", err, v.Verdict, v.Summary)
	}
}

func TestVerifyRefuses(t *testing.T) {
	k := genKey(t, "ES256")
	m, err := Mint(MintOptions{Key: token.KeyInput(k.PrivateJWK), Now: at0})
	if err != nil {
		t.Fatal(err)
	}
	for name, input := range map[string]string{
		"two proofs": m.Token + ", " + m.Token,
		"empty":      "",
		"truncated":  m.Token[:40],
		"JWE":        "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aaaa.bbbb.cccc",
	} {
		if _, err := Verify(input, VerifyOptions{}); !errors.Is(err, token.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if v, err := Verify("DPoP: "+m.Token, VerifyOptions{Now: at0}); err != nil || !v.Valid {
		t.Errorf("a pasted header line: %v", err)
	}
	for name, opts := range map[string]MintOptions{
		"no key":     {},
		"hmac":       {Key: "a-shared-secret-of-32-bytes-or-more!!"},
		"bad htu":    {Key: token.KeyInput(k.PrivateJWK), HTU: "/relative"},
		"public":     {Key: token.KeyInput(k.PublicJWK)},
		"wrong alg":  {Key: token.KeyInput(k.PrivateJWK), Alg: "RS256"},
		"wrong kind": {Kind: vocab.SDJWT, Key: token.KeyInput(k.PrivateJWK)},
	} {
		if _, err := Mint(opts); err == nil {
			t.Errorf("Mint %s: no error", name)
		}
	}
}

func TestNormalizeURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://server.example.com/token", "https://server.example.com/token"},
		{"HTTPS://Server.Example.COM:443/token?x=1#f", "https://server.example.com/token"},
		{"http://example.com:80", "http://example.com/"},
		{"http://example.com:8080/a/./b/../c", "http://example.com:8080/a/c"},
		{"https://example.com/%7euser/%2f%41", "https://example.com/~user/%2FA"},
		{"https://[::1]:443/x", "https://[::1]/x"},
		{"https://user@example.com/", "https://user@example.com/"},
		{"https://%45xample.COM/%7E", "https://example.com/~"},           // a decoded host letter is lower-cased too
		{"https://b%c3%bccher.example/", "https://b%C3%BCcher.example/"}, // its other percent-encodings keep upper-case hex
	}
	for _, tc := range tests {
		if got, ok := normalizeURI(tc.in); !ok || got != tc.want {
			t.Errorf("normalizeURI(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "/token", "example.com/token", "https:example.com", "https://example.com:x/", "https://example.com/%zz", "1https://x/", "https:///path"} {
		if got, ok := normalizeURI(bad); ok {
			t.Errorf("normalizeURI(%q) = %q, want not ok", bad, got)
		}
	}
	if a, _ := normalizeURI("https://example.com/a"); a == mustNormalize(t, "https://example.com/b") {
		t.Error("different paths normalize alike")
	}
}

func mustNormalize(t *testing.T, s string) string {
	t.Helper()
	n, ok := normalizeURI(s)
	if !ok {
		t.Fatal(s)
	}
	return n
}
