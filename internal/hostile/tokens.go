package hostile

import (
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// Secret signs the corpus' HS256 tokens; VerifyOptions passes it as the key.
const Secret = "tokenlab-hostile-corpus-secret-0123456789"

// Now is the clock of every verify case (2023-11-14T22:13:20Z), in Unix
// seconds.
const Now = 1700000000

// ProbeSub is the sub claim of Probe's token.
const ProbeSub = "still-works"

//go:embed testdata/*.txt testdata/*.json testdata/*.pem
var files embed.FS

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// JWS builds a compact HS256 JWS signed with Secret over the exact header
// and payload bytes given, so duplicate keys, odd numbers and invalid
// UTF-8 survive.
func JWS(header, payload string) string {
	return jwsWith(header, payload, []byte(Secret))
}

// jwsWith is JWS signed with another HMAC secret.
func jwsWith(header, payload string, secret []byte) string {
	in := b64url([]byte(header)) + "." + b64url([]byte(payload))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(in))
	return in + "." + b64url(m.Sum(nil))
}

// unsecured builds an alg-none style token with an empty signature.
func unsecured(alg, payload string) string {
	return b64url([]byte(`{"alg":"`+alg+`"}`)) + "." + b64url([]byte(payload)) + "."
}

// Probe is a valid token to decode after each case: the engine must still
// answer, with sub ProbeSub.
func Probe() string {
	return JWS(`{"alg":"HS256"}`, `{"sub":"`+ProbeSub+`"}`)
}

// VerifyOptions are verify's options for the corpus: Secret as the key,
// the clock at Now, plus extra.
func VerifyOptions(extra map[string]any) map[string]any {
	o := map[string]any{"key": Secret, "now": Now}
	for k, v := range extra {
		o[k] = v
	}
	return o
}

// args encodes a call's arguments as the page's JSON array.
func args(a ...any) json.RawMessage {
	b, err := json.Marshal(a)
	if err != nil {
		panic("hostile: encoding arguments: " + err.Error()) // only plain values are passed
	}
	return b
}

// fixture returns a file of testdata/.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := files.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("hostile: %v", err)
	}
	return string(b)
}

// nested10 is a JWS whose payload is a JWS, ten levels deep (cty JWT,
// RFC 7519 §5.2), with the innermost claims at the bottom. It returns every
// level, outermost first.
func nested10() []string {
	levels := make([]string, 10)
	inner := JWS(`{"alg":"HS256","typ":"JWT"}`, `{"iss":"https://innermost.example","level":10}`)
	levels[9] = inner
	for i := 8; i >= 0; i-- {
		inner = JWS(`{"alg":"HS256","cty":"JWT"}`, inner)
		levels[i] = inner
	}
	return levels
}

// jweFixture mints a nested JWT encrypted to one dir key and returns it
// with that key and a different dir key.
func jweFixture(t testing.TB) (jwe, rightKey, wrongKey string) {
	t.Helper()
	k1, err := token.GenerateKey(token.GenerateOptions{Alg: "dir", Bits: 256})
	if err != nil {
		t.Fatal(err)
	}
	k2, err := token.GenerateKey(token.GenerateOptions{Alg: "dir", Bits: 256})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := token.GenerateKey(token.GenerateOptions{Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := token.Mint(token.MintOptions{Kind: vocab.IDToken, Key: token.KeyInput(string(signer.PrivateJWK)),
		Encrypt: &token.EncryptOptions{Key: token.KeyInput(string(k1.PrivateJWK)), Alg: "dir"}, Now: time.Unix(Now, 0)})
	if err != nil {
		t.Fatal(err)
	}
	return m.Token, string(k1.PrivateJWK), string(k2.PrivateJWK)
}

// AttackHeader and AttackPayload are a header and claims crafted to run
// script or inject markup if any view renders them as HTML or follows them
// as links; AttackToken signs them.
const (
	AttackHeader  = `{"alg":"HS256","typ":"JWT","kid":"</script><script>window.__xss='kid'</script>","jku":"javascript:window.__xss='jku'","x5u":"https://attacker.example/\"><img src=x onerror=window.__xss='x5u'>"}`
	AttackPayload = `{"iss":"<img src=x onerror=\"window.__xss='iss'\">","sub":"<svg onload=window.__xss='sub'>","aud":"javascript:window.__xss='aud'",` +
		`"name":"<iframe src=javascript:window.__xss='name'></iframe>","website":"javascript:alert(document.domain)","picture":"https://attacker.example/x.png",` +
		`"email":"<a href=javascript:window.__xss='email'>click</a>","nickname":"\u202eevil\u202c <b>bold</b>","given_name":"{{constructor.constructor('window.__xss=1')()}}",` +
		`"scope":"openid <script>window.__xss='scope'</script>","exp":1800000000,"iat":1700000000,"nonce":"\"><style>body{display:none}</style>"}`
)

// AttackToken is AttackHeader and AttackPayload signed with Secret.
func AttackToken() string { return JWS(AttackHeader, AttackPayload) }
