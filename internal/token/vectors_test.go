package token

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/testvectors"
)

// vector is one published JWS vector (testdata/rfc-jws-vectors.json).
type vector = testvectors.Vector

// loadVectors returns the published JWS vectors in file order.
func loadVectors(t testing.TB) []vector {
	t.Helper()
	vs := testvectors.LoadJWS(t)
	if len(vs) != 6 {
		t.Fatalf("got %d vectors, want 6", len(vs))
	}
	return vs
}

// beforeExp is a time at which the RFC 7515 example claims (exp
// 1300819380) are still valid.
var beforeExp = time.Unix(1300819000, 0)

// wantPayload is the Decoded.Payload text for a vector's raw payload.
func wantPayload(raw string) string {
	if json.Valid([]byte(raw)) {
		return string(compactJSON([]byte(raw)))
	}
	b, _ := json.Marshal(raw)
	return string(b)
}

func TestDecodeVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.ID, func(t *testing.T) {
			d, err := Decode(v.Token)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(d.Header), string(compactJSON([]byte(v.HeaderRaw))); got != want {
				t.Errorf("header = %s, want %s", got, want)
			}
			if got, want := string(d.Payload), wantPayload(v.PayloadRaw); got != want {
				t.Errorf("payload = %s, want %s", got, want)
			}
			wantFormat, wantSig := FormatJWS, strings.Split(v.Token, ".")[2]
			if v.Alg == "none" {
				wantFormat, wantSig = FormatUnsecured, ""
			}
			if d.Format != wantFormat || d.Signature != wantSig {
				t.Errorf("format, signature = %s, %q; want %s, %q", d.Format, d.Signature, wantFormat, wantSig)
			}
			if strings.Join(d.Parts, ".") != v.Token {
				t.Errorf("parts = %q do not rejoin to the token", d.Parts)
			}
			if d.Warnings == nil {
				t.Error("warnings is nil, want an empty list")
			}
		})
	}
}

func TestVerifyVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.ID, func(t *testing.T) {
			key := string(v.Key)
			if v.Alg == "none" {
				key = ""
			}
			res, err := Verify(v.Token, VerifyOptions{Key: KeyInput(key), Now: beforeExp})
			if err != nil {
				t.Fatal(err)
			}
			if v.Alg == "none" {
				if res.Valid || failing(res) != "alg" {
					t.Fatalf("alg none: valid=%v failing=%s, want only alg to fail", res.Valid, failing(res))
				}
				return
			}
			if !res.Valid {
				t.Fatalf("not valid: %+v", res.Checks)
			}
			wantIDs := "alg,signature"
			if strings.HasPrefix(v.PayloadRaw, "{") {
				wantIDs += ",exp,iss" // iss "joe" is not compared: a skip
			}
			if got := ids(res); got != wantIDs {
				t.Errorf("checks = %s, want %s", got, wantIDs)
			}
			if string(res.Payload) != wantPayload(v.PayloadRaw) {
				t.Errorf("payload = %s", res.Payload)
			}
		})
		if v.Alg == "none" {
			continue
		}
		t.Run(v.ID+"/tampered", func(t *testing.T) {
			// Flip one character of the signature's first byte.
			parts := strings.Split(v.Token, ".")
			sig := []byte(parts[2])
			if sig[0] == 'A' {
				sig[0] = 'B'
			} else {
				sig[0] = 'A'
			}
			tampered := parts[0] + "." + parts[1] + "." + string(sig)
			res, err := Verify(tampered, VerifyOptions{Key: KeyInput(string(v.Key)), Now: beforeExp})
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid || failing(res) != "signature" {
				t.Fatalf("tampered: valid=%v failing=%s, want only signature to fail", res.Valid, failing(res))
			}
		})
		t.Run(v.ID+"/real clock", func(t *testing.T) {
			res, err := Verify(v.Token, VerifyOptions{Key: KeyInput(string(v.Key))})
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if strings.HasPrefix(v.PayloadRaw, "{") {
				want = "exp" // 1300819380 is March 2011
			}
			if failing(res) != want {
				t.Fatalf("failing = %s, want %q", failing(res), want)
			}
		})
	}
}

func TestVectorNoneNeverValid(t *testing.T) {
	none := testvectors.JWSByID(t, "rfc7515-A.5-none")
	hs256 := testvectors.JWSByID(t, "rfc7515-A.1-HS256")
	for _, key := range []string{"", string(hs256.Key), "secret"} {
		for _, algs := range [][]string{nil, {"none"}} {
			res, err := Verify(none.Token, VerifyOptions{Key: KeyInput(key), Now: beforeExp, Algorithms: algs})
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid || failing(res) != "alg" {
				t.Errorf("key %q algs %v: valid=%v failing=%s", key, algs, res.Valid, failing(res))
			}
		}
	}
}

// ids lists the check ids of a result.
func ids(res *Verified) string {
	var out []string
	for _, c := range res.Checks {
		out = append(out, c.ID)
	}
	return strings.Join(out, ",")
}

// failing lists the ids of the failed checks.
func failing(res *Verified) string {
	var out []string
	for _, c := range res.Checks {
		if !c.OK {
			out = append(out, c.ID)
		}
		if c.Message == "" || c.Ref == "" {
			panic("check " + c.ID + " has no message or ref")
		}
	}
	return strings.Join(out, ",")
}

func TestThumbprintRFC7638(t *testing.T) {
	const jwk = `{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`
	k, err := ImportKey(jwk, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; k.Thumbprint != want {
		t.Errorf("thumbprint = %s, want %s", k.Thumbprint, want)
	}
	if k.Kid != "2011-04-29" || k.Alg != "RS256" || k.Kty != "RSA" {
		t.Errorf("kid, alg, kty = %s, %s, %s", k.Kid, k.Alg, k.Kty)
	}
}
