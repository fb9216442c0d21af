package token

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

// recipientKeys returns, for a key-management alg, the encryption key and
// a different key of the same kind (for the wrong-key case). RSA keys are
// the 2048-bit fixture and one generated key, reused.
func recipientKeys(t *testing.T, alg, enc string) (right, wrong string) {
	t.Helper()
	spec, _ := lookupAlg(alg)
	switch {
	case spec.kty == "RSA":
		fixture, err := ImportKey(readFixture(t, "rsa-2048.pkcs1.pem"), ImportOptions{Alg: alg})
		if err != nil {
			t.Fatal(err)
		}
		return string(fixture.PrivateJWK), testKey(t, "RS256").PrivatePEM
	case spec.kty == "EC":
		return testKey(t, "ECDH-ES").PrivatePEM, testKey(t, "ES256").PrivatePEM
	case strings.HasPrefix(alg, "PBES2"):
		return "correct horse battery staple", "Tr0ub4dor&3"
	case alg == "dir":
		bits := encKeyBytes(enc) * 8
		a, err := GenerateKey(GenerateOptions{Alg: "dir", Bits: bits})
		if err != nil {
			t.Fatal(err)
		}
		b, err := GenerateKey(GenerateOptions{Alg: "dir", Bits: bits})
		if err != nil {
			t.Fatal(err)
		}
		return string(a.PrivateJWK), string(b.PrivateJWK)
	}
	a, b := testKey(t, alg), testKey(t, alg+"#2")
	return string(a.PrivateJWK), string(b.PrivateJWK)
}

func TestJWERoundTripEveryCombination(t *testing.T) {
	signer := hsKey(t)
	// A second AES key per size for the wrong-key cases.
	for _, alg := range []string{"A128KW", "A192KW", "A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW"} {
		k, err := GenerateKey(GenerateOptions{Alg: alg})
		if err != nil {
			t.Fatal(err)
		}
		keyCache.Store(alg+"#2", k)
	}
	for _, alg := range keyAlgs {
		for _, enc := range contentEncs {
			name := string(alg) + "/" + string(enc)
			t.Run(name, func(t *testing.T) {
				right, wrong := recipientKeys(t, string(alg), string(enc))
				m := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(signer), Encrypt: &EncryptOptions{Key: KeyInput(right), Alg: string(alg), Enc: string(enc), PBES2Count: 1000}})
				var h struct{ Alg, Enc, Cty string }
				if err := json.Unmarshal(m.Header, &h); err != nil || h.Alg != string(alg) || h.Enc != string(enc) || h.Cty != "JWT" {
					t.Fatalf("JWE header = %s", m.Header)
				}
				got, err := Decrypt(m.Token, DecryptOptions{Key: KeyInput(right)})
				if err != nil {
					t.Fatal(err)
				}
				if got.Plaintext != m.Nested.Token || got.Nested == nil || string(got.Nested.Payload) != string(m.Payload) || got.Payload != nil {
					t.Fatalf("decrypted %+v does not hold the signed token", got)
				}
				res := mustVerify(t, got.Plaintext, VerifyOptions{Key: KeyInput(signer), Kind: vocab.IDToken, Now: mintAt})
				if !res.Valid {
					t.Fatalf("nested token not valid\n%s", dump(res))
				}
				if _, err := Decrypt(m.Token, DecryptOptions{Key: KeyInput(wrong)}); !errors.Is(err, ErrBadKey) {
					t.Fatalf("wrong key: err = %v, want ErrBadKey", err)
				}
			})
		}
	}
}

func TestMintDirectJWE(t *testing.T) {
	k := testKey(t, "A256KW")
	m := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(keyJSON(t, k))})
	d, err := Decode(m.Token)
	if err != nil || d.Format != FormatJWE {
		t.Fatalf("format %v, err %v", d, err)
	}
	if !strings.Contains(string(m.Header), `"typ":"at+jwt"`) || !strings.Contains(string(m.Header), `"enc":"A256GCM"`) {
		t.Errorf("header = %s", m.Header)
	}
	got, err := Decrypt(m.Token, DecryptOptions{Key: KeyInput(string(k.PrivateJWK))})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Payload) != string(m.Payload) || got.Nested != nil {
		t.Fatalf("payload %s nested %v", got.Payload, got.Nested)
	}
}

func TestDecryptErrors(t *testing.T) {
	rsa := readFixture(t, "rsa-2048.pkcs1.pem")
	tok := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(hsKey(t)), Encrypt: &EncryptOptions{Key: KeyInput(readFixture(t, "rsa-2048.spki.pem"))}}).Token
	tests := []struct {
		name, token, key string
		want             error
	}{
		{"JWS", loadVectors(t)[0].Token, rsa, ErrBadRequest},
		{"public key", tok, readFixture(t, "rsa-2048.cert.pem"), ErrBadKey},
		{"EC key for RSA-OAEP", tok, testKey(t, "ES256").PrivatePEM, ErrBadKey},
		{"secret for RSA-OAEP", tok, "secret", ErrBadKey},
		{"no key", tok, "", ErrBadRequest},
		{"tampered ciphertext", tamper(tok, 3), rsa, ErrBadKey},
		{"malformed", "a.b.c.d.*", rsa, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decrypt(tc.token, DecryptOptions{Key: KeyInput(tc.key)}); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := Decrypt(tok, DecryptOptions{Key: KeyInput(rsa)}); err != nil {
		t.Fatalf("the right key fails: %v", err)
	}
}

// tamper changes the first character of segment i.
func tamper(token string, i int) string {
	parts := strings.Split(token, ".")
	b := []byte(parts[i])
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	parts[i] = string(b)
	return strings.Join(parts, ".")
}
