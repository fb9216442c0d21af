package explain

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

// opaqueCases are the tokens of testdata/opaque/tokens.json: strings that
// are not JWTs, with the kind and vendor format each must be explained as,
// and damaged JWTs and other input that must be left to the decoder.
type opaqueCases struct {
	Opaque []struct {
		Name, Source, Note, Token, Prefix string
		Kind                              vocab.Kind
		Findings                          []string
	}
	NotOpaque []struct{ Name, Token, Why string } `json:"notOpaque"`
}

func loadOpaqueCases(t *testing.T) opaqueCases {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "opaque", "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c opaqueCases
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestExplainOpaque(t *testing.T) {
	cases := loadOpaqueCases(t)
	if len(cases.Opaque) < 15 || len(cases.NotOpaque) < 10 {
		t.Fatalf("%d opaque and %d other cases; the set has shrunk", len(cases.Opaque), len(cases.NotOpaque))
	}
	for _, c := range cases.Opaque {
		t.Run(c.Name, func(t *testing.T) {
			if !strings.HasPrefix(c.Source, "https://") {
				t.Errorf("source %q is not an https URL", c.Source)
			}
			e, ok := ExplainOpaque(c.Token)
			if !ok {
				t.Fatal("not explained as an opaque token")
			}
			if e.Kind != c.Kind || e.Purpose.Kind != c.Kind || e.Format != "opaque" || e.RuleKind != "" {
				t.Errorf("kind %s, purpose %s, format %s, rule kind %q; want %s, opaque, no rule kind", e.Kind, e.Purpose.Kind, e.Format, e.RuleKind, c.Kind)
			}
			switch {
			case c.Prefix == "" && (e.Opaque != nil || e.Certainty != CertaintyLikely):
				t.Errorf("unrecognized token: opaque %+v, certainty %s; want none, likely", e.Opaque, e.Certainty)
			case c.Prefix != "" && (e.Opaque == nil || e.Opaque.Prefix != c.Prefix || e.Certainty != CertaintyDeclared):
				t.Errorf("opaque %+v, certainty %s; want prefix %s, declared", e.Opaque, e.Certainty, c.Prefix)
			case c.Prefix != "" && !strings.Contains(e.Headline, e.Opaque.Name):
				t.Errorf("headline %q does not name %q", e.Headline, e.Opaque.Name)
			}
			var ids []string
			for _, f := range e.Findings {
				ids = append(ids, f.ID)
				if f.Severity != SeverityInfo {
					t.Errorf("finding %+v is not info: an opaque token is no error", f)
				}
			}
			if !slices.Equal(ids, c.Findings) {
				t.Errorf("findings %q, want %q", ids, c.Findings)
			}
			if e.Claims == nil || len(e.Claims) != 0 || len(e.Signals) == 0 {
				t.Errorf("claims %v, signals %q", e.Claims, e.Signals)
			}
		})
	}
	cases.NotOpaque = append(cases.NotOpaque, struct{ Name, Token, Why string }{"too-long", strings.Repeat("A", maxOpaqueLen+1), "a pasted file"})
	for _, c := range cases.NotOpaque {
		t.Run("not/"+c.Name, func(t *testing.T) {
			if e, ok := ExplainOpaque(c.Token); ok {
				t.Errorf("explained as %s (%s), but it is %s", e.Kind, e.Headline, c.Why)
			}
		})
	}
}

// TestOpaqueGuideTeachesTheLesson: the opaque access token guide says it is
// legitimate, that only its issuer reads it, how an API checks it, and that
// the client must not depend on its format.
func TestOpaqueGuideTeachesTheLesson(t *testing.T) {
	e, ok := ExplainOpaque("2YotnFZFEjr1zCsicMWpAA")
	if !ok {
		t.Fatal("RFC 6749's example access token is not explained")
	}
	p := e.Purpose
	for _, want := range []struct{ field, text string }{
		{p.Summary, "most likely an opaque (reference) access token, which only the authorization server that issued it can read (RFC 6749 §1.4)"},
		{p.Summary, "it may not be a JWT, and the client must not depend on its format (RFC 9068 §6)"},
		{p.ValidatedBy, "OAuth token introspection (RFC 7662 §2)"},
	} {
		if !strings.Contains(want.field, want.text) {
			t.Errorf("%q lacks %q", want.field, want.text)
		}
	}
}

func TestOpaqueFormats(t *testing.T) {
	fs := loadOpaqueFormats()
	seen := map[string]bool{}
	for i, f := range fs {
		if seen[f.Prefix] {
			t.Errorf("prefix %s twice", f.Prefix)
		}
		seen[f.Prefix] = true
		if i > 0 && len(f.Prefix) > len(fs[i-1].Prefix) {
			t.Errorf("%s comes after the shorter %s: a longer prefix must win", f.Prefix, fs[i-1].Prefix)
		}
		if f.Vendor == "" || f.Name == "" || f.Ref == "" || !strings.HasSuffix(f.Note, ".") {
			t.Errorf("%+v lacks a vendor, name, ref or note sentence", f)
		}
		if f.Kind != vocab.OpaqueAccessToken && f.Kind != vocab.RefreshToken {
			t.Errorf("%s: kind %q", f.Prefix, f.Kind)
		}
		if u, err := url.Parse(f.URL); err != nil || u.Scheme != "https" || u.Host == "" {
			t.Errorf("%s: url %q", f.Prefix, f.URL)
		}
		if jwtLike(f.Prefix) || !isB64Token(f.Prefix+"x") {
			t.Errorf("%s cannot be recognized: it looks like a JWT or has a character tokens lack", f.Prefix)
		}
	}
	for _, p := range []string{"ya29.", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xapp-"} {
		if !seen[p] {
			t.Errorf("%s is not recognized", p)
		}
	}
	for _, in := range []string{`[]`, `{"formats":{}}`, `{"formats":[1]}`, `{"formats":[{"prefix":"a","url":7}]}`, `{"formats":[{"prefx":"a"}]}`, `{"formats":[],"x":1}`, `{"formats":[{"prefix":"a"},{"prefix":"abc"}]}`} {
		if _, err := parseOpaqueFormats([]byte(in)); err == nil {
			t.Errorf("parseOpaqueFormats(%s) succeeded", in)
		}
	}
}

// TestInputNotes: a "Bearer " prefix and whitespace in a pasted JWT are
// info findings, not warnings.
func TestInputNotes(t *testing.T) {
	header, payload := b64(cleanIDHeader), b64(cleanIDPayload)
	tests := []struct {
		name, token string
		want        []string
	}{
		{"clean", header + "." + payload + ".c2ln", nil},
		{"bearer", "Bearer " + header + "." + payload + ".c2ln", []string{"input-bearer"}},
		{"lower-case bearer and wrapped", "  bearer\t" + header + ".\n" + payload + ".c2ln\n", []string{"input-bearer", "input-whitespace"}},
		{"wrapped", header[:10] + "\r\n" + header[10:] + "." + payload + ".c2ln", []string{"input-whitespace"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(Input{Format: "JWS", Header: json.RawMessage(cleanIDHeader), Payload: json.RawMessage(cleanIDPayload), Now: displayNow, Token: tt.token})
			var got []string
			for _, f := range e.Findings {
				got = append(got, f.ID)
				if f.Severity != SeverityInfo || f.Ref == "" {
					t.Errorf("finding %+v: want info with a ref", f)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzExplainOpaque: ExplainOpaque never panics, never claims a string with
// a JWT-like segment, and always returns a well-formed explanation.
func FuzzExplainOpaque(f *testing.F) {
	for _, s := range []string{"", "a.b", "2YotnFZFEjr1zCsicMWpAA", "Bearer ghp_A1bC2dE3fH4iJ5kL6mN7oP8qR9sT0uV1wX2y", "eyJhbGciOiJub25lIn0.", "%%%", "eyJ\n", "ya29.a0Af\r\nB_by"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, ok := ExplainOpaque(s)
		if !ok {
			return
		}
		token, _ := cutBearer(strings.TrimSpace(s))
		token = strings.Join(strings.Fields(token), "")
		for _, seg := range strings.Split(token, ".") {
			if jwtLike(seg) {
				t.Fatalf("%q has a JWT-like segment %q but was explained as opaque", s, seg)
			}
		}
		if e.Format != "opaque" || e.Purpose.Kind != e.Kind || len(e.Signals) == 0 || e.Headline == "" {
			t.Fatalf("bad explanation %+v", e)
		}
		if _, err := json.Marshal(e); err != nil {
			t.Fatal(err)
		}
	})
}
