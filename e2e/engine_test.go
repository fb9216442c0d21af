//go:build browser

package e2e

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"tokenlab/internal/testvectors"
)

// TestEngineDecodesInTheBrowser loads the playground from the real server,
// waits for the Go engine in its worker, and decodes the RFC 7515 A.1
// token, then garbage, then the token again: an error must not wedge the
// engine.
func TestEngineDecodesInTheBrowser(t *testing.T) {
	page := NewPage(t)
	page.Open("/")
	vec := testvectors.JWSByID(t, "rfc7515-A.1-HS256")

	var version string
	if err := json.Unmarshal(page.Eval(`window.tokenlab.version`), &version); err != nil || version == "" || strings.Contains(version, "__") {
		t.Errorf("tokenlab.version = %q (%v), want the release string", version, err)
	}

	decodeA1 := func() {
		t.Helper()
		var got struct {
			Format    string         `json:"format"`
			Header    map[string]any `json:"header"`
			Payload   map[string]any `json:"payload"`
			Signature string         `json:"signature"`
			Parts     []string       `json:"parts"`
		}
		page.MustCall(&got, "decode", "  Bearer "+vec.Token+"\n")
		var wantHeader, wantPayload map[string]any
		mustUnmarshal(t, vec.HeaderRaw, &wantHeader)
		mustUnmarshal(t, vec.PayloadRaw, &wantPayload)
		if got.Format != "JWS" {
			t.Errorf("format = %q, want JWS", got.Format)
		}
		if !reflect.DeepEqual(got.Header, wantHeader) {
			t.Errorf("header = %v, want %v", got.Header, wantHeader)
		}
		if !reflect.DeepEqual(got.Payload, wantPayload) {
			t.Errorf("payload = %v, want %v", got.Payload, wantPayload)
		}
		if got.Payload["exp"] != float64(1300819380) || got.Payload["http://example.com/is_root"] != true {
			t.Errorf("payload claims = %v, want exp 1300819380 and is_root true", got.Payload)
		}
		parts := strings.Split(vec.Token, ".")
		if !reflect.DeepEqual(got.Parts, parts) || got.Signature != parts[2] {
			t.Errorf("parts = %q, signature = %q; want %q", got.Parts, got.Signature, parts)
		}
	}
	decodeA1()

	for _, garbage := range []string{"not a token", "eyJhbGciOiJIUzI1NiJ9.%%%.abc", ""} {
		_, apiErr := page.Call("decode", garbage)
		if apiErr == nil {
			t.Fatalf("decode(%q) succeeded, want a malformed error", garbage)
		}
		if apiErr.Code != "malformed" || apiErr.Message == "" || apiErr.Name != "TokenlabError" {
			t.Errorf("decode(%q) rejected with %+v, want code malformed and a message", garbage, apiErr)
		}
	}
	decodeA1()

	var sawWasm bool
	for _, r := range page.Requests() {
		if strings.HasSuffix(r.URL, ".wasm") {
			sawWasm = true
		}
	}
	if !sawWasm {
		t.Errorf("no .wasm request was recorded (requests: %v): the worker's requests must be visible to the privacy check", page.Requests())
	}
}

// TestUnknownMethodIsABadRequest checks the bridge's argument checking
// end to end: a wrong call rejects with bad_request and the engine answers
// the next call.
func TestUnknownMethodIsABadRequest(t *testing.T) {
	page := NewPage(t)
	page.Open("/")
	out := page.Eval(`window.tokenlab.decode(42).then(() => "resolved", (e) => e.code)`)
	if string(out) != `"bad_request"` {
		t.Errorf("decode(42) → %s, want bad_request", out)
	}
	var d struct {
		Format string `json:"format"`
	}
	page.MustCall(&d, "decode", testvectors.JWSByID(t, "rfc7515-A.5-none").Token)
	if d.Format != "unsecured" {
		t.Errorf("format of the RFC 7515 A.5 token = %q, want unsecured", d.Format)
	}
}

func mustUnmarshal(t *testing.T, s string, dst any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), dst); err != nil {
		t.Fatalf("test data: %v", err)
	}
}
