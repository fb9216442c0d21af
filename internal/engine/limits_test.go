package engine

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"tokenlab/internal/token"
)

func nestedObject(depth int) string {
	return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
}

func unsignedToken(header, payload string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
}

// TestDeepJSONIsRefused pins the depth bound: a payload, header, argument
// or key nested more than token.MaxJSONDepth levels is refused with a message
// naming the depth, before any recursive parser sees it (under js/wasm such
// input overflowed the stack and ended the engine).
func TestDeepJSONIsRefused(t *testing.T) {
	e := New(Options{})
	okToken := unsignedToken(`{"alg":"HS256"}`, nestedObject(token.MaxJSONDepth-1))
	deepPayload := unsignedToken(`{"alg":"HS256"}`, nestedObject(3000))
	deepHeader := unsignedToken(`{"alg":"HS256","x":`+nestedObject(token.MaxJSONDepth)+`}`, `{}`)
	for _, m := range []string{"decode", "explain"} {
		if _, apiErr := call(t, e, m, okToken); apiErr != nil {
			t.Errorf("%s of a payload %d levels deep: %v", m, token.MaxJSONDepth, apiErr)
		}
	}
	tests := []struct {
		name, method string
		args         []any
		code, frag   string
	}{
		{"decode deep payload", "decode", []any{deepPayload}, CodeMalformed, "payload (segment 2): JSON nested 3000 levels deep"},
		{"explain deep payload", "explain", []any{deepPayload}, CodeMalformed, "3000 levels"},
		{"verify deep payload", "verify", []any{deepPayload, map[string]any{"key": "a-long-enough-secret-for-hs256-0123456789"}}, CodeMalformed, "3000 levels"},
		{"decrypt deep header", "decrypt", []any{deepHeader, map[string]any{"key": "k"}}, CodeMalformed, "header (segment 1): JSON nested"},
		{"deep claims", "mint", []any{map[string]any{"kind": "id_token", "key": "a-long-enough-secret-for-hs256-0123456789", "claims": map[string]any{"x": rawJSON(nestedObject(3000))}}}, CodeBadRequest, "the arguments of mint: JSON nested 300"},
		{"deep key text", "importKey", []any{nestedObject(3000)}, CodeBadKey, "the key: JSON nested 3000 levels deep"},
		{"deep key text in verify", "verify", []any{okToken, map[string]any{"key": nestedObject(3000)}}, CodeBadKey, "the key: JSON nested 3000 levels deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, apiErr := call(t, e, tc.method, tc.args...)
			if apiErr == nil || apiErr.Code != tc.code || !strings.Contains(apiErr.Message, tc.frag) {
				t.Fatalf("%s → %+v, want %s naming %q", tc.method, apiErr, tc.code, tc.frag)
			}
		})
	}
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func TestStatsReportsTheHeap(t *testing.T) {
	e := New(Options{})
	out, apiErr := call(t, e, "stats")
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var s Stats
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatal(err)
	}
	if s.HeapAlloc == 0 || s.HeapSys < s.HeapAlloc || s.Sys < s.HeapSys || s.Goroutines < 1 {
		t.Errorf("stats = %+v, want a live heap inside HeapSys inside Sys", s)
	}
}
