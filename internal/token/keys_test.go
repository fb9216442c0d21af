package token

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// keyCache generates each algorithm's key once per test binary: RSA key
// generation is slow, and reuse keeps `go test` fast.
var keyCache sync.Map

// testKey returns a generated key for alg; RSA algorithms share one
// 2048-bit key, re-imported with their own alg.
func testKey(t testing.TB, alg string) *Key {
	t.Helper()
	if k, ok := keyCache.Load(alg); ok {
		return k.(*Key)
	}
	var k *Key
	var err error
	if spec, _ := lookupAlg(alg); spec.kty == "RSA" && alg != "RS256" {
		k, err = ImportKey(testKey(t, "RS256").PrivatePEM, ImportOptions{Alg: alg})
	} else {
		k, err = GenerateKey(GenerateOptions{Alg: alg})
	}
	if err != nil {
		t.Fatalf("key for %s: %v", alg, err)
	}
	keyCache.Store(alg, k)
	return k
}

// keyJSON renders a Key as the JSON text the engine passes on.
func keyJSON(t testing.TB, k *Key) string {
	t.Helper()
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGenerateKeyEveryAlgorithm(t *testing.T) {
	tests := []struct {
		alg, kty    string
		secretBytes int
	}{
		{"HS256", "oct", 32}, {"HS384", "oct", 48}, {"HS512", "oct", 64},
		{"RS256", "RSA", 0}, {"ES256", "EC", 0}, {"ES384", "EC", 0}, {"ES512", "EC", 0}, {"EdDSA", "OKP", 0},
		{"ECDH-ES", "EC", 0}, {"A128KW", "oct", 16}, {"A192GCMKW", "oct", 24}, {"A256KW", "oct", 32}, {"dir", "oct", 32},
		{"PBES2-HS256+A128KW", "oct", 22},
	}
	for _, tc := range tests {
		t.Run(tc.alg, func(t *testing.T) {
			k := testKey(t, tc.alg)
			if k.Alg != tc.alg || k.Kty != tc.kty || k.Kid != k.Thumbprint || len(k.Thumbprint) != 43 {
				t.Fatalf("alg, kty, kid, thumbprint = %s, %s, %s, %s", k.Alg, k.Kty, k.Kid, k.Thumbprint)
			}
			if tc.kty == "oct" {
				if k.PublicJWK != nil || k.PublicPEM != "" || k.JWKS != nil {
					t.Error("a symmetric key has public forms")
				}
				secret, err := jsonField(k.PrivateJWK, "k")
				if err != nil || secret != k.Secret || len(k.Secret) != (tc.secretBytes*8+5)/6 {
					t.Errorf("secret %q (k %q) has the wrong size for %d bytes", k.Secret, secret, tc.secretBytes)
				}
				return
			}
			if !strings.HasPrefix(k.PublicPEM, "-----BEGIN PUBLIC KEY-----") || !strings.HasPrefix(k.PrivatePEM, "-----BEGIN PRIVATE KEY-----") {
				t.Errorf("PEMs = %q / %q", k.PublicPEM[:30], k.PrivatePEM[:30])
			}
			if d, _ := jsonField(k.PublicJWK, "d"); d != "" {
				t.Error("public JWK holds d")
			}
			if d, _ := jsonField(k.PrivateJWK, "d"); d == "" {
				t.Error("private JWK lacks d")
			}
			if !strings.Contains(string(k.JWKS), string(k.PublicJWK)) {
				t.Error("jwks does not hold the public JWK")
			}
		})
	}
}

func jsonField(raw json.RawMessage, name string) (string, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", err
	}
	s, _ := m[name].(string)
	return s, nil
}

// TestGenerateKeyDefaults: without options GenerateKey makes a DefaultAlg
// key; RSA, ECDH-ES and dir keys get the default sizes.
func TestGenerateKeyDefaults(t *testing.T) {
	for _, tc := range []struct {
		opts     GenerateOptions
		alg, crv string
		bits     int
	}{
		{GenerateOptions{}, "ES256", "P-256", 0},
		{GenerateOptions{Alg: "RS256"}, "RS256", "", 2048},
		{GenerateOptions{Alg: "ECDH-ES"}, "ECDH-ES", "P-256", 0},
		{GenerateOptions{Alg: "dir"}, "dir", "", 256},
	} {
		k, err := GenerateKey(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if k.Alg != tc.alg || k.Crv != tc.crv || k.Bits != tc.bits {
			t.Errorf("GenerateKey(%+v) = alg %s crv %q bits %d; want %s %q %d", tc.opts, k.Alg, k.Crv, k.Bits, tc.alg, tc.crv, tc.bits)
		}
	}
}

func TestGenerateKeyErrors(t *testing.T) {
	tests := []struct {
		name string
		opts GenerateOptions
		want error
	}{
		{"unknown alg", GenerateOptions{Alg: "XS999"}, ErrUnsupported},
		{"none", GenerateOptions{Alg: "none"}, ErrUnsupported},
		{"RSA 1024", GenerateOptions{Alg: "RS256", Bits: 1024}, ErrUnsupported},
		{"short HMAC", GenerateOptions{Alg: "HS512", Bits: 256}, ErrBadRequest},
		{"ES256 on P-384", GenerateOptions{Alg: "ES256", Crv: "P-384"}, ErrBadRequest},
		{"Ed448", GenerateOptions{Alg: "EdDSA", Crv: "Ed448"}, ErrUnsupported},
		{"ECDH on secp256k1", GenerateOptions{Alg: "ECDH-ES", Crv: "secp256k1"}, ErrUnsupported},
		{"A128KW with 256 bits", GenerateOptions{Alg: "A128KW", Bits: 256}, ErrBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GenerateKey(tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestGenerateKeyLongerSecretAndKid(t *testing.T) {
	k, err := GenerateKey(GenerateOptions{Alg: "HS256", Bits: 512, Kid: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	if k.Kid != "mine" || len(k.Secret) != 86 {
		t.Errorf("kid %q, secret %d chars; want mine, 86", k.Kid, len(k.Secret))
	}
	if kid, _ := jsonField(k.PrivateJWK, "kid"); kid != "mine" {
		t.Errorf("JWK kid = %q", kid)
	}
}

func TestExportImportSameThumbprint(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256", "ES384", "ES512", "EdDSA", "HS256", "A256KW"} {
		k := testKey(t, alg)
		forms := map[string]string{"private JWK": string(k.PrivateJWK), "key object": keyJSON(t, k)}
		if k.Kty != "oct" {
			forms["public JWK"] = string(k.PublicJWK)
			forms["JWKS"] = string(k.JWKS)
			forms["public PEM"] = k.PublicPEM
			forms["private PEM"] = k.PrivatePEM
		}
		for form, text := range forms {
			t.Run(alg+"/"+form, func(t *testing.T) {
				got, err := ImportKey(text, ImportOptions{Alg: alg})
				if err != nil {
					t.Fatal(err)
				}
				if got.Thumbprint != k.Thumbprint || got.Kty != k.Kty || got.Alg != alg {
					t.Fatalf("thumbprint %s kty %s alg %s; want %s %s %s", got.Thumbprint, got.Kty, got.Alg, k.Thumbprint, k.Kty, alg)
				}
				wantPrivate := strings.HasPrefix(form, "private") || form == "key object"
				if (got.PrivateJWK != nil) != wantPrivate {
					t.Errorf("private JWK present = %v, want %v", got.PrivateJWK != nil, wantPrivate)
				}
			})
		}
	}
}

func TestImportPEMFixtures(t *testing.T) {
	rsaPrint := func() string {
		k, err := ImportKey(readFixture(t, "rsa-2048.pkcs1.pem"), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return k.Thumbprint
	}()
	tests := []struct {
		file, kty, alg string
		private        bool
		x5c            int
	}{
		{"rsa-2048.pkcs1.pem", "RSA", "RS256", true, 0},
		{"rsa-2048.pkcs1.pub.pem", "RSA", "RS256", false, 0},
		{"rsa-2048.spki.pem", "RSA", "RS256", false, 0},
		{"rsa-2048.cert.pem", "RSA", "RS256", false, 1},
		{"ec-p256.sec1.pem", "EC", "ES256", true, 0},
		{"ed25519.pkcs8.pem", "OKP", "EdDSA", true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			k, err := ImportKey(readFixture(t, tc.file), ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if k.Kty != tc.kty || k.Alg != tc.alg || (k.PrivatePEM != "") != tc.private || len(k.X5c) != tc.x5c {
				t.Fatalf("kty %s alg %s private %v x5c %d", k.Kty, k.Alg, k.PrivatePEM != "", len(k.X5c))
			}
			if tc.kty == "RSA" && k.Thumbprint != rsaPrint {
				t.Errorf("thumbprint %s differs from the PKCS#1 private key's %s", k.Thumbprint, rsaPrint)
			}
			if tc.x5c > 0 && !strings.Contains(string(k.PublicJWK), `"x5c":["`+k.X5c[0]) {
				t.Errorf("public JWK lacks x5c: %s", k.PublicJWK)
			}
		})
	}
}

func TestImportSecretsAndJWKS(t *testing.T) {
	// A plain string is its UTF-8 bytes, even when it looks like base64.
	k, err := ImportKey("c2VjcmV0", ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if k.Secret != "YzJWamNtVjA" || k.Kty != "oct" || k.Alg != "HS256" {
		t.Errorf("secret %q kty %s alg %s; want the bytes of the text", k.Secret, k.Kty, k.Alg)
	}
	es := testKey(t, "ES256")
	ed := testKey(t, "EdDSA")
	jwks := `{"keys":[` + string(es.PublicJWK) + "," + string(ed.PublicJWK) + "]}"
	tests := []struct {
		name string
		opts ImportOptions
		want string
		err  error
	}{
		{"by kid", ImportOptions{Kid: ed.Kid}, ed.Thumbprint, nil},
		{"by alg", ImportOptions{Alg: "ES256"}, es.Thumbprint, nil},
		{"ambiguous", ImportOptions{}, "", ErrBadKey},
		{"unknown kid", ImportOptions{Kid: "nope"}, "", ErrBadKey},
		{"no key fits", ImportOptions{Alg: "RS256"}, "", ErrBadKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ImportKey(jwks, tc.opts)
			if !errors.Is(err, tc.err) || (err == nil && got.Thumbprint != tc.want) {
				t.Fatalf("got %v, %v; want %s, %v", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestImportKeyErrors(t *testing.T) {
	tests := []struct {
		name, input string
		opts        ImportOptions
		want        error
	}{
		{"empty", "  ", ImportOptions{}, ErrBadKey},
		{"broken PEM", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----", ImportOptions{}, ErrBadKey},
		{"garbage in PEM", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", ImportOptions{}, ErrBadKey},
		{"truncated JSON", `{"kty":"EC"`, ImportOptions{}, ErrBadKey},
		{"JSON without kty", `{"n":"AQAB"}`, ImportOptions{}, ErrBadKey},
		{"EC JWK missing y", `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}`, ImportOptions{}, ErrBadKey},
		{"unknown kty", `{"kty":"XYZ"}`, ImportOptions{}, ErrUnsupported},
		{"RSA public key as HS256", readFixture(t, "rsa-2048.spki.pem"), ImportOptions{Alg: "HS256"}, ErrBadKey},
		{"encrypted PEM", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", ImportOptions{}, ErrUnsupported},
		{"unknown alg", "secret", ImportOptions{Alg: "XS1"}, ErrUnsupported},
		{"too big", strings.Repeat("a", MaxTokenBytes+1), ImportOptions{}, ErrBadKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ImportKey(tc.input, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if strings.Count(err.Error(), ":") < 2 {
				t.Errorf("message %q says nothing specific", err)
			}
		})
	}
}
