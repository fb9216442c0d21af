package sdjwt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDecode: Decode never panics, and what it returns is consistent:
// the processed payload is JSON, each disclosure's digest is the hash of
// its text, and the parts put back together are the input.
func FuzzDecode(f *testing.F) {
	jwt := "eyJhbGciOiJub25lIn0." + b64(`{"_sd":["x"],"a":[{"...":"y"}]}`) + "."
	for _, seed := range []string{"", "~", "a~b~", "a.b~", jwt + "~", jwt + "~!!~", jwt + "~WyJh~", jwt + "~" + b64(`["s","n",1]`) + "~", jwt + "~" + b64(`["s",1]`) + "~" + jwt, "a.b.c~~", jwt + "~" + b64(`["s","n","v","w"]`) + "~"} {
		f.Add(seed)
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "rfc9901-5.2-presentation.txt")); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Decode(s)
		if err != nil {
			return
		}
		if !json.Valid(d.Processed) || !json.Valid(d.Payload) || !json.Valid(d.Header) {
			t.Fatalf("invalid JSON out of %q", s)
		}
		rebuilt := strings.Join(d.Parts, ".") + "~"
		for _, disc := range d.Disclosures {
			if digest(d.parsed.hash, disc.Disclosure) != disc.Digest || !json.Valid(disc.Value) {
				t.Fatalf("disclosure %+v", disc)
			}
			rebuilt += disc.Disclosure + "~"
		}
		if d.KB != nil {
			rebuilt += strings.Join(d.KB.Parts, ".")
		}
		if rebuilt != d.parsed.compact {
			t.Fatalf("parts rebuild %q, not %q", rebuilt, d.parsed.compact)
		}
	})
}

// FuzzPointer: JSON Pointers never panic and round-trip their tokens.
func FuzzPointer(f *testing.F) {
	for _, seed := range []string{"", "/", "/a", "/a~0b~1c", "/~", "/~2", "//", "a"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		tokens, err := splitPointer(p)
		if err != nil {
			return
		}
		var b strings.Builder
		for _, tok := range tokens {
			b.WriteString("/" + pointerToken(tok))
		}
		if b.String() != p {
			t.Fatalf("%q → %q → %q", p, tokens, b.String())
		}
	})
}
