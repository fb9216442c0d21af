package explain

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/vocab"
)

// corpusCase is one realistic token shape from a vendor's or a spec's
// published examples, with the kind it must be classified as.
type corpusCase struct {
	Name          string          `json:"name"`
	Source        string          `json:"source"`
	Note          string          `json:"note"`
	Kind          vocab.Kind      `json:"kind"`
	MaxConfidence *float64        `json:"maxConfidence"`
	Header        json.RawMessage `json:"header"`
	Payload       json.RawMessage `json:"payload"`
}

func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c corpusCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.Name+".json" != filepath.Base(f) {
			t.Fatalf("%s: name %q does not match the file name", f, c.Name)
		}
		cases = append(cases, c)
	}
	return cases
}

func TestClassifyCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 20 {
		t.Fatalf("corpus has %d cases, want at least 20", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if !strings.HasPrefix(c.Source, "https://") {
				t.Errorf("source %q is not an https URL", c.Source)
			}
			got := Classify(c.Header, c.Payload)
			var header struct{ Typ, Enc string }
			var claims map[string]any
			dec := json.NewDecoder(bytes.NewReader(c.Payload))
			dec.UseNumber()
			if err := json.Unmarshal(c.Header, &header); err != nil || dec.Decode(&claims) != nil {
				t.Fatalf("the corpus token does not decode: %v", err)
			}
			if header.Enc != "" && claims != nil {
				t.Fatalf("an encrypted corpus token has readable claims")
			}
			if fromClaims := ClassifyClaims(header.Typ, claims); header.Enc == "" && !reflect.DeepEqual(fromClaims, got) {
				t.Errorf("ClassifyClaims = %+v, Classify = %+v: the two must agree", fromClaims, got)
			}
			if got.Kind != c.Kind {
				t.Errorf("kind = %s, want %s (signals %q)", got.Kind, c.Kind, got.Signals)
			}
			if len(got.Signals) == 0 {
				t.Error("no signals")
			}
			if c.MaxConfidence != nil {
				if got.Confidence > *c.MaxConfidence {
					t.Errorf("confidence = %v, want at most %v for weak evidence", got.Confidence, *c.MaxConfidence)
				}
			} else if !got.Confident() || got.Certainty == CertaintyUnclear {
				t.Errorf("confidence = %v (%s), want at least ConfidenceThreshold %v on a realistic token (signals %q)", got.Confidence, got.Certainty, ConfidenceThreshold, got.Signals)
			}
		})
	}
}

func TestClassifyCorpusExplains(t *testing.T) {
	now := time.Date(2024, 5, 1, 10, 5, 0, 0, time.UTC)
	for _, c := range loadCorpus(t) {
		t.Run(c.Name, func(t *testing.T) {
			format := "JWS"
			if string(c.Payload) == "null" {
				format = "JWE"
			}
			e := Explain(Input{Format: format, Header: c.Header, Payload: c.Payload, Now: now})
			if e.Kind != c.Kind || e.Purpose.Kind != c.Kind {
				t.Errorf("kind %s, purpose %s, want %s", e.Kind, e.Purpose.Kind, c.Kind)
			}
			for _, cl := range e.Claims {
				if cl.Meaning == "" || cl.Ref == "" || cl.Display == "" {
					t.Errorf("claim %s/%s has an empty meaning, ref or display: %+v", cl.Where, cl.Name, cl)
				}
			}
			for _, f := range e.Findings {
				if f.Severity == SeverityError {
					t.Errorf("realistic token has an error finding: %+v", f)
				}
			}
		})
	}
}

func TestClassifySignals(t *testing.T) {
	tests := []struct {
		name, header, payload string
		kind                  vocab.Kind
		certainty, signal     string
	}{
		{"header typ", `{"typ":"application/at+jwt"}`, `{"sub":"a"}`, vocab.AccessToken, CertaintyDeclared, "header typ is at+jwt (RFC 9068 JWT access token)"},
		{"nonce", `{"alg":"RS256"}`, `{"iss":"https://a","nonce":"n"}`, vocab.IDToken, CertaintyLikely, "has nonce, which only ID tokens carry (OIDC Core §2)"},
		{"token_use", `{"alg":"RS256"}`, `{"token_use":"id"}`, vocab.IDToken, CertaintyDeclared, "token_use is id (AWS Cognito)"},
		{"scope and client_id", `{"alg":"RS256"}`, `{"iss":"https://a","scope":"read","client_id":"c"}`, vocab.AccessToken, CertaintyLikely, "has scope, the access it grants (RFC 9068 §2.2.3)"},
		{"scope alone is unclear", `{"alg":"RS256"}`, `{"iss":"https://a","scope":"read"}`, vocab.JWT, CertaintyUnclear, "has scope, but no claim names a client (client_id, azp, cid)"},
		{"iss equals sub", `{"alg":"RS256"}`, `{"iss":"c1","sub":"c1","aud":"https://as.example.com/","jti":"x"}`, vocab.ClientAssertion, CertaintyLikely, "iss equals sub: a client authenticating with its own JWT (RFC 7523 §3, private_key_jwt)"},
		{"equal evidence", `{"alg":"RS256"}`, `{"nonce":"n","scp":"x"}`, vocab.Unknown, CertaintyUnclear, "the evidence for an ID token and an access token is equal"},
		{"empty claims", `{"alg":"RS256"}`, `{}`, vocab.Unknown, CertaintyUnclear, "the claims set is empty"},
		{"not JSON", `{"alg":"RS256"}`, `"Payload"`, vocab.Unknown, CertaintyUnclear, "the payload is not a JSON claims set: nothing to judge the kind by"},
		{"encrypted", `{"alg":"RSA-OAEP","enc":"A256GCM","cty":"JWT"}`, `null`, vocab.Unknown, CertaintyUnclear, "the claims are encrypted (JWE): decrypt it to see its kind"},
		{"encrypted typed", `{"alg":"RSA-OAEP","enc":"A256GCM","typ":"at+jwt"}`, `null`, vocab.AccessToken, CertaintyDeclared, "header typ is at+jwt (RFC 9068 JWT access token)"},
		{"typed vendor kind", `{"alg":"ES256","typ":"kb+jwt"}`, `{"iat":1,"aud":"v","nonce":"n","sd_hash":"x"}`, vocab.JWT, CertaintyDeclared, "header typ is kb+jwt: an SD-JWT Key Binding JWT, the holder's proof at the end of a presentation (RFC 9901 §4.3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(json.RawMessage(tt.header), json.RawMessage(tt.payload))
			if got.Kind != tt.kind || got.Certainty != tt.certainty || len(got.Signals) == 0 || got.Signals[0] != tt.signal {
				t.Errorf("Classify = %+v, want kind %s, %s, deciding signal %q", got, tt.kind, tt.certainty, tt.signal)
			}
			if got.Confidence < 0 || got.Confidence > 1 {
				t.Errorf("confidence %v out of 0..1", got.Confidence)
			}
			if (got.Certainty == CertaintyUnclear) == got.Confident() && got.Certainty != CertaintyDeclared {
				t.Errorf("certainty %s disagrees with confidence %v and threshold %v", got.Certainty, got.Confidence, ConfidenceThreshold)
			}
		})
	}
}
