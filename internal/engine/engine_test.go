package engine

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type vector struct {
	ID         string          `json:"id"`
	Alg        string          `json:"alg"`
	Token      string          `json:"token"`
	Key        json.RawMessage `json:"key"`
	HeaderRaw  string          `json:"decoded_header_raw"`
	PayloadRaw string          `json:"decoded_payload_raw"`
}

func vectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "token", "testdata", "rfc-jws-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

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
	e := New(Options{Version: "test"})
	for _, v := range vectors(t) {
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
	if _, apiErr := call(t, e, "decode", vectors(t)[0].Token); apiErr != nil {
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

func TestClockOption(t *testing.T) {
	fixed := time.Unix(1700000000, 0)
	e := New(Options{Now: func() time.Time { return fixed }})
	if got := e.clock(nil); !got.Equal(fixed) {
		t.Errorf("clock(nil) = %v, want the engine clock", got)
	}
	now := 1300819379.5
	if got := e.clock(&now); got.Unix() != 1300819379 || got.Nanosecond() != 5e8 {
		t.Errorf("clock(%v) = %v", now, got)
	}
}
