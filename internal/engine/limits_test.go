package engine

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func nestedObject(depth int) string {
	return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
}

func unsignedToken(header, payload string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
}

func TestJSONDepth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{``, 0}, {`1`, 0}, {`{}`, 1}, {`[[],[[]]]`, 3}, {`{"a":"[[[[{{{{"}`, 1}, {`{"a":"\"[[[["}`, 1},
		{nestedObject(5000), 5000}, {strings.Repeat("[", 7), 7},
	} {
		if got := jsonDepth([]byte(tc.in)); got != tc.want {
			t.Errorf("jsonDepth(%.40q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestDeepJSONIsRefused pins the depth bound: a payload, header, argument
// or key nested more than MaxJSONDepth levels is refused with a message
// naming the depth, before any recursive parser sees it (under js/wasm such
// input overflowed the stack and ended the engine).
func TestDeepJSONIsRefused(t *testing.T) {
	e := New(Options{})
	okToken := unsignedToken(`{"alg":"HS256"}`, nestedObject(MaxJSONDepth-1))
	deepPayload := unsignedToken(`{"alg":"HS256"}`, nestedObject(3000))
	deepHeader := unsignedToken(`{"alg":"HS256","x":`+nestedObject(MaxJSONDepth)+`}`, `{}`)
	for _, m := range []string{"decode", "explain"} {
		if _, apiErr := call(t, e, m, okToken); apiErr != nil {
			t.Errorf("%s of a payload %d levels deep: %v", m, MaxJSONDepth, apiErr)
		}
	}
	tests := []struct {
		name, method string
		args         []any
		code, frag   string
	}{
		{"decode deep payload", "decode", []any{deepPayload}, CodeMalformed, "the payload: JSON nested 3000 levels deep"},
		{"explain deep payload", "explain", []any{deepPayload}, CodeMalformed, "3000 levels"},
		{"verify deep payload", "verify", []any{deepPayload, map[string]any{"key": "a-long-enough-secret-for-hs256-0123456789"}}, CodeMalformed, "3000 levels"},
		{"decrypt deep header", "decrypt", []any{deepHeader, map[string]any{"key": "k"}}, CodeMalformed, "the header: JSON nested"},
		{"deep claims", "mint", []any{map[string]any{"kind": "id_token", "key": "a-long-enough-secret-for-hs256-0123456789", "claims": map[string]any{"x": rawJSON(nestedObject(3000))}}}, CodeBadRequest, "the arguments of mint: JSON nested 300"},
		{"deep key text", "importKey", []any{nestedObject(3000)}, CodeBadKey, "importKey(input): JSON nested 3000 levels deep"},
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
