package token

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSignSignsExactBytes(t *testing.T) {
	key, err := GenerateKey(GenerateOptions{Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte(`{"b":1,"a":"x&y"}`)
	m, err := Sign(SignOptions{Key: string(key.PrivateJWK), Header: json.RawMessage(`{"typ":"kb+jwt"}`), Payload: payload, EmbedJWK: true})
	if err != nil {
		t.Fatal(err)
	}
	var header struct {
		Alg string          `json:"alg"`
		Typ string          `json:"typ"`
		JWK json.RawMessage `json:"jwk"`
	}
	if err := json.Unmarshal(m.Header, &header); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(m.Header), `{"alg":"ES256","jwk":{`) || header.Typ != "kb+jwt" {
		t.Errorf("header = %s, want alg first, then jwk, then typ", m.Header)
	}
	var jwk map[string]any
	if err := json.Unmarshal(header.JWK, &jwk); err != nil {
		t.Fatal(err)
	}
	if len(jwk) != 4 || jwk["d"] != nil || jwk["kid"] != nil {
		t.Errorf("embedded jwk = %s, want only kty, crv, x, y", header.JWK)
	}
	d, err := Decode(m.Token)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Payload) != string(payload) {
		t.Errorf("payload = %s, want the bytes given", d.Payload)
	}
	v, err := Verify(m.Token, VerifyOptions{Key: KeyInput(key.PublicJWK), Now: time.Now()})
	if err != nil || !v.Valid {
		t.Fatalf("the signed token does not verify: %v %+v", err, v)
	}
}

func TestSignRefuses(t *testing.T) {
	ec, err := GenerateKey(GenerateOptions{Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts SignOptions
		want error
	}{
		{"no key", SignOptions{Payload: []byte(`{}`)}, ErrBadRequest},
		{"payload not JSON", SignOptions{Key: string(ec.PrivateJWK), Payload: []byte(`{`)}, ErrBadRequest},
		{"public key", SignOptions{Key: string(ec.PublicJWK), Payload: []byte(`{}`)}, ErrBadKey},
		{"alg none", SignOptions{Key: string(ec.PrivateJWK), Alg: "none", Payload: []byte(`{}`)}, ErrUnsupported},
		{"alg in header", SignOptions{Key: string(ec.PrivateJWK), Header: json.RawMessage(`{"alg":"HS256"}`), Payload: []byte(`{}`)}, ErrBadRequest},
		{"jwk of a secret", SignOptions{Key: hsKey(t), EmbedJWK: true, Payload: []byte(`{}`)}, ErrBadKey},
		{"wrong alg for key", SignOptions{Key: string(ec.PrivateJWK), Alg: "RS256", Payload: []byte(`{}`)}, ErrBadKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Sign(tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTally(t *testing.T) {
	pass := Check{ID: "signature", Status: StatusPass, OK: true}
	tests := []struct {
		name    string
		checks  []Check
		missing []string
		verdict Verdict
		summary string
	}{
		{"valid", []Check{pass}, nil, VerdictValid, "Valid SD-JWT: every check passed"},
		{"warned", []Check{pass, {ID: "key_binding", Status: StatusWarn}}, nil, VerdictValid, "Valid SD-JWT: no check failed, 1 warning"},
		{"three missing", []Check{pass}, []string{"iss", "aud", "nonce"}, VerdictIncomplete, "Signature verified — issuer, audience and nonce not compared"},
		{"htm and htu", []Check{pass}, []string{"htm", "htu"}, VerdictIncomplete, "Signature verified — method (htm) and URL (htu) not compared"},
		{"failed", []Check{pass, {ID: "sd_hash", Status: StatusFail}, {ID: "digests", Status: StatusFail}}, []string{"aud"}, VerdictInvalid, "Not valid: 2 of 3 checks failed (sd_hash, digests)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Tally("SD-JWT", tc.checks, tc.missing)
			if o.Verdict != tc.verdict || o.Summary != tc.summary || o.Valid != (tc.verdict != VerdictInvalid) || o.Complete != (len(tc.missing) == 0) {
				t.Errorf("Tally = %+v, want %s %q", o, tc.verdict, tc.summary)
			}
		})
	}
}

func TestCheckClaims(t *testing.T) {
	now := time.Unix(1700000000, 0)
	checks, missing, err := CheckClaims(json.RawMessage(`{"iss":"https://issuer.example","aud":"x","exp":1699999999,"iat":1600000000}`), VerifyOptions{Issuer: "https://issuer.example", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Status{}
	for _, c := range checks {
		got[c.ID] = c.Status
	}
	want := map[string]Status{"exp": StatusFail, "iat": StatusPass, "iss": StatusPass, "aud": StatusSkip}
	for id, status := range want {
		if got[id] != status {
			t.Errorf("check %s = %q, want %q (all: %+v)", id, got[id], status, checks)
		}
	}
	if strings.Join(missing, ",") != "aud" {
		t.Errorf("missing = %v, want [aud]: an aud present and not compared", missing)
	}
	if _, _, err := CheckClaims(json.RawMessage(`[1]`), VerifyOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("an array of claims: err = %v, want ErrMalformed", err)
	}
}

func TestCheckIssuedAt(t *testing.T) {
	now := time.Unix(1700000000, 0)
	tests := []struct {
		name   string
		claims string
		status Status
		says   string
	}{
		{"fresh", `{"iat":1699999990}`, StatusPass, "10 seconds ago: within the window of 5 minutes"},
		{"old", `{"iat":1699999000}`, StatusFail, "older than the window of 5 minutes"},
		{"old within leeway", `{"iat":1699999690}`, StatusPass, "within the window of 5 minutes"},
		{"future", `{"iat":1700000100}`, StatusFail, "in the future, beyond the allowed clock skew"},
		{"slightly future", `{"iat":1700000005}`, StatusPass, "within the allowed clock skew"},
		{"missing", `{}`, StatusFail, "has no iat"},
		{"string", `{"iat":"now"}`, StatusFail, "not a usable NumericDate"},
		{"fractional", `{"iat":1699999999.5}`, StatusPass, "500 milliseconds ago"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := CheckIssuedAt(json.RawMessage(tc.claims), "iat", "RFC 9449 §4.3", now, 5*time.Minute, 10*time.Second)
			if c.Status != tc.status || !strings.Contains(c.Message, tc.says) || c.OK != (tc.status != StatusFail) {
				t.Errorf("check = %+v, want %s saying %q", c, tc.status, tc.says)
			}
		})
	}
}

func TestDecodeSegment(t *testing.T) {
	if b, err := DecodeSegment("eyJhIjoxfQ"); err != nil || string(b) != `{"a":1}` {
		t.Errorf("DecodeSegment = %q, %v", b, err)
	}
	if _, err := DecodeSegment("ab+c"); err == nil || !strings.Contains(err.Error(), "standard base64") {
		t.Errorf("DecodeSegment(ab+c) = %v, want the standard-base64 hint", err)
	}
}
