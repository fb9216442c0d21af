package engine

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tokenlab/internal/testvectors"
)

// fuzzMethods are the API verbs FuzzCall drives, in a fixed order so that a
// corpus entry's selector byte always means the same method. The last entry
// is not a method: it checks that unknown names are refused cleanly.
var fuzzMethods = []string{
	"decode", "explain", "verify", "decrypt", "importKey", "mint", "generateKey", "guide", "stats",
	"presets", "__proto__", "present",
}

// fuzzCallLimit is how long one call may take before FuzzCall reports a
// hang. The slowest legitimate call a fuzzed input can reach is a 4096-bit
// RSA key generation (about a second natively); ten times that is a bug.
const fuzzCallLimit = 10 * time.Second

// slowKeygen reports a generateKey request for RSA, which is slow by nature
// (not a hang) and would starve the fuzzer of iterations.
func slowKeygen(method string, args []byte) bool {
	return method == "generateKey" && (strings.Contains(string(args), `"RS`) || strings.Contains(string(args), `"PS`) || strings.Contains(string(args), `"RSA`))
}

// FuzzCall drives the whole API surface, method × arbitrary JSON arguments,
// the way the worker does (Engine.Call with the JSON text of the
// JavaScript arguments). Whatever the input:
//   - no call panics (a recovered panic surfaces as code "internal", which
//     API.md reserves for bugs, so it fails the target),
//   - no call hangs,
//   - every failure is an *Error with one of the four caller-facing codes
//     and a message that names the problem without the Go package prefix,
//   - every success is valid JSON, and
//   - the engine answers the next call normally.
//
// Seeds live in testdata/fuzz/FuzzCall (the hostile corpus of SECURITY.md)
// and in the f.Add calls below.
func FuzzCall(f *testing.F) {
	vs := testvectors.LoadJWS(f)
	key := func(id string) string { return string(testvectors.JWSByID(f, id).Key) }
	sel := func(method string) uint8 {
		for i, m := range fuzzMethods {
			if m == method {
				return uint8(i)
			}
		}
		f.Fatalf("no method %s", method)
		return 0
	}
	args := func(a ...any) string {
		b, err := json.Marshal(a)
		if err != nil {
			f.Fatal(err)
		}
		return string(b)
	}
	for _, v := range vs {
		f.Add(sel("decode"), args(v.Token))
		f.Add(sel("explain"), args(v.Token, map[string]any{"now": 1300819000}))
		f.Add(sel("verify"), `["`+v.Token+`",{"key":`+string(v.Key)+`,"now":1300819000}]`)
		f.Add(sel("importKey"), `[`+string(v.Key)+`]`)
	}
	hs := key("rfc7515-A.1-HS256")
	es := key("rfc7515-A.3-ES256")
	for _, a := range []string{
		`[]`, `[""]`, `[null]`, `[1]`, `[{}]`, `[[]]`, `["a.b"]`, `["a.b.c"]`, `["a.b.c.d.e"]`, `["...."]`,
		`{"not":"an array"}`, `"just a string"`, `[`, `[1e999]`,
		`["eyJhbGciOiJub25lIn0.e30."]`,
		`["eyJhbGciOiJIUzI1NiJ9.*.abc"]`,
		`["eyJhbGciOiJIUzI1NiJ9.e30=.abc"]`,
		`["WyJhbGciLCJIUzI1NiJd.e30.abc"]`,
		`["Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"]`,
		`["eyJhbGciOiJIUzI1NiJ9.eyJleHAiOiIxMjMifQ.abc", {"key":"secret","now":"soon"}]`,
		`["eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjFlMzA4fQ.abc", {"key":"secret"}]`,
		`["eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOi05MjIzMzcyMDM2ODU0Nzc1ODA4fQ.abc", {"key":"secret","leeway":1e308}]`,
		`["eyJhbGciOiJIUzI1NiIsImNyaXQiOlsieC1ib2d1cyJdLCJ4LWJvZ3VzIjp0cnVlfQ.e30.abc", {"key":"secret","now":-1e308}]`,
		`["x.y.z", {"key":["not","a","key"]}]`,
		`["x.y.z", {"key":{"keys":[]}}]`,
		`["x.y.z.a.b", {"key":{"kty":"RSA","n":"","e":""}}]`,
		`["-----BEGIN PUBLIC KEY-----\nMAo=\n-----END PUBLIC KEY-----\n"]`,
		`[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]`,
		`[{"kty":"oct","k":""}]`,
		`[{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"oct","k":"c2VjcmV0"}]}, {"alg":"HS256"}]`,
		`[{"alg":"ES256"}]`, `[{"alg":"EdDSA","kid":"<script>"}]`, `[{"alg":"HS256","bits":-8}]`, `[{"alg":"HS256","bits":1e9}]`,
		`[{"alg":"dir","bits":256}]`, `[{"alg":"A128KW"}]`, `[{"alg":"ECDH-ES","crv":"P-521"}]`, `[{"alg":"none"}]`,
		`[{"kind":"id_token","key":"a-long-enough-secret-for-hs256-0123456789","alg":"HS256"}]`,
		`[{"kind":"access_token","key":` + es + `,"claims":{"__proto__":{"x":1},"exp":"tomorrow"}}]`,
		`[{"kind":"logout_token","key":` + hs + `,"header":{"crit":["b64"],"b64":false}}]`,
		`[{"kind":"id_token","key":` + hs + `,"preset":"entra","lifetime":-1e18}]`,
		`[{"kind":"id_token","key":` + hs + `,"encrypt":{"key":"pw","alg":"PBES2-HS256+A128KW","enc":"A128GCM"}}]`,
		`[{"kind":"id_token","key":` + hs + `,"encrypt":{"key":` + hs + `,"alg":"dir","enc":"A256GCM"}}]`,
		`["eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", {"key":` + hs + `}]`,
		`["eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIiwicDJjIjoxMDAwMDAwMDAwLCJwMnMiOiJBQUFBQUFBQUFBQSJ9.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", {"key":"password"}]`,
		// SD-JWT (RFC 9901) and DPoP (RFC 9449).
		`["~"]`, `["a~b~"]`, `["eyJhbGciOiJub25lIn0.e30.~"]`, `["eyJhbGciOiJub25lIn0.e30.~WyJzIiwibiIsInYiLCJ3Il0~"]`,
		`["eyJhbGciOiJub25lIn0.eyJfc2QiOlsieCJdfQ.~WyJzIiwibiIsInYiXQ~a.b.c", {"key":` + es + `,"nonce":"n","requireKeyBinding":true}]`,
		`["eyJhbGciOiJub25lIn0.e30.~", {"disclose":["/a~2"],"holderKey":` + es + `}]`,
		`[{"kind":"sd_jwt","key":` + es + `,"disclose":["/address/street_address","/nationalities/0"],"decoys":2,"holderKey":` + es + `}]`,
		`[{"kind":"sd_jwt_vc","key":` + hs + `}]`,
		`[{"kind":"dpop_proof","key":` + es + `,"htm":"GET","htu":"https://a.example/x?y#z","accessToken":"t","nonce":"n"}]`,
		`[{"kind":"access_token","key":` + es + `,"dpopKey":` + es + `}]`,
		`["eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ.e30.", {"kind":"dpop_proof","htm":"GET","htu":"::","iatWindow":-1}]`,
	} {
		for i := range fuzzMethods {
			f.Add(uint8(i), a)
		}
	}

	e := New(Options{Now: func() time.Time { return time.Unix(1700000000, 0) }})
	f.Fuzz(func(t *testing.T, selector uint8, args string) {
		method := fuzzMethods[int(selector)%len(fuzzMethods)]
		if slowKeygen(method, []byte(args)) {
			return
		}
		type answer struct {
			out []byte
			err error
		}
		done := make(chan answer, 1)
		go func() {
			out, err := e.Call(method, []byte(args))
			done <- answer{out, err}
		}()
		var got answer
		select {
		case got = <-done:
		case <-time.After(fuzzCallLimit):
			t.Fatalf("%s(%.200q) still running after %v: a hostile input can hang the engine", method, args, fuzzCallLimit)
		}
		if got.err == nil {
			if !json.Valid(got.out) {
				t.Fatalf("%s(%.200q) returned invalid JSON %.200q", method, args, got.out)
			}
		} else {
			checkAPIError(t, method, args, got.err)
		}
		// The engine must still answer normally.
		out, err := e.Call("decode", []byte(`["eyJhbGciOiJub25lIn0.e30."]`))
		if err != nil || !strings.Contains(string(out), `"format":"unsecured"`) {
			t.Fatalf("after %s(%.200q) the engine no longer decodes: %s %v", method, args, out, err)
		}
	})
}

// checkAPIError asserts that err is what the page may receive: an *Error
// with a caller-facing code (not "internal", which means a bug) and a
// readable message.
func checkAPIError(t *testing.T, method, args string, err error) {
	t.Helper()
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s(%.200q) failed with %T %v, want *Error", method, args, err, err)
	}
	switch apiErr.Code {
	case CodeMalformed, CodeBadKey, CodeUnsupported, CodeBadRequest:
	case CodeInternal:
		t.Fatalf("%s(%.200q) hit a bug (code internal): %s", method, args, apiErr.Message)
	default:
		t.Fatalf("%s(%.200q) failed with code %q, not one of the API codes", method, args, apiErr.Code)
	}
	if strings.TrimSpace(apiErr.Message) == "" {
		t.Fatalf("%s(%.200q) failed with code %s and no message", method, args, apiErr.Code)
	}
	if strings.HasPrefix(apiErr.Message, "token: ") || strings.HasPrefix(apiErr.Message, "explain: ") {
		t.Fatalf("%s(%.200q): message %q leaks the Go package prefix", method, args, apiErr.Message)
	}
	if !utf8.ValidString(apiErr.Message) {
		t.Fatalf("%s(%.200q): message is not valid UTF-8: %q", method, args, apiErr.Message)
	}
}
