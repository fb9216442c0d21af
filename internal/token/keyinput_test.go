package token

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"tokenlab/internal/vocab"

	"golang.org/x/crypto/ssh"
)

// pemBody is the base64 body of a PEM text, without its lines: the form
// Keycloak's realm endpoint shows as public_key.
func pemBody(t testing.TB, pemText string) string {
	t.Helper()
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		t.Fatal("fixture is not PEM")
	}
	return base64.StdEncoding.EncodeToString(block.Bytes)
}

// publicKeyTexts are the texts of public keys an attacker can read, in
// every encoding users paste: each must be recognized as a key, so HS256
// signed with the text is refused as algorithm confusion.
func publicKeyTexts(t *testing.T) map[string]string {
	t.Helper()
	rsaSPKI := readFixture(t, "rsa-2048.spki.pem")
	ec, err := ImportKey(readFixture(t, "ec-p256.sec1.pem"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ecSPKI := pemBody(t, ec.PublicPEM)
	rsaPub, err := ImportKey(rsaSPKI, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParsePKIXPublicKey(must(base64.StdEncoding.DecodeString(pemBody(t, rsaSPKI))))
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(parsed)
	if err != nil {
		t.Fatal(err)
	}
	sshLine := string(ssh.MarshalAuthorizedKey(sshPub))
	quotedPEM, _ := json.Marshal(rsaSPKI)
	body := pemBody(t, rsaSPKI)
	return map[string]string{
		"PEM":                           rsaSPKI,
		"bare base64 SPKI (Keycloak)":   body,
		"base64url SPKI":                strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(body), "="),
		"base64 SPKI in lines":          body[:64] + "\n" + body[64:128] + "\n" + body[128:],
		"base64 of an EC public key":    ecSPKI,
		"base64 of an X.509 cert":       pemBody(t, readFixture(t, "rsa-2048.cert.pem")),
		"JSON-quoted PEM":               string(quotedPEM),
		"PEM with escaped line breaks":  strings.ReplaceAll(rsaSPKI, "\n", `\n`),
		"PEM after Bag Attributes":      "Bag Attributes\n    localKeyID: 6A 1F 3C 2B \n    friendlyName: tokenlab\nKey Attributes: <No Attributes>\n" + rsaSPKI,
		"PEM after a label on one line": "public key: " + strings.Join(strings.Fields(rsaSPKI), " "),
		"PEM with a byte-order mark":    "\uFEFF" + rsaSPKI,
		"PEM with CRLF line ends":       strings.ReplaceAll(rsaSPKI, "\n", "\r\n"),
		"certificate PEM":               readFixture(t, "rsa-2048.cert.pem"),
		"EC public PEM":                 ec.PublicPEM,
		"ssh-rsa line":                  sshLine,
		"ssh-rsa line with options":     `from="10.0.0.1" ` + sshLine,
		"single-quoted PEM":             "'" + rsaSPKI + "'",
		"public JWK":                    string(rsaPub.PublicJWK),
		"bare array of JWKs":            "[" + string(rsaPub.PublicJWK) + "]",
		"RFC 4716 SSH2 public key":      "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"2048-bit RSA, converted by tokenlab\"\n" + wrap(base64.StdEncoding.EncodeToString(sshPub.Marshal()), 70) + "\n---- END SSH2 PUBLIC KEY ----\n",
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func wrap(s string, n int) string {
	var lines []string
	for len(s) > n {
		lines = append(lines, s[:n])
		s = s[n:]
	}
	return strings.Join(append(lines, s), "\n")
}

// TestPublicKeyTextIsNeverAnHMACSecret: HS256 signed with the text of a
// public key verifies only if the verifier takes that text for an HMAC
// secret (RFC 8725 §2.1). Every encoding must be recognized as a key and
// the alg check must fail as algorithm confusion without checking the
// signature.
func TestPublicKeyTextIsNeverAnHMACSecret(t *testing.T) {
	for name, keyText := range publicKeyTexts(t) {
		t.Run(name, func(t *testing.T) {
			forged, err := signJWS("HS256", []byte(keyText), []byte(`{"alg":"HS256","typ":"JWT"}`), []byte(`{"sub":"admin","iat":1700000000}`))
			if err != nil {
				t.Fatal(err)
			}
			res := mustVerify(t, forged, VerifyOptions{Key: KeyInput(keyText), Now: mintAt})
			if res.Valid {
				t.Fatalf("the forged token verified\n%s", dump(res))
			}
			alg := res.Checks[0]
			if alg.ID != "alg" || alg.Status != StatusFail || !strings.Contains(alg.Message, "algorithm-confusion") || alg.Ref != "RFC 8725 §2.1, §3.1" {
				t.Errorf("alg check = %+v", alg)
			}
			for _, c := range res.Checks {
				if c.ID == "signature" {
					t.Errorf("the signature was checked with a public key as HMAC secret: %+v", c)
				}
			}
			k, err := ImportKey(keyText, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if k.Kty == "oct" || k.Private {
				t.Errorf("imported as %s (private %v), want a public key", k.Kty, k.Private)
			}
			var fit *KeyFitError
			if _, err := ImportKey(keyText, ImportOptions{Alg: "HS256"}); !errors.As(err, &fit) || !fit.Confusion || fit.Alg != "HS256" || !errors.Is(err, ErrBadKey) {
				t.Errorf("import for HS256: err = %v, want a KeyFitError marked as confusion", err)
			}
		})
	}
}

// TestKeyInputThatStaysASecret: text that is no key stays the HMAC
// secret it always was, byte for byte, even when it looks like base64 or
// is quoted; text that claims to be a key but is broken is an error, never
// a secret.
func TestKeyInputThatStaysASecret(t *testing.T) {
	// A random secret whose base64 happens to start like DER (0x30, then
	// its own length) is no ASN.1 structure inside, so it stays a secret.
	derLike := base64.StdEncoding.EncodeToString(append([]byte{0x30, 30}, []byte(strings.Repeat("\xff", 30))...))
	secrets := []string{"your-256-bit-secret", "c2VjcmV0", `"quoted secret"`, "MIIsomethingthatisnotDER", "ssh is fun", "  spaced  ", "eyJhbGciOiJIUzI1NiJ9", derLike}
	for _, s := range secrets {
		t.Run(s, func(t *testing.T) {
			k, err := ImportKey(s, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if want := base64.RawURLEncoding.EncodeToString([]byte(s)); k.Kty != "oct" || k.Secret != want || k.Bits != 8*len(s) {
				t.Errorf("kty %s secret %s bits %d; want the bytes of the text %s", k.Kty, k.Secret, k.Bits, want)
			}
		})
	}
	rsaSPKI := readFixture(t, "rsa-2048.spki.pem")
	errs := []struct {
		name, input string
		want        error
	}{
		{"unknown PEM type", "-----BEGIN FOO BAR-----\nAAAA\n-----END FOO BAR-----\n", ErrBadKey},
		{"certificate request", "-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----", ErrBadKey},
		{"PEM cut off", rsaSPKI[:120], ErrBadKey},
		{"OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", ErrUnsupported},
		{"legacy encrypted PEM", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----", ErrUnsupported},
		{"broken ssh line", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC broken", ErrBadKey},
		{"DER of no key", base64.StdEncoding.EncodeToString(must(asn1.Marshal(struct{ A, B string }{"not a key at all", "nor this"}))), ErrBadKey},
		{"JSON array of strings", `["a-shared-secret"]`, ErrBadKey},
		{"JSON array cut off", `[{"kty":"EC"`, ErrBadKey},
		{"realm document", `{"realm":"demo","public_key":"MIIB"}`, ErrBadKey},
		{"empty quotes", `""`, ErrBadKey},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ImportKey(tc.input, ImportOptions{}); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestKeyFacts: the key object says what the key is, in the same words as
// tokenlab's messages, so the page need not work it out again.
func TestKeyFacts(t *testing.T) {
	tests := []struct {
		input               string
		kty, crv, use, desc string
		bits                int
		private             bool
		alg                 string
	}{
		{readFixture(t, "rsa-2048.spki.pem"), "RSA", "", "sig", "an RSA public key (2048 bits)", 2048, false, "RS256"},
		{readFixture(t, "rsa-2048.pkcs1.pem"), "RSA", "", "sig", "an RSA private key (2048 bits)", 2048, true, "RS256"},
		{readFixture(t, "ec-p256.sec1.pem"), "EC", "P-256", "sig", "an EC private key on P-256", 0, true, "ES256"},
		{readFixture(t, "ed25519.pkcs8.pem"), "OKP", "Ed25519", "sig", "an Ed25519 private key", 0, true, "EdDSA"},
		{"your-256-bit-secret", "oct", "", "sig", "a 19-byte secret", 152, true, "HS256"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			k, err := ImportKey(tc.input, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprint(k.Kty, k.Crv, k.Use, k.Description, k.Bits, k.Private, k.Alg)
			if want := fmt.Sprint(tc.kty, tc.crv, tc.use, tc.desc, tc.bits, tc.private, tc.alg); got != want {
				t.Errorf("facts = %s, want %s", got, want)
			}
		})
	}
	enc, err := ImportKey(readFixture(t, "rsa-2048.spki.pem"), ImportOptions{Alg: "RSA-OAEP-256"})
	if err != nil || enc.Use != "enc" {
		t.Errorf("an RSA-OAEP-256 key: use %q, err %v; want enc", enc.Use, err)
	}
}

// TestJWKUseAndKeyOps: a JWK published for encryption (use "enc") or
// whose key_ops exclude verify must not verify signatures, and a key for
// signatures must not decrypt (RFC 7517 §4.2, §4.3).
func TestJWKUseAndKeyOps(t *testing.T) {
	key := testKey(t, "ES256")
	tok := mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(string(key.PrivateJWK))}).Token
	withMembers := func(jwk json.RawMessage, members string) string {
		return strings.TrimSuffix(string(jwk), "}") + "," + members + "}"
	}
	plain := strings.Replace(string(key.PublicJWK), `"use":"sig",`, "", 1)
	tests := []struct {
		name, key string
		valid     bool
		ref       string
	}{
		{"no use", plain, true, ""},
		{"use sig", withMembers(json.RawMessage(plain), `"use":"sig"`), true, ""},
		{"use enc", withMembers(json.RawMessage(plain), `"use":"enc"`), false, "RFC 7517 §4.2"},
		{"key_ops verify", withMembers(json.RawMessage(plain), `"key_ops":["verify"]`), true, ""},
		{"key_ops encrypt", withMembers(json.RawMessage(plain), `"key_ops":["encrypt"]`), false, "RFC 7517 §4.3"},
		{"JWKS of one enc key", `{"keys":[` + withMembers(json.RawMessage(plain), `"use":"enc"`) + `]}`, false, "RFC 7517 §4.2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustVerify(t, tok, VerifyOptions{Key: KeyInput(tc.key), Now: mintAt})
			if res.Valid != tc.valid {
				t.Fatalf("valid = %v, want %v\n%s", res.Valid, tc.valid, dump(res))
			}
			if !tc.valid && (res.Checks[0].ID != "alg" || !strings.HasSuffix(res.Checks[0].Ref, tc.ref) || !strings.Contains(res.Checks[0].Message, "must not be used to verify") && !strings.Contains(res.Checks[0].Message, "not verify")) {
				t.Errorf("alg check = %+v", res.Checks[0])
			}
		})
	}

	rsaPriv, err := ImportKey(readFixture(t, "rsa-2048.pkcs1.pem"), ImportOptions{Alg: "RSA-OAEP-256"})
	if err != nil {
		t.Fatal(err)
	}
	jwe := mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(hsKey(t)), Encrypt: &EncryptOptions{Key: KeyInput(readFixture(t, "rsa-2048.spki.pem"))}}).Token
	privJWK := strings.Replace(string(rsaPriv.PrivateJWK), `"use":"enc",`, "", 1)
	for _, tc := range []struct {
		name, members string
		want          error
	}{
		{"use enc", `"use":"enc"`, nil},
		{"use sig", `"use":"sig"`, ErrBadKey},
		{"key_ops unwrapKey", `"key_ops":["unwrapKey"]`, nil},
		{"key_ops sign", `"key_ops":["sign"]`, ErrBadKey},
	} {
		t.Run("decrypt/"+tc.name, func(t *testing.T) {
			_, err := Decrypt(jwe, DecryptOptions{Key: KeyInput(withMembers(json.RawMessage(privJWK), tc.members))})
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := ImportKey(withMembers(json.RawMessage(plain), `"use":"enc"`), ImportOptions{Alg: "ES256"}); !errors.Is(err, ErrBadKey) {
		t.Errorf("import of a use enc key for ES256: err = %v, want ErrBadKey", err)
	}
}

// rsaPKCS1 is the ASN.1 of an RSA private key (RFC 8017 §A.1.2).
type rsaPKCS1 struct {
	Version                     int
	N, E, D, P, Q, DP, DQ, Qinv *big.Int
}

// hugeRSAKeyPEM builds the PEM text of an RSA private key with a modulus
// of bits bits. Its numbers are random, not a real key: parsing it with
// validation would take minutes, which is what the size check prevents.
func hugeRSAKeyPEM(t testing.TB, bits int) string {
	t.Helper()
	rnd := randomModulus
	der, err := asn1.Marshal(rsaPKCS1{N: rnd(bits), E: big.NewInt(65537), D: rnd(bits), P: rnd(bits / 2), Q: rnd(bits / 2), DP: rnd(bits / 2), DQ: rnd(bits / 2), Qinv: rnd(bits / 2)})
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}))
}

// randomModulus is a random odd number of exactly bits bits: not a real
// RSA modulus, but a public key's size checks cannot tell.
func randomModulus(bits int) *big.Int {
	b := make([]byte, bits/8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[0] |= 0x80
	b[len(b)-1] |= 1
	return new(big.Int).SetBytes(b)
}

// rsaJWK is an RSA public JWK with modulus n and exponent e.
func rsaJWK(n *big.Int, e int64) string {
	return fmt.Sprintf(`{"kty":"RSA","n":%q,"e":%q}`, base64.RawURLEncoding.EncodeToString(n.Bytes()), base64.RawURLEncoding.EncodeToString(big.NewInt(e).Bytes()))
}

// publicPEM is the PKCS #1 PEM of an RSA public key with modulus n and
// exponent e.
func publicPEM(t testing.TB, n *big.Int, e int) string {
	t.Helper()
	der, err := asn1.Marshal(struct {
		N *big.Int
		E int
	}{n, e})
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: der}))
}

// TestRSAKeyLimits: RSA moduli of 2048 to 8192 bits and odd exponents
// from 3 to 2^32−1, for PEM and JWK alike, checked before any expensive
// work (BenchmarkImportHugeRSAKey measures how fast the refusal is).
func TestRSAKeyLimits(t *testing.T) {
	fixture, err := x509.ParsePKCS1PrivateKey(must(base64.StdEncoding.DecodeString(pemBody(t, readFixture(t, "rsa-2048.pkcs1.pem")))))
	if err != nil {
		t.Fatal(err)
	}
	n := fixture.N
	tests := []struct {
		name, input string
		want        error
	}{
		{"1-Mbit PEM private key", hugeRSAKeyPEM(t, 1<<20), ErrUnsupported},
		{"1-Mbit JWK", rsaJWK(randomModulus(1<<20), 65537), ErrUnsupported},
		{"8200-bit JWK", rsaJWK(randomModulus(8200), 65537), ErrUnsupported},
		{"8192-bit JWK", rsaJWK(randomModulus(8192), 65537), nil},
		{"8192-bit PEM", publicPEM(t, randomModulus(8192), 65537), nil},
		{"1024-bit PEM", publicPEM(t, randomModulus(1024), 65537), ErrBadKey},
		{"1024-bit JWK", rsaJWK(randomModulus(1024), 65537), ErrBadKey},
		{"e = 1 PEM", publicPEM(t, n, 1), ErrBadKey},
		{"e = 1 JWK", rsaJWK(n, 1), ErrBadKey},
		{"e = 2 JWK", rsaJWK(n, 2), ErrBadKey},
		{"e = 2^32+1 JWK", rsaJWK(n, 1<<32+1), ErrBadKey},
		{"e = 3 JWK", rsaJWK(n, 3), nil},
		{"e = 65537 PEM", publicPEM(t, n, 65537), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ImportKey(tc.input, ImportOptions{})
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// BenchmarkImportHugeRSAKey measures the refusal of a 1-Mbit RSA key at
// import: without the size check before parsing, x509 validates it for
// about half a minute natively (far longer in WebAssembly).
func BenchmarkImportHugeRSAKey(b *testing.B) {
	for _, form := range []struct{ name, input string }{{"PEM", hugeRSAKeyPEM(b, 1<<20)}, {"JWK", rsaJWK(randomModulus(1<<20), 65537)}} {
		b.Run(form.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ImportKey(form.input, ImportOptions{}); !errors.Is(err, ErrUnsupported) {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestOpenSSHPublicKeys cross-checks tokenlab's reading of OpenSSH
// public keys with golang.org/x/crypto/ssh, which writes them: every key
// type JOSE shares with SSH imports as the same key as its PEM.
func TestOpenSSHPublicKeys(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256", "ES384", "ES512", "EdDSA"} {
		t.Run(alg, func(t *testing.T) {
			k := testKey(t, alg)
			block, _ := pem.Decode([]byte(k.PublicPEM))
			pub, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			sshPub, err := ssh.NewPublicKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " alice@example"
			got, err := ImportKey(line, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Thumbprint != k.Thumbprint || got.Private {
				t.Errorf("thumbprint %s private %v, want %s, public", got.Thumbprint, got.Private, k.Thumbprint)
			}
			rfc4716 := "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"a comment that goes on \\\n and on\"\n" + wrap(base64.StdEncoding.EncodeToString(sshPub.Marshal()), 70) + "\n---- END SSH2 PUBLIC KEY ----"
			if got, err := ImportKey(rfc4716, ImportOptions{}); err != nil || got.Thumbprint != k.Thumbprint {
				t.Errorf("RFC 4716 form: %v, %v", got, err)
			}
			wire := sshPub.Marshal()
			for _, cut := range []int{3, len(wire) / 2, len(wire) - 1} {
				broken := sshPub.Type() + " " + base64.StdEncoding.EncodeToString(wire[:cut])
				if _, err := ImportKey(broken, ImportOptions{}); !errors.Is(err, ErrBadKey) {
					t.Errorf("cut at %d: err = %v, want ErrBadKey", cut, err)
				}
			}
			if _, err := ImportKey(sshPub.Type()+" "+base64.StdEncoding.EncodeToString(append(wire, 0)), ImportOptions{}); !errors.Is(err, ErrBadKey) {
				t.Errorf("an extra byte: err = %v, want ErrBadKey", err)
			}
		})
	}
	field := func(b []byte) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...) }
	dss := append(field([]byte("ssh-dss")), field([]byte{1})...)
	if _, err := ImportKey("ssh-dss "+base64.StdEncoding.EncodeToString(dss), ImportOptions{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ssh-dss: err = %v, want ErrUnsupported", err)
	}
	rsaWire := append(append(field([]byte("ssh-rsa")), field([]byte{1})...), field(randomModulus(2048).Bytes())...)
	if _, err := ImportKey("ssh-rsa "+base64.StdEncoding.EncodeToString(rsaWire), ImportOptions{}); !errors.Is(err, ErrBadKey) {
		t.Errorf("ssh-rsa with e = 1: err = %v, want ErrBadKey", err)
	}
}
