package sdjwt

import (
	"encoding/json"
)

// Format is the Format of a decoded SD-JWT.
const Format = "SD-JWT"

// Decoded is an SD-JWT (or SD-JWT+KB) taken apart without a key. Nothing
// in it has been verified.
type Decoded struct {
	// Format is "SD-JWT".
	Format string `json:"format"`
	// Header and Payload are the issuer-signed JWT's, as token.Decode
	// shows them: the payload with its digests, as the issuer signed it.
	Header  json.RawMessage `json:"header"`
	Payload json.RawMessage `json:"payload"`
	// Signature is the issuer-signed JWT's signature segment.
	Signature string `json:"signature"`
	// Parts are the issuer-signed JWT's three segments. The input (without
	// whitespace) is Parts joined by ".", then "~", then each disclosure
	// followed by "~", then the Key Binding JWT's parts joined by "."
	// when there is one.
	Parts []string `json:"parts"`
	// Warnings note what was tolerated and every rule of RFC 9901 the
	// SD-JWT breaks (which Verify reports as failed checks); never nil.
	Warnings []string `json:"warnings"`
	// SDAlg is the digest algorithm: _sd_alg, or sha-256 by default.
	SDAlg string `json:"sdAlg"`
	// Disclosures are the presented disclosures in order; never nil.
	Disclosures []Disclosure `json:"disclosures"`
	// Processed is the payload with every presented disclosure in place
	// and _sd, _sd_alg and the undisclosed array elements removed: the
	// Processed SD-JWT Payload of RFC 9901 §7.1 (and §7.3).
	Processed json.RawMessage `json:"processed"`
	// Undisclosed counts the digests with no presented disclosure: claims
	// the holder did not disclose, or decoys (RFC 9901 §4.2.5).
	Undisclosed int `json:"undisclosed"`
	// KB is the Key Binding JWT (RFC 9901 §4.3), when there is one.
	KB *KB `json:"kb,omitempty"`

	parsed   *parsed
	problems []problem
}

// KB is a decoded Key Binding JWT.
type KB struct {
	Header    json.RawMessage `json:"header"`
	Payload   json.RawMessage `json:"payload"`
	Signature string          `json:"signature"`
	// Parts are its three segments.
	Parts []string `json:"parts"`
}

// Decode takes an SD-JWT or SD-JWT+KB apart without a key (RFC 9901 §4):
// the issuer-signed JWT, each disclosure with its digest (§4.2.3), the
// processed payload (§7.1 step 3) and the Key Binding JWT. A ~-less JWS or
// a JWE is not an SD-JWT. A part that cannot be read fails with
// token.ErrMalformed naming the part ("disclosure 2 (part 3) is not
// base64url …"); an _sd_alg tokenlab does not compute fails with
// token.ErrUnsupported. Rules the SD-JWT breaks but that do not stop it
// being read (a digest used twice, a disclosure referenced nowhere) are
// listed in Warnings; Verify fails them.
func Decode(s string) (*Decoded, error) {
	p, err := parse(s)
	if err != nil {
		return nil, err
	}
	proc, err := p.process()
	if err != nil {
		return nil, err
	}
	d := &Decoded{
		Format: Format, Header: p.issuer.Header, Payload: p.issuer.Payload, Signature: p.issuer.Signature,
		Parts: p.issuer.Parts, Warnings: append(p.warnings, p.issuer.Warnings...), SDAlg: p.hashAlg,
		Disclosures: p.disclosed, Processed: encodeJSON(proc.payload), Undisclosed: proc.undisclosed,
		parsed: p, problems: proc.problems,
	}
	if d.Disclosures == nil {
		d.Disclosures = []Disclosure{}
	}
	for _, pr := range proc.problems {
		d.Warnings = append(d.Warnings, pr.message)
	}
	if p.kb != nil {
		d.KB = &KB{Header: p.kb.Header, Payload: p.kb.Payload, Signature: p.kb.Signature, Parts: p.kb.Parts}
		for _, w := range p.kb.Warnings {
			d.Warnings = append(d.Warnings, "Key Binding JWT: "+w)
		}
	}
	return d, nil
}
