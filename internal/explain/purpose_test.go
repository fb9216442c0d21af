package explain

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// allKinds lists every kind in the order of the purpose guide.
var allKinds = []string{
	KindIDToken, KindAccessToken, KindOpaqueAccessToken, KindRefreshToken, KindLogoutToken,
	KindWorkload, KindClientAssertion, KindDPoPProof, KindRequestObject, KindSecurityEvent,
	KindSDJWT, KindSDJWTVC, KindJWT, KindUnknown,
}

func TestPurposes(t *testing.T) {
	ps := Purposes()
	if len(ps) != len(allKinds) {
		t.Fatalf("%d purposes, want one per kind %q", len(ps), allKinds)
	}
	for i, p := range ps {
		t.Run(p.Kind, func(t *testing.T) {
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
		kind  string
		field func(Purpose) string
		want  string
	}{
		{KindAccessToken, func(p Purpose) string { return p.Steps[0].Text + " " + p.Steps[0].Ref }, "at+jwt"},
		{KindAccessToken, func(p Purpose) string { return p.Steps[0].Ref }, "RFC 9068 §4"},
		{KindIDToken, func(p Purpose) string { return p.Summary }, "An ID token proves to your client app who signed in"},
		{KindIDToken, func(p Purpose) string { return p.Steps[1].Ref }, "OIDC Core §3.1.3.7 step 2"},
		{KindRefreshToken, func(p Purpose) string { return p.SendTo }, "Only the issuer's token endpoint"},
		{KindLogoutToken, func(p Purpose) string { return p.Steps[4].Text }, "must not contain nonce"},
		{KindClientAssertion, func(p Purpose) string { return p.Steps[0].Ref }, "RFC 7523 §3"},
		{KindJWT, func(p Purpose) string { return p.Steps[0].Ref }, "RFC 8725 §3.11"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.want, func(t *testing.T) {
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
	if p := purposeOf("no-such-kind"); p.Kind != KindUnknown {
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
	got, err := parsePurposes(purposesJSON)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("parsePurposes = %v; differs from encoding/json", err)
	}
	for _, in := range []string{`{}`, `[1]`, `[{"kind":1}]`, `[{"titel":"x"}]`, `[{"steps":{}}]`, `[{"steps":[{"text":"a","rev":"b"}]}]`, `[{"steps":[{"text":1}]}]`, `[{"sources":[{"ref":"a","uri":"b"}]}]`, `[{"sources":{}}]`, `[`} {
		if _, err := parsePurposes([]byte(in)); err == nil {
			t.Errorf("parsePurposes(%s) succeeded", in)
		}
	}
}
