package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

// withHeader rewrites a JWE's protected header: members set to nil are
// removed, others replaced. The token no longer authenticates, which does
// not matter: every fault below must be found before any key is tried.
func withHeader(t *testing.T, token string, members map[string]any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	var h map[string]any
	if err := json.Unmarshal(must(base64.RawURLEncoding.DecodeString(parts[0])), &h); err != nil {
		t.Fatal(err)
	}
	for k, v := range members {
		if v == nil {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	parts[0] = base64.RawURLEncoding.EncodeToString(must(json.Marshal(h)))
	return strings.Join(parts, ".")
}

// withSegment replaces segment i of a JWE with the base64url of b.
func withSegment(token string, i int, b []byte) string {
	parts := strings.Split(token, ".")
	parts[i] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

// TestDecryptFaultsOfTheToken: a fault of the JWE itself is reported as
// malformed or unsupported, naming the fault, and never as a wrong key.
// The dir and ECDH-ES tokens with an encrypted key used to decrypt
// (RFC 7516 §5.2 step 10 requires rejecting them); the others were all
// "not the key the token was encrypted to".
func TestDecryptFaultsOfTheToken(t *testing.T) {
	dirKey, err := GenerateKey(GenerateOptions{Alg: "dir"})
	if err != nil {
		t.Fatal(err)
	}
	ecdh := testKey(t, "ECDH-ES")
	const password = "correct horse battery staple"
	encrypt := func(key, alg, enc string) string {
		return mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(hsKey(t)), Encrypt: &EncryptOptions{Key: KeyInput(key), Alg: alg, Enc: enc, PBES2Count: 1000}}).Token
	}
	dir := encrypt(string(dirKey.PrivateJWK), "dir", "")
	ecdhES := encrypt(ecdh.PublicPEM, "ECDH-ES", "")
	pbes2 := encrypt(password, "PBES2-HS256+A128KW", "")
	cbc := encrypt(string(dirKey.PrivateJWK), "dir", "A128CBC-HS256")
	gcmkw := encrypt(string(testKey(t, "A256GCMKW").PrivateJWK), "A256GCMKW", "")
	aeskw := encrypt(string(testKey(t, "A256KW").PrivateJWK), "A256KW", "")
	tests := []struct {
		name, token, key string
		want             error
		says             string
	}{
		{"dir with an encrypted key", withSegment(dir, 1, []byte("sixteen bytes!!!")), string(dirKey.PrivateJWK), ErrMalformed, "encrypted-key segment must be empty for alg dir"},
		{"ECDH-ES with an encrypted key", withSegment(ecdhES, 1, []byte("sixteen bytes!!!")), ecdh.PrivatePEM, ErrMalformed, "encrypted-key segment must be empty for alg ECDH-ES"},
		{"A256KW without an encrypted key", withSegment(aeskw, 1, nil), string(testKey(t, "A256KW").PrivateJWK), ErrMalformed, "encrypted-key segment is empty"},
		{"unknown crit", withHeader(t, dir, map[string]any{"crit": []string{"urn:x"}, "urn:x": 1}), string(dirKey.PrivateJWK), ErrUnsupported, `marks "urn:x" as critical`},
		{"crit not an array", withHeader(t, dir, map[string]any{"crit": "urn:x"}), string(dirKey.PrivateJWK), ErrMalformed, "crit must be a non-empty array"},
		{"GCM IV of 8 bytes", withSegment(dir, 2, make([]byte, 8)), string(dirKey.PrivateJWK), ErrMalformed, "initialization vector has 8 bytes, but A256GCM uses 12"},
		{"CBC IV of 12 bytes", withSegment(cbc, 2, make([]byte, 12)), string(dirKey.PrivateJWK), ErrMalformed, "initialization vector has 12 bytes, but A128CBC-HS256 uses 16"},
		{"GCM tag of 8 bytes", withSegment(dir, 4, make([]byte, 8)), string(dirKey.PrivateJWK), ErrMalformed, "authentication tag has 8 bytes, but A256GCM produces 16"},
		{"CBC tag of 32 bytes", withSegment(cbc, 4, make([]byte, 32)), string(dirKey.PrivateJWK), ErrMalformed, "authentication tag has 32 bytes, but A128CBC-HS256 produces 16"},
		{"p2c of ten million", withHeader(t, pbes2, map[string]any{"p2c": 10_000_000}), password, ErrMalformed, "p2c is 10000000"},
		{"p2c of zero", withHeader(t, pbes2, map[string]any{"p2c": 0}), password, ErrMalformed, "must be a positive integer"},
		{"p2c a string", withHeader(t, pbes2, map[string]any{"p2c": "1000"}), password, ErrMalformed, "must be a positive integer"},
		{"no p2c", withHeader(t, pbes2, map[string]any{"p2c": nil}), password, ErrMalformed, "has no p2c"},
		{"empty p2s", withHeader(t, pbes2, map[string]any{"p2s": ""}), password, ErrMalformed, "p2s has 0 bytes"},
		{"short p2s", withHeader(t, pbes2, map[string]any{"p2s": "AAAAAA"}), password, ErrMalformed, "p2s has 4 bytes"},
		{"no p2s", withHeader(t, pbes2, map[string]any{"p2s": nil}), password, ErrMalformed, "has no p2s"},
		{"ECDH-ES without epk", withHeader(t, ecdhES, map[string]any{"epk": nil}), ecdh.PrivatePEM, ErrMalformed, "ephemeral public key in the header's epk (RFC 7518 §4.6.1.1), and there is none"},
		{"GCMKW with a short iv", withHeader(t, gcmkw, map[string]any{"iv": "AAAA"}), string(testKey(t, "A256GCMKW").PrivateJWK), ErrMalformed, "96-bit iv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decrypt(tc.token, DecryptOptions{Key: KeyInput(tc.key)})
			if !errors.Is(err, tc.want) || errors.Is(err, ErrBadKey) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("message %q does not say %q", err, tc.says)
			}
		})
	}
	for name, tok := range map[string]string{"dir": dir, "ECDH-ES": ecdhES, "PBES2": pbes2, "CBC": cbc, "A256GCMKW": gcmkw} {
		key := map[string]string{"dir": string(dirKey.PrivateJWK), "ECDH-ES": ecdh.PrivatePEM, "PBES2": password, "CBC": string(dirKey.PrivateJWK), "A256GCMKW": string(testKey(t, "A256GCMKW").PrivateJWK)}[name]
		if _, err := Decrypt(tok, DecryptOptions{Key: KeyInput(key)}); err != nil {
			t.Errorf("the untouched %s token does not decrypt: %v", name, err)
		}
	}
}

// TestDecryptPBES2TriesOnePassword: each PBES2 try costs p2c iterations,
// so a key set is not searched password by password: only the key whose
// kid matches is tried, or else the first that fits.
func TestDecryptPBES2TriesOnePassword(t *testing.T) {
	oct := func(kid, password string) string {
		return fmt.Sprintf(`{"kty":"oct","kid":%q,"k":%q}`, kid, base64.RawURLEncoding.EncodeToString([]byte(password)))
	}
	const right, wrong = "correct horse battery staple", "Tr0ub4dor&3"
	withKid := mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(hsKey(t)), Encrypt: &EncryptOptions{Key: KeyInput(oct("right", right)), Alg: "PBES2-HS256+A128KW", PBES2Count: 1000}}).Token
	withoutKid := mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(hsKey(t)), Encrypt: &EncryptOptions{Key: KeyInput(right), Alg: "PBES2-HS256+A128KW", PBES2Count: 1000}}).Token
	tests := []struct {
		name, token, keys string
		ok                bool
	}{
		{"kid picks the right password", withKid, `{"keys":[` + oct("wrong", wrong) + "," + oct("right", right) + `]}`, true},
		{"no kid: only the first password is tried", withoutKid, `{"keys":[{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString([]byte(wrong)) + `"},{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString([]byte(right)) + `"}]}`, false},
		{"no kid: the first password is right", withoutKid, `{"keys":[{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString([]byte(right)) + `"},{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString([]byte(wrong)) + `"}]}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decrypt(tc.token, DecryptOptions{Key: KeyInput(tc.keys)})
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v, want success %v", err, tc.ok)
			}
			if err != nil && (!errors.Is(err, ErrBadKey) || !strings.Contains(err.Error(), "one PBES2 password per token")) {
				t.Errorf("err = %v, want ErrBadKey saying only one password is tried", err)
			}
		})
	}
}
