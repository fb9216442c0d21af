package explain

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

// FuzzExplain feeds arbitrary header and payload texts to Explain, which
// must never panic and must always return a well-formed explanation that
// encodes to JSON. Seeds live in testdata/fuzz/FuzzExplain.
func FuzzExplain(f *testing.F) {
	f.Add(cleanIDHeader, cleanIDPayload)
	f.Add(cleanAccessHeader, `{"scope":["a",{"b":1}],"cnf":{"jkt":[]},"amr":"pwd","acr":{},"exp":-1e308}`)
	f.Fuzz(func(t *testing.T, header, payload string) {
		for _, format := range []string{"JWS", "JWE", "unsecured"} {
			e := Explain(Input{Format: format, Header: json.RawMessage(header), Payload: json.RawMessage(payload), Now: displayNow})
			if !slices.Contains(allKinds, e.Kind) || e.Purpose.Kind != e.Kind || e.Kind == vocab.OpaqueAccessToken {
				t.Fatalf("kind %q, purpose kind %q", e.Kind, e.Purpose.Kind)
			}
			if e.Confidence < 0 || e.Confidence > 1 || len(e.Signals) == 0 || e.Headline == "" || e.Format != format {
				t.Fatalf("confidence %v, signals %q, headline %q, format %q", e.Confidence, e.Signals, e.Headline, e.Format)
			}
			if !slices.Contains([]string{CertaintyDeclared, CertaintyLikely, CertaintyUnclear}, e.Certainty) ||
				(e.Certainty == CertaintyLikely && e.Confidence < ConfidenceThreshold) || (e.Resembles != "" && e.Certainty != CertaintyUnclear) {
				t.Fatalf("certainty %q, confidence %v, resembles %q", e.Certainty, e.Confidence, e.Resembles)
			}
			for _, c := range e.Claims {
				if c.Meaning == "" || (c.Where != "header" && c.Where != "payload") {
					t.Fatalf("bad claim %+v", c)
				}
			}
			for _, fd := range e.Findings {
				if fd.ID == "" || fd.Message == "" || fd.Ref == "" || !strings.Contains("info warn error", fd.Severity) {
					t.Fatalf("bad finding %+v", fd)
				}
			}
			if _, err := json.Marshal(e); err != nil {
				t.Fatalf("explanation does not encode: %v", err)
			}
		}
	})
}
