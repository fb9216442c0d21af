package dpop

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// FuzzVerify: Verify never panics on any input, and what it returns is
// JSON with one status per check.
func FuzzVerify(f *testing.F) {
	header := b64(`{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}}`)
	for _, seed := range []string{"", "a.b", "a.b.c", "~", "a~b~", header + "." + b64(`{"htm":"GET"}`) + ".!!", header + "." + b64(`{"htm":`) + ".AA", "DPoP: x.y.z", "a,b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Verify(s, VerifyOptions{HTM: "GET", HTU: "https://a.example/", AccessToken: "t", Nonce: "n", Now: time.Unix(1562262616, 0)})
		if err != nil {
			return
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatal(err)
		}
		if v.Valid {
			t.Fatalf("a random input verified: %q", s)
		}
	})
}

// FuzzNormalizeURI: normalizing is idempotent.
func FuzzNormalizeURI(f *testing.F) {
	for _, seed := range []string{"", "https://a/", "HTTP://A:80/./b/../c?d#e", "https://[::1]:8443/%7e", "x://@/", "https://a/%"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := normalizeURI(s)
		if !ok {
			return
		}
		again, ok := normalizeURI(n)
		if !ok || again != n {
			t.Fatalf("%q → %q → %q, %v", s, n, again, ok)
		}
	})
}
