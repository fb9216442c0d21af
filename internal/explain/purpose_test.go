package explain

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

// allKinds lists every kind in the order of the purpose guide.
var allKinds = []vocab.Kind{
	vocab.IDToken, vocab.AccessToken, vocab.OpaqueAccessToken, vocab.RefreshToken, vocab.LogoutToken,
	vocab.Workload, vocab.ClientAssertion, vocab.DPoPProof, vocab.RequestObject, vocab.SecurityEvent,
	vocab.SDJWT, vocab.SDJWTVC, vocab.JWT, vocab.Unknown,
}

func TestPurposes(t *testing.T) {
	ps := Purposes()
	if len(ps) != len(allKinds) {
		t.Fatalf("%d purposes, want one per kind %q", len(ps), allKinds)
	}
	for i, p := range ps {
		t.Run(string(p.Kind), func(t *testing.T) {
			if p.Kind != allKinds[i] {
				t.Errorf("kind = %s, want %s (in the order of allKinds)", p.Kind, allKinds[i])
			}
			for field, v := range map[string]string{"title": p.Title, "summary": p.Summary, "issuedBy": p.IssuedBy, "for": p.For,
				"validatedBy": p.ValidatedBy, "notFor": p.NotFor, "sendTo": p.SendTo, "lifetime": p.Lifetime, "versus": p.Versus} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s is empty", field)
				}
				if !strings.HasSuffix(v, ".") && !strings.HasSuffix(v, ")") && field != "title" {
					t.Errorf("%s %q should be a sentence", field, v)
				}
			}
			if len(p.Steps) == 0 {
				t.Error("no validation steps")
			}
			for _, s := range p.Steps {
				if s.Text == "" || s.Ref == "" {
					t.Errorf("step %+v lacks text or ref", s)
				}
			}
			if len(p.Sources) == 0 {
				t.Error("no sources")
			}
			for _, s := range p.Sources {
				if u, err := url.Parse(s.URL); s.Ref == "" || err != nil || u.Scheme != "https" || u.Host == "" {
					t.Errorf("source %+v needs a ref and an https URL", s)
				}
			}
		})
	}
}

func TestPurposeText(t *testing.T) {
	tests := []struct {
		kind  vocab.Kind
		field func(Purpose) string
		want  string
	}{
		{vocab.AccessToken, func(p Purpose) string { return p.Steps[0].Text + " " + p.Steps[0].Ref }, "at+jwt"},
		{vocab.AccessToken, func(p Purpose) string { return p.Steps[0].Ref }, "RFC 9068 §4"},
		{vocab.IDToken, func(p Purpose) string { return p.Summary }, "An ID token proves to your client app who signed in"},
		{vocab.IDToken, func(p Purpose) string { return p.Steps[1].Ref }, "OIDC Core §3.1.3.7 step 2"},
		{vocab.RefreshToken, func(p Purpose) string { return p.SendTo }, "Only the issuer's token endpoint"},
		{vocab.LogoutToken, func(p Purpose) string { return p.Steps[4].Text }, "must not contain nonce"},
		{vocab.ClientAssertion, func(p Purpose) string { return p.Steps[0].Ref }, "RFC 7523 §3"},
		{vocab.JWT, func(p Purpose) string { return p.Steps[0].Ref }, "RFC 8725 §3.11"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.want, func(t *testing.T) {
			if got := tt.field(purposeOf(tt.kind)); !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestPurposesReturnsACopy(t *testing.T) {
	ps := Purposes()
	ps[0].Title = "changed"
	ps[0].Steps[0].Text = "changed"
	if again := Purposes(); again[0].Title == "changed" || again[0].Steps[0].Text == "changed" {
		t.Error("Purposes shares its data with callers")
	}
	if p := purposeOf("no-such-kind"); p.Kind != vocab.Unknown {
		t.Errorf("purposeOf(no-such-kind).Kind = %s, want unknown", p.Kind)
	}
}

// TestParsePurposesMatchesEncodingJSON: the reflection-free decoder reads
// purposes.json exactly as encoding/json would and rejects unknown fields.
func TestParsePurposesMatchesEncodingJSON(t *testing.T) {
	var want []Purpose
	if err := json.Unmarshal(purposesJSON, &want); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i].Title = want[i].Kind.Title() // titles come from the vocabulary, not the file
	}
	got, err := parsePurposes(purposesJSON)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("parsePurposes = %v; differs from encoding/json", err)
	}
	for _, in := range []string{`{}`, `[1]`, `[{"kind":1}]`, `[{"kind":"no_such_kind"}]`, `[{"title":"ID token"}]`, `[{"steps":{}}]`, `[{"steps":[{"text":"a","rev":"b"}]}]`, `[{"steps":[{"text":1}]}]`, `[{"sources":[{"ref":"a","uri":"b"}]}]`, `[{"sources":{}}]`, `[`} {
		if _, err := parsePurposes([]byte(in)); err == nil {
			t.Errorf("parsePurposes(%s) succeeded", in)
		}
	}
}
