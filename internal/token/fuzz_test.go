package token

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tokenlab/internal/vocab"
)

// fuzzSeeds are the inputs every parser fuzz target starts from: the
// empty string, "a.b", bad base64, truncated JSON and the RFC vectors.
func fuzzSeeds(t testing.TB) []string {
	seeds := []string{"", "a.b", "a.b.c", "e30.e30.", "eyJhbGciOiJIUzI1NiJ9.*.abc", "eyJhbGciOiJIUzI1NiJ9.e30=.", "eyJhbGciOiJIUzI1NiI.e30.", "bnVsbA.e30.", "Bearer \n e30.e30.e30", "a.b.c.d.e", `{"kty":"EC"`, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"}
	for _, v := range loadVectors(t) {
		seeds = append(seeds, v.Token, string(v.Key), string(v.PrivateJWK))
	}
	return seeds
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Decode(s)
		if err != nil {
			return
		}
		if !json.Valid(d.Header) || d.Header[0] != '{' || !json.Valid(d.Payload) || d.Warnings == nil {
			t.Fatalf("decoded %q to header %q payload %q", s, d.Header, d.Payload)
		}
		if !utf8.Valid(d.Header) || !utf8.Valid(d.Payload) {
			t.Fatalf("decoded %q to JSON that is not UTF-8: header %q payload %q", s, d.Header, d.Payload)
		}
		if JSONDepth(d.Header) > MaxJSONDepth || JSONDepth(d.Payload) > MaxJSONDepth {
			t.Fatalf("decoded %q to JSON nested deeper than MaxJSONDepth", s)
		}
		if n := len(d.Parts); (n == 3) == (d.Format == FormatJWE) || (n != 3 && n != 5) {
			t.Fatalf("format %s with %d parts", d.Format, n)
		}
	})
}

func FuzzImportKey(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, "")
	}
	f.Add(readFixture(f, "rsa-2048.cert.pem"), "RS256")
	f.Add(readFixture(f, "ec-p256.sec1.pem"), "HS256")
	f.Add("\uFEFF\"-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----\"", "")
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x", "")
	f.Add("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE", "EdDSA")
	f.Add(`[{"kty":"oct","k":"c2VjcmV0","key_ops":["sign"]}]`, "HS256")
	f.Fuzz(func(t *testing.T, input, alg string) {
		k, err := ImportKey(input, ImportOptions{Alg: alg})
		if err != nil {
			return
		}
		if len(k.Thumbprint) != 43 || k.Alg == "" {
			t.Fatalf("key %+v", k)
		}
		again := k.PrivateJWK
		if again == nil {
			again = k.PublicJWK
		}
		k2, err := ImportKey(string(again), ImportOptions{})
		if err != nil || k2.Thumbprint != k.Thumbprint {
			t.Fatalf("re-import of %s: %v, thumbprint %v vs %s", again, err, k2, k.Thumbprint)
		}
	})
}

func FuzzVerify(f *testing.F) {
	vs := loadVectors(f)
	for _, s := range fuzzSeeds(f) {
		f.Add(s, string(vs[0].Key), "")
	}
	for _, v := range vs {
		f.Add(v.Token, string(v.Key), "id_token")
	}
	for _, kind := range []string{"auto", "access_token_rfc9068", "logout_token"} {
		f.Add(vs[0].Token, string(vs[0].Key), kind)
	}
	f.Fuzz(func(t *testing.T, tok, key, kind string) {
		guess := Guess{Resembles: vocab.Kind(kind), Confidence: 0.9, Threshold: 0.7}
		if kind == "auto" {
			guess.Resembles = "id_token"
		}
		classify := func(string, map[string]any) Guess { return guess }
		res, err := Verify(tok, VerifyOptions{Key: KeyInput(key), Kind: vocab.Kind(kind), Classify: classify, Now: time.Unix(1300819000, 0), Nonce: "n", Audience: "a", AccessToken: "x"})
		if err != nil {
			return
		}
		all := true
		for _, c := range res.Checks {
			all = all && c.OK
			if c.ID == "" || c.Message == "" || c.Ref == "" {
				t.Fatalf("incomplete check %+v", c)
			}
			if c.OK != (c.Status != StatusFail) || (c.Status != StatusPass && c.Status != StatusFail && c.Status != StatusWarn && c.Status != StatusSkip) {
				t.Fatalf("check %+v: ok and status disagree", c)
			}
		}
		if res.Valid != all || len(res.Checks) == 0 || res.Missing == nil || res.Complete != (len(res.Missing) == 0) || res.Summary == "" {
			t.Fatalf("valid %v complete %v missing %v with checks %+v", res.Valid, res.Complete, res.Missing, res.Checks)
		}
		if (res.Verdict == VerdictInvalid) == res.Valid || (res.Verdict == VerdictValid) != (res.Valid && res.Complete) {
			t.Fatalf("verdict %s with valid %v complete %v", res.Verdict, res.Valid, res.Complete)
		}
		var h struct{ Alg string }
		if json.Unmarshal(res.Header, &h) == nil && res.Valid && strings.EqualFold(h.Alg, "none") {
			t.Fatalf("a token with alg none verified: %s", res.Header)
		}
	})
}
