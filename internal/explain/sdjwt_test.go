package explain

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/vocab"
)

func TestExplainSDJWT(t *testing.T) {
	in := SDInput{
		Input: Input{Format: "SD-JWT", Header: json.RawMessage(`{"alg":"ES256","typ":"example+sd-jwt"}`),
			Payload: json.RawMessage(`{"_sd":["a","b","c"],"iss":"https://issuer.example.com","sub":"user_42","nationalities":[{"...":"d"},{"...":"e"}],"_sd_alg":"sha-256","cnf":{"jwk":{"kty":"EC"}}}`),
			Now:     time.Unix(1700000000, 0)},
		Disclosed: []Disclosed{
			{Name: "given_name", Path: "/given_name", Value: json.RawMessage(`"John"`)},
			{Name: "street_address", Path: "/address/street_address", Value: json.RawMessage(`"123 Main St"`)},
			{Path: "/nationalities/0", Value: json.RawMessage(`"US"`)},
			{Name: "x", Value: json.RawMessage(`1`)},
		},
		Undisclosed: 3,
		KBPayload:   json.RawMessage(`{"nonce":"1234567890","aud":"https://verifier.example.org","iat":1,"sd_hash":"h"}`),
	}
	x := ExplainSDJWT(in)
	if x.Kind != vocab.SDJWT || x.Certainty != CertaintyDeclared || x.RuleKind != vocab.SDJWT || x.Purpose.Kind != vocab.SDJWT {
		t.Errorf("kind %s %s %s %s", x.Kind, x.Certainty, x.RuleKind, x.Purpose.Kind)
	}
	byPath := map[string]Claim{}
	for _, c := range x.Claims {
		if c.Where == "disclosure" {
			byPath[c.Path] = c
		}
	}
	if c := byPath["/given_name"]; !c.Known || c.Meaning != "The user's given (first) name." || c.Display != "John" {
		t.Errorf("given_name: %+v", c)
	}
	if c := byPath["/address/street_address"]; !c.Known || !strings.Contains(c.Meaning, "Street address (a member of address)") {
		t.Errorf("street_address: %+v", c)
	}
	if c := byPath["/nationalities/0"]; !c.Known || c.Name != "nationalities" || !strings.HasPrefix(c.Meaning, "An element of nationalities, disclosed on its own. Identity assurance") {
		t.Errorf("array element: %+v", c)
	}
	if c := byPath[""]; !strings.HasPrefix(c.Meaning, "Not placed") {
		t.Errorf("unplaced disclosure: %+v", c)
	}
	found := map[string]string{}
	for _, f := range x.Findings {
		found[f.ID] = f.Message
	}
	if !strings.HasPrefix(found["sd-jwt-hidden"], "4 claims are disclosed here; 3 digests have no disclosure") {
		t.Errorf("hidden: %q", found["sd-jwt-hidden"])
	}
	if !strings.Contains(found["sd-jwt-visible"], "(iss, sub, nationalities, cnf)") || !strings.Contains(found["sd-jwt-visible"], "the holder's key in cnf") {
		t.Errorf("visible: %q", found["sd-jwt-visible"])
	}
	if !strings.Contains(found["sd-jwt-key-binding"], "https://verifier.example.org with nonce 1234567890") {
		t.Errorf("kb: %q", found["sd-jwt-key-binding"])
	}

	// An SD-JWT VC stays sd_jwt_vc; an SD-JWT whose JWT looks like an ID
	// token is still an SD-JWT.
	in.Header = json.RawMessage(`{"alg":"ES256","typ":"dc+sd-jwt"}`)
	if x := ExplainSDJWT(in); x.Kind != vocab.SDJWTVC || x.Purpose.Title != "SD-JWT VC" {
		t.Errorf("vc: %s %s", x.Kind, x.Purpose.Title)
	}
	in.Header, in.Payload = json.RawMessage(`{"alg":"RS256"}`), json.RawMessage(`{"iss":"https://a","aud":"c","nonce":"n","sub":"s"}`)
	if x := ExplainSDJWT(in); x.Kind != vocab.SDJWT || x.Signals[0] != sdSignal || x.Resembles != "" {
		t.Errorf("id-token-like: %s %v", x.Kind, x.Signals)
	}
}

func TestDPoPBoundFinding(t *testing.T) {
	x := Explain(Input{Format: "JWS", Header: json.RawMessage(`{"alg":"ES256","typ":"at+jwt"}`), Payload: json.RawMessage(`{"iss":"https://as","sub":"s","aud":"api","exp":2000000000,"iat":1700000000,"client_id":"c","jti":"j","cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}`), Now: time.Unix(1700000000, 0)})
	for _, f := range x.Findings {
		if f.ID == "dpop-bound" && strings.Contains(f.Message, "Authorization: DPoP") {
			return
		}
	}
	t.Errorf("no dpop-bound finding: %+v", x.Findings)
}

// TestLoneIssuerJWTKeepsTheJWTRules: a JWT that looks like an SD-JWT's
// issuer-signed JWT but comes without its ~ and disclosures is named
// after what it resembles, but its rule kind is jwt, since RFC 9901's
// rules need the disclosures; DPoP proofs have rules of their own.
func TestLoneIssuerJWTKeepsTheJWTRules(t *testing.T) {
	tests := []struct {
		header, payload string
		kind, ruleKind  vocab.Kind
	}{
		{`{"alg":"ES256","typ":"example+sd-jwt"}`, `{"_sd":["a"]}`, vocab.SDJWT, vocab.JWT},
		{`{"alg":"ES256","typ":"dc+sd-jwt"}`, `{"vct":"x"}`, vocab.SDJWTVC, vocab.JWT},
		{`{"alg":"ES256"}`, `{"_sd_alg":"sha-256"}`, vocab.SDJWT, vocab.JWT},
		{`{"alg":"ES256","typ":"dpop+jwt"}`, `{"htm":"GET"}`, vocab.DPoPProof, vocab.DPoPProof},
	}
	for _, tc := range tests {
		c := Classify(json.RawMessage(tc.header), json.RawMessage(tc.payload))
		if c.Kind != tc.kind || c.RuleKind != tc.ruleKind {
			t.Errorf("%s %s: kind %s, rule kind %s; want %s, %s", tc.header, tc.payload, c.Kind, c.RuleKind, tc.kind, tc.ruleKind)
		}
	}
}
