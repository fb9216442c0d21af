package engine

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/testvectors"
)

func call(t *testing.T, e *Engine, method string, args ...any) (json.RawMessage, *Error) {
	t.Helper()
	in, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Call(method, in)
	if err != nil {
		var apiErr *Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s returned %T %v, want *Error", method, err, err)
		}
		return nil, apiErr
	}
	return out, nil
}

func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func TestDecodeVectors(t *testing.T) {
	e := New(Options{})
	for _, v := range testvectors.LoadJWS(t) {
		t.Run(v.ID, func(t *testing.T) {
			out, apiErr := call(t, e, "decode", v.Token)
			if apiErr != nil {
				t.Fatal(apiErr)
			}
			var got struct {
				Format  string          `json:"format"`
				Header  json.RawMessage `json:"header"`
				Payload json.RawMessage `json:"payload"`
				Parts   []string        `json:"parts"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if h := compactJSON(t, string(got.Header)); h != compactJSON(t, v.HeaderRaw) {
				t.Errorf("header = %s, want %s", h, v.HeaderRaw)
			}
			wantPayload := compactJSON(t, v.PayloadRaw)
			if !json.Valid([]byte(v.PayloadRaw)) {
				b, _ := json.Marshal(v.PayloadRaw)
				wantPayload = string(b)
			}
			if p := compactJSON(t, string(got.Payload)); p != wantPayload {
				t.Errorf("payload = %s, want %s", p, wantPayload)
			}
			wantFormat := "JWS"
			if v.Alg == "none" {
				wantFormat = "unsecured"
			}
			if got.Format != wantFormat {
				t.Errorf("format = %s, want %s", got.Format, wantFormat)
			}
		})
	}
}

func TestErrorsCarryStableCodes(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		name, method string
		args         []any
		want         string
	}{
		{"garbage token", "decode", []any{"not a token"}, CodeMalformed},
		{"bad base64 payload", "decode", []any{"eyJhbGciOiJIUzI1NiJ9.*.abc"}, CodeMalformed},
		{"token is not a string", "decode", []any{42}, CodeBadRequest},
		{"no token", "decode", nil, CodeBadRequest},
		{"unknown method", "frobnicate", nil, CodeBadRequest},
		{"options not an object", "verify", []any{"a.b.c", "key"}, CodeBadRequest},
		{"unknown algorithm", "generateKey", []any{map[string]any{"alg": "XS999"}}, CodeUnsupported},
		{"garbage key", "importKey", []any{"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"}, CodeBadKey},
		{"no key to verify with", "verify", []any{testvectors.LoadJWS(t)[0].Token, map[string]any{}}, CodeBadRequest},
		{"no options to verify with", "verify", []any{testvectors.LoadJWS(t)[0].Token}, CodeBadRequest},
		{"key of the wrong type", "verify", []any{testvectors.LoadJWS(t)[0].Token, map[string]any{"key": 42}}, CodeBadRequest},
		{"options not an object for mint", "mint", []any{[]any{"id_token"}}, CodeBadRequest},
		{"lifetime not a number", "mint", []any{map[string]any{"kind": "jwt", "key": "k", "lifetime": "1h"}}, CodeBadRequest},
		{"negative leeway", "verify", []any{testvectors.LoadJWS(t)[0].Token, map[string]any{"key": "k", "leeway": -1}}, CodeBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, apiErr := call(t, e, tc.method, tc.args...)
			if apiErr == nil {
				t.Fatalf("%s succeeded, want %s", tc.method, tc.want)
			}
			if apiErr.Code != tc.want || apiErr.Message == "" {
				t.Errorf("error = %+v, want code %s with a message", apiErr, tc.want)
			}
			if strings.HasPrefix(apiErr.Message, "token: ") {
				t.Errorf("message %q leaks the package prefix", apiErr.Message)
			}
		})
	}
}

func TestPanicsBecomeInternalErrors(t *testing.T) {
	e := New(Options{})
	e.methods["boom"] = func(*Engine, []json.RawMessage) (any, error) { panic("kaboom") }
	_, apiErr := call(t, e, "boom")
	if apiErr == nil || apiErr.Code != CodeInternal || !strings.Contains(apiErr.Message, "kaboom") {
		t.Fatalf("panic → %+v, want an internal error naming it", apiErr)
	}
	if _, apiErr := call(t, e, "decode", testvectors.LoadJWS(t)[0].Token); apiErr != nil {
		t.Fatalf("the engine did not recover: %v", apiErr)
	}
}

func TestOversizedArgumentsAreRefused(t *testing.T) {
	e := New(Options{})
	_, apiErr := call(t, e, "decode", strings.Repeat("a", MaxArgsBytes))
	if apiErr == nil || apiErr.Code != CodeMalformed || !strings.Contains(apiErr.Message, "at most") {
		t.Fatalf("oversized input → %+v, want malformed with the limit", apiErr)
	}
}

// TestClockOption: a call runs at its now option (Unix seconds, fractions
// kept), else at the engine's clock; a now that is no usable NumericDate
// is refused.
func TestClockOption(t *testing.T) {
	fixed := time.Unix(1700000000, 0)
	e := New(Options{Now: func() time.Time { return fixed }})
	iat := func(opts map[string]any) float64 {
		t.Helper()
		out, apiErr := call(t, e, "mint", merge(map[string]any{"kind": "jwt", "key": "a-long-enough-secret-for-hs256-0123456789"}, opts))
		if apiErr != nil {
			t.Fatal(apiErr)
		}
		var m struct{ Payload struct{ Iat float64 } }
		decodeInto(t, out, &m)
		return m.Payload.Iat
	}
	if got := iat(nil); got != 1700000000 {
		t.Errorf("iat without now = %v, want the engine clock 1700000000", got)
	}
	if got := iat(map[string]any{"now": 1300819379.5}); got != 1300819379 {
		t.Errorf("iat with now 1300819379.5 = %v, want 1300819379", got)
	}
	tok := "eyJhbGciOiJub25lIn0.eyJleHAiOjEzMDA4MTkzODAuNX0." // {"alg":"none"}.{"exp":1300819380.5}
	for now, want := range map[float64]string{1300819380: "500 milliseconds from now", 1300819380.25: "250 milliseconds from now", 1300819381: "500 milliseconds before now"} {
		out, apiErr := call(t, e, "verify", tok, map[string]any{"now": now, "kind": "jwt"})
		if apiErr != nil {
			t.Fatal(apiErr)
		}
		if !strings.Contains(string(out), want) {
			t.Errorf("verify at %v: %s lacks %q", now, out, want)
		}
	}
	for _, bad := range []any{-1, 1e300, "tomorrow"} {
		if _, apiErr := call(t, e, "explain", tok, map[string]any{"now": bad}); apiErr == nil || apiErr.Code != CodeBadRequest {
			t.Errorf("explain with now %v → %+v, want bad_request", bad, apiErr)
		}
	}
}

func decodeInto(t *testing.T, raw json.RawMessage, dst any) {
	t.Helper()
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
}

type checkResult struct {
	ID, Message, Ref string
	OK               bool
}

type verifyResult struct {
	Valid  bool          `json:"valid"`
	Kind   string        `json:"kind"`
	Checks []checkResult `json:"checks"`
}

func failedChecks(v verifyResult) []string {
	var ids []string
	for _, c := range v.Checks {
		if !c.OK {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func TestVerifyVectorsThroughTheAPI(t *testing.T) {
	e := New(Options{})
	vs := testvectors.LoadJWS(t)
	for _, v := range vs {
		t.Run(v.ID, func(t *testing.T) {
			key := v.Key
			if v.Alg == "none" {
				key = vs[0].Key // an attacker strips the signature of an HS256 token
			}
			opts := map[string]any{"key": key, "now": 1300819370, "kind": "jwt"}
			out, apiErr := call(t, e, "verify", v.Token, opts)
			if apiErr != nil {
				t.Fatal(apiErr)
			}
			var res verifyResult
			decodeInto(t, out, &res)
			if v.Alg == "none" {
				if res.Valid || !contains(failedChecks(res), "alg") {
					t.Fatalf("an unsecured token: valid=%v failed=%v, want the alg check to fail", res.Valid, failedChecks(res))
				}
				return
			}
			if !res.Valid {
				t.Fatalf("verify failed checks %v: %+v", failedChecks(res), res.Checks)
			}
			// Flip one signature character: only the signature check may fail.
			tampered := []byte(v.Token)
			last := len(tampered) - 3
			if tampered[last] == 'A' {
				tampered[last] = 'B'
			} else {
				tampered[last] = 'A'
			}
			out, apiErr = call(t, e, "verify", string(tampered), opts)
			if apiErr != nil {
				t.Fatal(apiErr)
			}
			decodeInto(t, out, &res)
			if res.Valid || strings.Join(failedChecks(res), ",") != "signature" {
				t.Errorf("tampered token: valid=%v failed=%v, want only signature to fail", res.Valid, failedChecks(res))
			}
		})
	}
}

// TestSignInRoundTrip generates a key, mints an access token and an ID token
// bound to it by at_hash, and checks that each is classified and verified as
// its kind, and that the API refuses an ID token as an access token.
func TestSignInRoundTrip(t *testing.T) {
	e := New(Options{})
	out, apiErr := call(t, e, "generateKey", map[string]any{"alg": "ES256"})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var key struct {
		Alg        string          `json:"alg"`
		Kid        string          `json:"kid"`
		Thumbprint string          `json:"thumbprint"`
		PublicJWK  json.RawMessage `json:"publicJwk"`
		PrivateJWK json.RawMessage `json:"privateJwk"`
	}
	decodeInto(t, out, &key)
	if key.Alg != "ES256" || key.Kid == "" || key.Kid != key.Thumbprint {
		t.Fatalf("generated key alg=%s kid=%s thumbprint=%s, want ES256 with the thumbprint as kid", key.Alg, key.Kid, key.Thumbprint)
	}
	var keyObject map[string]any
	decodeInto(t, out, &keyObject)

	claims := map[string]any{"iss": "https://issuer.example", "sub": "alice"}
	out, apiErr = call(t, e, "mint", map[string]any{"kind": "access_token", "key": keyObject, "claims": merge(claims, map[string]any{"aud": "https://api.example"})})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var access struct {
		Token string `json:"token"`
	}
	decodeInto(t, out, &access)
	out, apiErr = call(t, e, "mint", map[string]any{"kind": "id_token", "key": keyObject, "accessToken": access.Token, "claims": merge(claims, map[string]any{"aud": "client-123", "nonce": "n-0S6_WzA2Mj"})})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var id struct {
		Token   string         `json:"token"`
		Payload map[string]any `json:"payload"`
	}
	decodeInto(t, out, &id)
	if id.Payload["at_hash"] == nil || id.Payload["nonce"] != "n-0S6_WzA2Mj" {
		t.Fatalf("ID token payload %v lacks at_hash or nonce", id.Payload)
	}

	for _, tc := range []struct {
		name, token, kind string
	}{{"access", access.Token, "access_token"}, {"id", id.Token, "id_token"}} {
		out, apiErr = call(t, e, "explain", tc.token)
		if apiErr != nil {
			t.Fatal(apiErr)
		}
		var ex struct {
			Kind string `json:"kind"`
		}
		decodeInto(t, out, &ex)
		if ex.Kind != tc.kind {
			t.Errorf("explain(%s token).kind = %s, want %s", tc.name, ex.Kind, tc.kind)
		}
	}

	verify := func(tok string, opts map[string]any) verifyResult {
		t.Helper()
		out, apiErr := call(t, e, "verify", tok, merge(map[string]any{"key": json.RawMessage(key.PublicJWK), "issuer": "https://issuer.example"}, opts))
		if apiErr != nil {
			t.Fatal(apiErr)
		}
		var res verifyResult
		decodeInto(t, out, &res)
		return res
	}
	if res := verify(access.Token, map[string]any{"audience": "https://api.example"}); !res.Valid || res.Kind != "access_token" {
		t.Errorf("access token: valid=%v kind=%s failed=%v", res.Valid, res.Kind, failedChecks(res))
	}
	if res := verify(id.Token, map[string]any{"audience": "client-123", "nonce": "n-0S6_WzA2Mj", "accessToken": access.Token}); !res.Valid || res.Kind != "id_token" {
		t.Errorf("ID token: valid=%v kind=%s failed=%v", res.Valid, res.Kind, failedChecks(res))
	}
	// An API holding tokens to RFC 9068 refuses the ID token for its type
	// and audience; one accepting its issuer's own format still refuses it
	// for the audience, and only warns about the type.
	if res := verify(id.Token, map[string]any{"audience": "https://api.example", "kind": "access_token_rfc9068"}); res.Valid {
		t.Error("the API accepted an ID token as its access token")
	} else if got := failedChecks(res); !contains(got, "typ") || !contains(got, "aud") {
		t.Errorf("ID token sent to the API failed %v, want typ and aud", got)
	}
	if res := verify(id.Token, map[string]any{"audience": "https://api.example", "kind": "access_token"}); res.Valid {
		t.Error("the API accepted an ID token as its access token")
	} else if got := failedChecks(res); strings.Join(got, ",") != "aud" {
		t.Errorf("ID token sent to an API that takes the issuer's format failed %v, want aud", got)
	}
}

func TestGuideCoversEveryKind(t *testing.T) {
	out, apiErr := call(t, New(Options{}), "guide")
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var guides []struct {
		Kind, Summary string
	}
	decodeInto(t, out, &guides)
	have := map[string]bool{}
	for _, g := range guides {
		if g.Summary == "" {
			t.Errorf("guide for %s has no summary", g.Kind)
		}
		have[g.Kind] = true
	}
	for _, k := range []string{"id_token", "access_token", "refresh_token", "logout_token"} {
		if !have[k] {
			t.Errorf("guide lacks %s", k)
		}
	}
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
