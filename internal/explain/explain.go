package explain

import (
	"encoding/json"
	"slices"
	"time"
)

// Input is a decoded token to explain. Header and Payload are the original
// JSON texts, so claims are listed in token order and numbers keep their
// exact digits.
type Input struct {
	Format  string          // "JWS", "JWE" or "unsecured"
	Header  json.RawMessage // JSON object
	Payload json.RawMessage // JSON value; a JSON string for a non-JSON payload, null for a JWE
	Now     time.Time       // for relative times and lifetime findings; zero means time.Now()
}

// Explanation is what [Explain] says about a token: its kind with the
// evidence and confidence, the purpose guide of that kind, every claim
// explained, and the findings.
type Explanation struct {
	Kind       string    `json:"kind"`
	Confidence float64   `json:"confidence"`
	Signals    []string  `json:"signals"`
	Purpose    Purpose   `json:"purpose"`
	Claims     []Claim   `json:"claims"`
	Findings   []Finding `json:"findings"`
}

// Claim explains one header parameter or payload claim.
type Claim struct {
	Name    string          `json:"name"`
	Where   string          `json:"where"` // "header" | "payload"
	Value   json.RawMessage `json:"value"`
	Known   bool            `json:"known"`            // the catalog defines it
	Custom  bool            `json:"custom,omitempty"` // a namespaced (URL/URN) custom claim, RFC 7519 §4.2
	Meaning string          `json:"meaning"`
	Ref     string          `json:"ref"`    // spec or vendor doc name, e.g. "RFC 7519 §4.1.4"
	RefURL  string          `json:"refUrl"` // https URL of that reference
	Kinds   []string        `json:"kinds,omitempty"`
	Display string          `json:"display"`         // human rendering
	Items   []DisplayItem   `json:"items,omitempty"` // scopes, amr, roles, object members as a list
}

// DisplayItem is one element of a list-like claim, with its meaning when
// the catalog knows it.
type DisplayItem struct {
	Value   string `json:"value"`
	Meaning string `json:"meaning,omitempty"`
}

// Explain explains a decoded token. It never fails: malformed or partial
// JSON yields fewer claims, an "unknown" kind and lower confidence.
func Explain(in Input) Explanation {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	c := loadCatalog()
	hm, _ := members(in.Header)
	payload := parseJSON(in.Payload)
	pm := payload.members
	t := newTokenFacts(in.Format, hm, pm, payload.isObject, now)
	cl := classify(t.header, t.payload)
	t.kind = cl.Kind

	claims := make([]Claim, 0, len(hm)+len(pm))
	for _, m := range hm {
		claims = append(claims, explainClaim(c, "header", m, now))
	}
	for _, m := range pm {
		claims = append(claims, explainClaim(c, "payload", m, now))
	}
	return Explanation{
		Kind:       cl.Kind,
		Confidence: cl.Confidence,
		Signals:    cl.Signals,
		Purpose:    purposeOf(cl.Kind),
		Claims:     claims,
		Findings:   lint(t, payload.shape),
	}
}

// explainClaim looks a claim up in the catalog and renders its value.
func explainClaim(c *catalog, where string, m member, now time.Time) Claim {
	out := Claim{Name: m.name, Where: where, Value: slices.Clone(m.raw)}
	e := c.lookup(where, m.name)
	switch {
	case e != nil:
		out.Known, out.Meaning, out.Ref, out.RefURL, out.Kinds = true, e.Meaning, e.Ref, e.URL, e.Kinds
	case where == "payload" && isNamespaced(m.name):
		out.Custom = true
		out.Meaning = "A custom claim, namespaced with a URL or URN so it cannot collide with registered names (Auth0 requires this form). Only its issuer defines what it means."
		out.Ref, out.RefURL = "RFC 7519 §4.2", "https://www.rfc-editor.org/rfc/rfc7519#section-4.2"
	default:
		out.Meaning = "Not in tokenlab's catalog: a private claim whose meaning only the issuer knows. tokenlab does not guess."
		out.Ref, out.RefURL = "RFC 7519 §4.3", "https://www.rfc-editor.org/rfc/rfc7519#section-4.3"
	}
	out.Display, out.Items = render(c, e, m, now)
	return out
}
