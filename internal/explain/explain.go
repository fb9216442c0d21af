package explain

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// Input is a decoded token to explain. Header and Payload are the original
// JSON texts, so claims are listed in token order and numbers keep their
// exact digits.
type Input struct {
	Format  string          // "JWS", "JWE" or "unsecured"
	Header  json.RawMessage // JSON object
	Payload json.RawMessage // JSON value; a JSON string for a non-JSON payload, null for a JWE
	Now     time.Time       // for relative times and lifetime findings; zero means time.Now()
	// Token is the text as the user gave it, when known. Explain reports
	// what a decoder tolerated in it (a "Bearer " prefix, whitespace) as
	// info findings.
	Token string
}

// Explanation is what [Explain] says about a token: its kind with the
// evidence and how it was decided, a one-line headline, the purpose guide
// of that kind, every claim explained, and the findings.
type Explanation struct {
	// Kind is the token kind (a vocab.Kind); "jwt" when the evidence is too
	// weak to name one, with Resembles holding the closest kind.
	Kind vocab.Kind `json:"kind"`
	// Format is "JWS", "JWE", "unsecured" or, for a string that is not a
	// JWT, "opaque".
	Format string `json:"format"`
	// Headline is one line for a person: the kind and the signal that
	// decided it ("Access token — scp lists delegated scopes (Entra ID,
	// Okta)"), "JWT — kind unclear (resembles an ID token)", or for a JWE
	// "Encrypted token (JWE) — RSA-OAEP-256 key management, A256GCM content
	// encryption".
	Headline string `json:"headline"`
	// Certainty is "declared" (the token states its kind), "likely"
	// (inferred at or above ConfidenceThreshold) or "unclear".
	Certainty string `json:"certainty"`
	// Resembles is the kind an unclear token is closest to, or "".
	Resembles  vocab.Kind `json:"resembles,omitempty"`
	Confidence float64    `json:"confidence"`
	RuleKind   vocab.Kind `json:"ruleKind"` // see Classification.RuleKind
	Signals    []string   `json:"signals"`  // the deciding one first
	// Encryption describes a JWE's algorithms; nil for other formats.
	Encryption *Encryption `json:"encryption,omitempty"`
	// Opaque describes a recognized vendor token format; nil otherwise.
	Opaque   *OpaqueFormat `json:"opaque,omitempty"`
	Purpose  Purpose       `json:"purpose"`
	Claims   []Claim       `json:"claims"`
	Findings []Finding     `json:"findings"`
}

// Encryption is what a JWE header says about how it is encrypted.
type Encryption struct {
	Alg        string `json:"alg"`        // key management, e.g. RSA-OAEP-256
	AlgMeaning string `json:"algMeaning"` // in words, from the catalog
	Enc        string `json:"enc"`        // content encryption, e.g. A256GCM
	EncMeaning string `json:"encMeaning"`
	// Nested is true when cty is JWT: a signed JWT is inside (RFC 7519 §5.2).
	Nested bool `json:"nested"`
	// Note says what to do: "An encrypted token: decrypt it to see its kind."
	Note string `json:"note"`
}

// Claim explains one header parameter or payload claim.
type Claim struct {
	Name  string `json:"name"`
	Where string `json:"where"` // "header" | "payload" | "disclosure" (a claim an SD-JWT disclosure reveals)
	// Path is where a disclosed claim sits in the SD-JWT's processed
	// payload, as a JSON Pointer ("/address/street_address"); "" otherwise.
	Path    string          `json:"path,omitempty"`
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
	var enc *Encryption
	if in.Format == "JWE" {
		enc = encryption(c, t.header)
	}
	findings := inputNotes(in.Token)
	findings = append(findings, lint(t, payload.shape)...)
	purpose := purposeOf(cl.Kind)
	return Explanation{
		Kind:       cl.Kind,
		Format:     in.Format,
		Headline:   headline(cl, purpose, enc),
		Certainty:  cl.Certainty,
		Resembles:  cl.Resembles,
		Confidence: cl.Confidence,
		RuleKind:   cl.RuleKind,
		Signals:    cl.Signals,
		Encryption: enc,
		Purpose:    purpose,
		Claims:     claims,
		Findings:   findings,
	}
}

// encryption describes a JWE header's algorithms with the catalog's words.
func encryption(c *catalog, h map[string]any) *Encryption {
	e := &Encryption{Alg: str(h["alg"]), Enc: str(h["enc"]), Nested: strings.EqualFold(str(h["cty"]), "JWT")}
	if a := c.lookup("header", "alg"); a != nil {
		e.AlgMeaning = a.Values[e.Alg]
	}
	if a := c.lookup("header", "enc"); a != nil {
		e.EncMeaning = a.Values[e.Enc]
	}
	e.Note = "The claims are encrypted: decrypt it with the recipient's key to read them (RFC 7516)."
	if e.Nested {
		e.Note = "cty is JWT, so a signed JWT is inside (RFC 7519 §5.2): an encrypted token — decrypt it to see its kind."
	}
	return e
}

// headline is the one-line summary of an explanation: the kind's title and
// the signal that decided it.
func headline(cl Classification, p Purpose, enc *Encryption) string {
	signal := ""
	if len(cl.Signals) > 0 {
		signal = cl.Signals[0]
	}
	switch {
	case enc != nil && cl.Certainty == CertaintyDeclared:
		return p.Title + ", encrypted (JWE) — " + signal
	case enc != nil:
		algs := []string{}
		if enc.Alg != "" {
			algs = append(algs, enc.Alg+" key management")
		}
		if enc.Enc != "" {
			algs = append(algs, enc.Enc+" content encryption")
		}
		if len(algs) == 0 {
			return "Encrypted token (JWE)"
		}
		return "Encrypted token (JWE) — " + strings.Join(algs, ", ")
	case cl.Certainty == CertaintyUnclear && cl.Resembles != "":
		return "JWT — kind unclear (resembles " + cl.Resembles.Noun() + ")"
	case cl.Certainty == CertaintyUnclear:
		return "JWT — kind unclear (" + signal + ")"
	}
	return p.Title + " — " + signal
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
