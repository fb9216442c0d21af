package sdjwt

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"unicode"

	"tokenlab/internal/token"
)

// Disclosure is one disclosure of an SD-JWT (RFC 9901 §4.2), decoded.
type Disclosure struct {
	// Disclosure is the base64url text as presented.
	Disclosure string `json:"disclosure"`
	// Digest is the base64url hash of that text with _sd_alg (§4.2.3):
	// the value the issuer-signed JWT carries in place of the claim.
	Digest string `json:"digest"`
	// Salt is the disclosure's salt (§4.2.1).
	Salt string `json:"salt"`
	// Name is the claim name of an object property; nil (absent in
	// JSON) for an array element (§4.2.2).
	Name *string `json:"name,omitempty"`
	// Value is the claim value or array element, as JSON.
	Value json.RawMessage `json:"value"`
	// Path is the JSON Pointer (RFC 6901) where the disclosure is placed
	// in the processed payload, e.g. "/address/street_address" or
	// "/nationalities/0"; absent when no digest references it.
	Path string `json:"path,omitempty"`

	value any // the decoded value, ordered
}

// parsed is an SD-JWT or SD-JWT+KB split into its parts (RFC 9901 §4).
type parsed struct {
	compact   string // the input without whitespace
	presented string // the SD-JWT: everything up to and including the last ~ (the sd_hash input, §4.3.1)
	issuerJWT string
	issuer    *token.Decoded
	payload   *object
	hashAlg   string
	hash      func() hash.Hash
	disclosed []Disclosure
	kbJWT     string // "" when there is no Key Binding JWT
	kb        *token.Decoded
	warnings  []string
}

// LooksLikeSDJWT reports whether s has the shape of an SD-JWT rather than
// a JWS or JWE: a ~ separating an issuer-signed JWT from what follows
// (RFC 9901 §4). A compact JWS or JWE never contains ~.
func LooksLikeSDJWT(s string) bool {
	head, _, found := strings.Cut(strings.TrimSpace(s), "~")
	return found && strings.Contains(head, ".")
}

// parse splits and decodes an SD-JWT or SD-JWT+KB without a key: the
// issuer-signed JWT (a JWS, §4.1), each disclosure (§4.2) with its
// digest, and the Key Binding JWT when the last part is not empty (§4.3).
// Surrounding whitespace and line breaks (as in the RFC's examples) are
// removed. Anything that cannot be read fails with token.ErrMalformed
// naming the part; an _sd_alg tokenlab does not compute fails with
// token.ErrUnsupported.
func parse(s string) (*parsed, error) {
	if len(s) > token.MaxTokenBytes {
		return nil, fmt.Errorf("%w: the input is %d bytes; tokenlab accepts SD-JWTs up to %d bytes (1 MiB)", token.ErrMalformed, len(s), token.MaxTokenBytes)
	}
	p := &parsed{warnings: []string{}}
	s = strings.TrimSpace(s)
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), "")
		p.warnings = append(p.warnings, "whitespace inside the SD-JWT was removed (its parts are base64url separated by . and ~, RFC 9901 §4)")
	}
	if s == "" {
		return nil, fmt.Errorf("%w: the input is empty: paste an SD-JWT, <issuer-signed JWT>~<disclosure>~…~", token.ErrMalformed)
	}
	parts := strings.Split(s, "~")
	if len(parts) < 2 {
		return nil, fmt.Errorf("%w: an SD-JWT has a ~ after its issuer-signed JWT, even with no disclosures (RFC 9901 §4); this input has none", token.ErrMalformed)
	}
	p.compact, p.issuerJWT = s, parts[0]
	if err := p.readIssuerJWT(); err != nil {
		return nil, err
	}
	last := parts[len(parts)-1]
	p.presented = s[:len(s)-len(last)]
	if last != "" {
		if err := p.readKB(last, len(parts)); err != nil {
			return nil, err
		}
	}
	for i, text := range parts[1 : len(parts)-1] {
		d, err := p.readDisclosure(i+1, text)
		if err != nil {
			return nil, err
		}
		p.disclosed = append(p.disclosed, d)
	}
	return p, nil
}

// readIssuerJWT decodes the first part: a JWS whose payload is a JSON
// object, and its _sd_alg.
func (p *parsed) readIssuerJWT() error {
	const what = "the issuer-signed JWT (the part before the first ~)"
	if p.issuerJWT == "" {
		return fmt.Errorf("%w: %s is empty", token.ErrMalformed, what)
	}
	d, err := token.Decode(p.issuerJWT)
	if err != nil {
		return within(what, err)
	}
	if d.Format == token.FormatJWE {
		return fmt.Errorf("%w: %s is a JWE (5 segments); an SD-JWT's issuer-signed JWT is a JWS (RFC 9901 §4.1)", token.ErrMalformed, what)
	}
	p.issuer = d
	v, err := decodeJSON(d.Payload)
	if err != nil {
		return fmt.Errorf("%w: the payload of %s cannot be read: %v", token.ErrMalformed, what, err)
	}
	obj, ok := v.(*object)
	if !ok {
		return fmt.Errorf("%w: the payload of %s is not a JSON object, so it holds no claims and no digests (RFC 9901 §4.1)", token.ErrMalformed, what)
	}
	p.payload = obj
	p.hashAlg = DefaultHashAlg
	if raw, ok := obj.get("_sd_alg"); ok {
		alg, isString := raw.(string)
		if !isString {
			return fmt.Errorf("%w: _sd_alg is %s, not a string naming a hash algorithm (RFC 9901 §4.1.1)", token.ErrMalformed, encodeJSON(raw))
		}
		p.hashAlg = alg
	}
	p.hash, err = hashFor(p.hashAlg)
	return err
}

// readKB decodes the last part, a Key Binding JWT.
func (p *parsed) readKB(text string, n int) error {
	what := fmt.Sprintf("the Key Binding JWT (part %d, after the last ~)", n)
	if !strings.Contains(text, ".") {
		return fmt.Errorf("%w: the last part (%s) is not a JWT; an SD-JWT without a Key Binding JWT ends with ~ (RFC 9901 §4): was the final ~ cut off?", token.ErrMalformed, abbreviate(text))
	}
	d, err := token.Decode(text)
	if err != nil {
		return within(what, err)
	}
	if d.Format == token.FormatJWE {
		return fmt.Errorf("%w: %s is a JWE; a Key Binding JWT is signed (RFC 9901 §4.3)", token.ErrMalformed, what)
	}
	p.kbJWT, p.kb = text, d
	return nil
}

// readDisclosure decodes disclosure n (1-based): base64url of a JSON array
// [salt, name, value] or [salt, value] (RFC 9901 §4.2.1, §4.2.2).
func (p *parsed) readDisclosure(n int, text string) (Disclosure, error) {
	fail := func(format string, args ...any) (Disclosure, error) {
		return Disclosure{}, fmt.Errorf("%w: disclosure %d (part %d) %s", token.ErrMalformed, n, n+1, fmt.Sprintf(format, args...))
	}
	if text == "" {
		return fail("is empty: two ~ in a row")
	}
	if strings.Contains(text, ".") {
		return fail("contains '.', which base64url never does: only the last part of an SD-JWT may be a JWT (the Key Binding JWT, RFC 9901 §4)")
	}
	b, err := token.DecodeSegment(text)
	if err != nil {
		return fail("is not base64url: %v", err)
	}
	v, err := decodeJSON(b)
	if err != nil {
		return fail("is not valid JSON: %v", err)
	}
	list, isList := v.([]any)
	if !isList || (len(list) != 2 && len(list) != 3) {
		shape := jsonShape(v)
		if isList {
			shape = fmt.Sprintf("an array of %d %s", len(list), plural(len(list), "element", "elements"))
		}
		return fail("is not a JSON array of 2 or 3 elements ([salt, value] or [salt, claim name, value], RFC 9901 §4.2): it is %s", shape)
	}
	d := Disclosure{Disclosure: text, Digest: digest(p.hash, text)}
	salt, isString := list[0].(string)
	if !isString {
		return fail("has a salt (its first element) that is %s, not a string (RFC 9901 §4.2.1)", jsonShape(list[0]))
	}
	d.Salt, d.value = salt, list[len(list)-1]
	if len(list) == 3 {
		name, isString := list[1].(string)
		if !isString {
			return fail("has a claim name (its second element) that is %s, not a string (RFC 9901 §4.2.1)", jsonShape(list[1]))
		}
		d.Name = &name
	}
	d.Value = encodeJSON(d.value)
	return d, nil
}

// within rewrites an error of the token package about one part of the
// SD-JWT so that its message names the part, keeping its sentinel.
func within(part string, err error) error {
	for _, sentinel := range []error{token.ErrMalformed, token.ErrUnsupported, token.ErrBadKey, token.ErrBadRequest} {
		if errors.Is(err, sentinel) {
			detail := strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
			return fmt.Errorf("%w: %s: %s", sentinel, part, detail)
		}
	}
	return fmt.Errorf("%s: %w", part, err)
}

// jsonShape names the JSON type of a decoded value for messages.
func jsonShape(v any) string {
	switch v.(type) {
	case *object:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// abbreviate shortens text for a message.
func abbreviate(s string) string {
	if r := []rune(s); len(r) > 24 {
		return string(r[:20]) + "…"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
