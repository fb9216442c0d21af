package explain

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// SDInput is an SD-JWT (RFC 9901) to explain: its issuer-signed JWT as
// an Input (Format "SD-JWT", the payload with its digests) and what the
// presented disclosures reveal.
type SDInput struct {
	Input
	// Disclosed are the disclosures presented, in order.
	Disclosed []Disclosed
	// Undisclosed counts the digests without a presented disclosure.
	Undisclosed int
	// KBPayload is the Key Binding JWT's payload; nil without one.
	KBPayload json.RawMessage
}

// Disclosed is one claim an SD-JWT disclosure reveals.
type Disclosed struct {
	// Name is the claim name; "" for an array element.
	Name string
	// Path is its JSON Pointer in the processed payload; "" when no
	// digest references the disclosure.
	Path string
	// Value is the claim value or array element, as JSON.
	Value json.RawMessage
}

// sdSignal is the deciding signal of an input in SD-JWT form whose
// issuer-signed JWT does not say it is one.
const sdSignal = "it has the SD-JWT form: an issuer-signed JWT, then ~-separated disclosures (RFC 9901 §4)"

// ExplainSDJWT explains an SD-JWT: the kind (sd_jwt_vc when the header typ
// is dc+sd-jwt or vc+sd-jwt, or when vct is present; sd_jwt otherwise,
// whatever the issuer-signed JWT resembles), the issuer-signed header and
// payload claims, then each disclosed claim (Where "disclosure", Path
// where it lands) with its catalog meaning — an array element takes its
// array's, a nested member its parent's member meaning — and findings on
// what selective disclosure hides and what it does not.
func ExplainSDJWT(in SDInput) Explanation {
	x := Explain(in.Input)
	if x.Kind != vocab.SDJWTVC {
		if x.Kind != vocab.SDJWT {
			x.Signals = append([]string{sdSignal}, x.Signals...)
		}
		x.Kind, x.Certainty, x.Resembles, x.Confidence = vocab.SDJWT, CertaintyDeclared, "", max(x.Confidence, 0.9)
	}
	x.RuleKind = x.Kind
	x.Purpose = purposeOf(x.Kind)
	x.Headline = x.Purpose.Title + " — " + x.Signals[0]
	c := loadCatalog()
	for _, d := range in.Disclosed {
		x.Claims = append(x.Claims, explainDisclosed(c, d, in.Now))
	}
	x.Findings = append(x.Findings, sdFindings(in, x.Claims)...)
	return x
}

// explainDisclosed explains one disclosed claim with the catalog.
func explainDisclosed(c *catalog, d Disclosed, now time.Time) Claim {
	tokens := strings.Split(strings.TrimPrefix(d.Path, "/"), "/")
	name, parent := d.Name, ""
	if len(tokens) > 1 {
		parent = unescapePointer(tokens[len(tokens)-2])
	}
	if name == "" && d.Path != "" {
		// An array element means what its array means.
		name = parent
		if len(tokens) > 2 {
			parent = unescapePointer(tokens[len(tokens)-3])
		} else {
			parent = ""
		}
	}
	parsed := parseJSON(d.Value)
	value, _ := decodeJSON(d.Value)
	m := member{name: name, raw: d.Value, value: value, fields: parsed.members}
	out := explainClaim(c, "payload", m, now)
	out.Where, out.Path = "disclosure", d.Path
	if !out.Known && parent != "" {
		if e := c.lookup("payload", parent); e != nil && e.Members[name] != "" {
			out.Known, out.Meaning, out.Ref, out.RefURL, out.Kinds = true, e.Members[name]+" (a member of "+parent+")", e.Ref, e.URL, e.Kinds
		}
	}
	if d.Name == "" {
		out.Meaning = "An element of " + orWord(name, "an array") + ", disclosed on its own. " + out.Meaning
	}
	if d.Path == "" {
		out.Meaning = "Not placed: no digest in the issuer-signed JWT refers to this disclosure, so the issuer never signed it here. " + out.Meaning
	}
	return out
}

// count writes "1 claim is", "3 claims are".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// unescapePointer undoes RFC 6901's escaping of one reference token.
func unescapePointer(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// sdFindings say what selective disclosure hid here and what it cannot
// hide (RFC 9901 §4.2.5, §10.1), and whether the holder proved
// possession of the bound key (§4.3, §7.3).
func sdFindings(in SDInput, claims []Claim) []Finding {
	const refHidden, refLinkable, refKB = "RFC 9901 §4.2.5, §10.4", "RFC 9901 §10.1", "RFC 9901 §4.3, §7.3"
	var plain []string
	hasCnf := false
	for _, cl := range claims {
		if cl.Where != "payload" || strings.HasPrefix(cl.Name, "_sd") {
			continue
		}
		hasCnf = hasCnf || cl.Name == "cnf"
		plain = append(plain, cl.Name)
	}
	out := []Finding{{"sd-jwt-hidden", SeverityInfo, fmt.Sprintf("%s disclosed here; %s no disclosure: the verifier cannot read those claims, and cannot tell real ones from decoys (digests of nothing, which issuers add so that the count of claims reveals nothing), but it can count the digests.",
		count(len(in.Disclosed), "claim is", "claims are"), count(in.Undisclosed, "digest has", "digests have")), refHidden}}
	visible := "the issuer (iss) and its signature"
	if len(plain) > 0 {
		visible = "the claims the issuer signed in plain text (" + strings.Join(plain, ", ") + "), its signature"
	}
	if hasCnf {
		visible += ", the holder's key in cnf"
	}
	out = append(out, Finding{"sd-jwt-visible", SeverityInfo, "Selective disclosure hides only the values of undisclosed claims. Every verifier sees " + visible + ", and the digests, which are the same in every presentation of this SD-JWT: colluding verifiers, or a verifier and the issuer, can tell they saw the same credential, whatever was disclosed. Batch issuance (a fresh credential, with new salts and a new holder key, for each verifier) keeps verifiers from linking presentations, but never the issuer from recognizing its own credential.", refLinkable})
	switch {
	case in.KBPayload != nil:
		kb := object(parseJSON(in.KBPayload).members)
		out = append(out, Finding{"sd-jwt-key-binding", SeverityInfo, fmt.Sprintf("A Key Binding JWT ends this presentation: the holder signed it with the key in cnf for audience %s with nonce %s, and its sd_hash covers the issuer-signed JWT and exactly these disclosures, so none can be added or removed.", short(kb["aud"]), short(kb["nonce"])), refKB})
	case hasCnf:
		out = append(out, Finding{"sd-jwt-no-key-binding", SeverityInfo, "The issuer bound this SD-JWT to a holder key (cnf), but no Key Binding JWT follows: this is the form the issuer gives the holder, or a presentation without key binding. A verifier that relies on the binding must require a KB-JWT, signed by that key, with its own aud and nonce.", refKB})
	}
	return out
}
