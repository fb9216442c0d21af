package hostile

import (
	"encoding/json"
	"testing"
)

// TestCorpusIsWellFormed checks what both suites rely on: unique names,
// argument JSON the engine can read, exactly one expectation per case, and
// a token string wherever a case is pasted into the inspector.
func TestCorpusIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	browser := 0
	for _, c := range Corpus(t) {
		if c.Name == "" || seen[c.Name] {
			t.Errorf("case name %q is empty or repeated", c.Name)
		}
		seen[c.Name] = true
		if c.Method == "" {
			t.Errorf("%s: no method", c.Name)
		}
		var args []json.RawMessage
		if err := json.Unmarshal(c.Args, &args); err != nil {
			t.Errorf("%s: Args is not a JSON array: %v", c.Name, err)
		}
		if (c.Code == "") == (c.Check == nil) {
			t.Errorf("%s: want exactly one of Code (an error) and Check (a result)", c.Name)
		}
		if c.Code != "" && len(c.Msg) == 0 {
			t.Errorf("%s: an expected error needs message fragments naming the problem", c.Name)
		}
		if _, ok := c.Paste(); c.Pasteable && !ok {
			t.Errorf("%s: pasteable, but its first argument is not a string", c.Name)
		}
		if c.Browser != "" {
			browser++
		}
	}
	if len(seen) < 60 {
		t.Errorf("the corpus has %d cases; SECURITY.md promises more than 60", len(seen))
	}
	if browser == 0 {
		t.Error("no case runs in the browser")
	}
}

func TestAssertFailsOnTheWrongAnswer(t *testing.T) {
	c := Case{Name: "x", Method: "decode", Code: "malformed", Msg: []string{"no dots"}}
	for _, tc := range []struct {
		name, code, message string
	}{
		{"success", "", ""},
		{"another code", "bad_request", "no dots"},
		{"a message that does not name the problem", "malformed", "something went wrong"},
	} {
		rec := &recorder{TB: t}
		c.Assert(rec, json.RawMessage(`{}`), tc.code, tc.message)
		if !rec.failed {
			t.Errorf("%s: Assert passed", tc.name)
		}
	}
	rec := &recorder{TB: t}
	c.Assert(rec, nil, "malformed", "the token has no dots")
	if rec.failed {
		t.Error("Assert failed on the expected answer")
	}
}

// recorder notes failures instead of reporting them.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Helper()               {}
