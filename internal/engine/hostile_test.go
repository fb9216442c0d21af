package engine

import (
	"encoding/json"
	"errors"
	"testing"

	"tokenlab/internal/hostile"
)

// TestHostileCorpus runs every case of the hostile-input corpus
// (internal/hostile, SECURITY.md) through Call with the argument JSON the
// page's worker sends: each gets its specific error code and a message
// naming the problem, or the correct result, and the engine decodes a valid
// token right afterwards. The cases whose risk lives in the browser run
// there too (e2e, TestHostileInputAPI).
func TestHostileCorpus(t *testing.T) {
	e := New(Options{})
	cases := hostile.Corpus(t)
	if len(cases) < 40 {
		t.Fatalf("the corpus has %d cases; SECURITY.md promises more than 60", len(cases))
	}
	probe, err := json.Marshal([]string{hostile.Probe()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			out, err := e.Call(tc.Method, tc.Args)
			var code, message string
			if err != nil {
				var apiErr *Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s returned %T %v, want *Error", tc.Method, err, err)
				}
				code, message = apiErr.Code, apiErr.Message
			}
			tc.Assert(t, asThePageSees(out), code, message)

			out, err = e.Call("decode", probe)
			var next struct {
				Payload struct{ Sub string } `json:"payload"`
			}
			if err != nil || json.Unmarshal(out, &next) != nil || next.Payload.Sub != hostile.ProbeSub {
				t.Errorf("afterwards a valid token no longer decodes: %s %v", out, err)
			}
		})
	}
}

// asThePageSees returns a result as the page receives it. The bridge hands
// it to JavaScript as a string, and that conversion (TextDecoder) shows
// each byte that is not UTF-8 as U+FFFD; Call itself passes such bytes of
// a token's header through (token.Decode compacts the header as it is).
func asThePageSees(out []byte) []byte {
	return []byte(string([]rune(string(out))))
}
