package testvectors

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestLoadJWS pins the published set: six vectors with distinct IDs, each
// with a three-segment token whose alg matches its header and a JWK key.
func TestLoadJWS(t *testing.T) {
	vs := LoadJWS(t)
	want := []string{"rfc7515-A.1-HS256", "rfc7515-A.2-RS256", "rfc7515-A.3-ES256", "rfc7515-A.4-ES512", "rfc7515-A.5-none", "rfc8037-A.4-EdDSA-Ed25519"}
	var got []string
	for _, v := range vs {
		got = append(got, v.ID)
		if n := strings.Count(v.Token, "."); n != 2 {
			t.Errorf("%s: token has %d dots, want 2", v.ID, n)
		}
		var header struct{ Alg string }
		if err := json.Unmarshal([]byte(v.HeaderRaw), &header); err != nil || header.Alg != v.Alg {
			t.Errorf("%s: header %q has alg %q (%v), want %q", v.ID, v.HeaderRaw, header.Alg, err, v.Alg)
		}
		if v.Alg != "none" && !bytes.Contains(v.Key, []byte(`"kty"`)) {
			t.Errorf("%s: key %s is not a JWK", v.ID, v.Key)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("vectors = %v, want %v", got, want)
	}
}

func TestJWSByID(t *testing.T) {
	v := JWSByID(t, "rfc7515-A.3-ES256")
	if v.Alg != "ES256" || !strings.HasPrefix(v.Token, "eyJhbGciOiJFUzI1NiJ9.") {
		t.Errorf("JWSByID(A.3) = %s %.30s…, want the ES256 example", v.Alg, v.Token)
	}
}

func TestFixture(t *testing.T) {
	pem := Fixture(t, "rsa-2048.spki.pem")
	if !bytes.HasPrefix(pem, []byte("-----BEGIN PUBLIC KEY-----\n")) {
		t.Errorf("rsa-2048.spki.pem starts %q, want a PEM public key", pem[:min(len(pem), 30)])
	}
}
