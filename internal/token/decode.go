package token

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTokenBytes is the largest input Decode, Verify and Decrypt accept
// (1 MiB). Real tokens are a few KiB; anything larger is a pasted file.
const MaxTokenBytes = 1 << 20

// Format is the serialization a compact token uses.
type Format string

// Formats reported by Decode.
const (
	FormatJWS       Format = "JWS"       // signed, RFC 7515 §7.1
	FormatJWE       Format = "JWE"       // encrypted, RFC 7516 §7.1
	FormatUnsecured Format = "unsecured" // alg "none", RFC 7519 §6
)

// Decoded is a token taken apart without a key. Nothing in it has been
// verified.
type Decoded struct {
	// Format is JWS, JWE or unsecured (alg none).
	Format Format `json:"format"`
	// Header is the (protected) header as the token carries it, compacted:
	// key order and number spelling survive.
	Header json.RawMessage `json:"header"`
	// Payload is the payload JSON when it is JSON, a JSON string holding the
	// text when it is not (RFC 7515 §3 lets a JWS sign any bytes), and JSON
	// null for a JWE, whose payload needs the key.
	Payload json.RawMessage `json:"payload"`
	// Signature is the base64url signature segment as given; "" for an
	// unsecured token and for a JWE.
	Signature string `json:"signature"`
	// Parts are the raw segments (3 for JWS, 5 for JWE).
	Parts []string `json:"parts"`
	// Warnings note what was tolerated or looks odd; never nil.
	Warnings []string `json:"warnings"`
}

// parsed is a decoded token plus the bytes Verify and Decrypt need.
type parsed struct {
	d       *Decoded
	compact string                     // the token after trimming
	header  map[string]json.RawMessage // header parameters
	payload []byte                     // decoded payload (JWS only)
	sig     []byte                     // decoded signature (JWS only)
}

// Decode takes a compact JWS (RFC 7515 §7.1), JWE (RFC 7516 §7.1) or
// unsecured JWT (RFC 7519 §6) apart without a key. Surrounding whitespace,
// line breaks inside the token and a leading "Bearer " (RFC 6750 §2.1) are
// tolerated and reported in Warnings. Input over MaxTokenBytes, a wrong
// number of segments, a segment that is not base64url (RFC 7515 §2) or a
// header that is not a JSON object fail with ErrMalformed naming the
// segment and the problem. Decode checks no signature and no claim.
func Decode(s string) (*Decoded, error) {
	p, err := parse(s)
	if err != nil {
		return nil, err
	}
	return p.d, nil
}

// segment names for error messages, by format.
var (
	jwsSegments = []string{"header", "payload", "signature"}
	jweSegments = []string{"protected header", "encrypted key", "initialization vector", "ciphertext", "authentication tag"}
)

func parse(s string) (*parsed, error) {
	if len(s) > MaxTokenBytes {
		return nil, fmt.Errorf("%w: the input is %d bytes; tokenlab accepts tokens up to %d bytes (1 MiB). Paste only the token", ErrMalformed, len(s), MaxTokenBytes)
	}
	warnings := []string{}
	s = strings.TrimSpace(s)
	if len(s) > 7 && strings.EqualFold(s[:6], "bearer") && unicode.IsSpace(rune(s[6])) {
		s = strings.TrimSpace(s[7:])
		warnings = append(warnings, `a leading "Bearer " was stripped: it is the HTTP Authorization scheme (RFC 6750 §2.1), not part of the token`)
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), "")
		warnings = append(warnings, "whitespace inside the token was removed (compact serialization has none, RFC 7515 §7.1)")
	}
	if s == "" {
		return nil, fmt.Errorf("%w: the input is empty: paste a JWT (three base64url segments separated by dots) or a JWE (five)", ErrMalformed)
	}
	if s[0] == '{' {
		return nil, fmt.Errorf("%w: this looks like JSON (a JWS/JWE JSON Serialization or a bare claims object); tokenlab decodes compact tokens: base64url segments separated by dots (RFC 7515 §7.1)", ErrUnsupported)
	}
	parts := strings.Split(s, ".")
	var names []string
	switch len(parts) {
	case 3:
		names = jwsSegments
	case 5:
		names = jweSegments
	case 1:
		return nil, fmt.Errorf("%w: the input has no dots; a JWT has three base64url segments (header.payload.signature) and a JWE five", ErrMalformed)
	case 2:
		return nil, fmt.Errorf("%w: the input has 2 segments; a JWT has 3 (header.payload.signature). An unsecured JWT still ends with a dot (RFC 7519 §6.1): was the end cut off?", ErrMalformed)
	default:
		return nil, fmt.Errorf("%w: the input has %d segments; a JWS has 3 and a JWE has 5", ErrMalformed, len(parts))
	}
	raw := make([][]byte, len(parts))
	var header map[string]json.RawMessage
	var compactHeader json.RawMessage
	for i, part := range parts {
		b, err := decodeSegment(part)
		if err != nil {
			return nil, fmt.Errorf("%w: %s (segment %d) is not valid base64url: %v", ErrMalformed, names[i], i+1, err)
		}
		raw[i] = b
		if i == 0 {
			if header, compactHeader, warnings, err = parseHeader(b, names[0], warnings); err != nil {
				return nil, err
			}
		}
	}
	d := &Decoded{Header: compactHeader, Parts: parts, Warnings: warnings}
	p := &parsed{d: d, compact: s, header: header}
	alg, _ := headerString(header, "alg")
	if _, ok := header["alg"]; !ok {
		d.Warnings = append(d.Warnings, `the header has no "alg", which every JOSE header needs (RFC 7515 §4.1.1)`)
	}
	if len(parts) == 5 {
		d.Format = FormatJWE
		d.Payload = json.RawMessage("null")
		if _, ok := header["enc"]; !ok {
			d.Warnings = append(d.Warnings, `the JWE header has no "enc" (RFC 7516 §4.1.2)`)
		}
		return p, nil
	}
	d.Format = FormatJWS
	d.Signature = parts[2]
	p.payload, p.sig = raw[1], raw[2]
	if alg == "none" {
		d.Format = FormatUnsecured
		d.Signature = ""
		if parts[2] != "" {
			d.Warnings = append(d.Warnings, `alg is "none" but a signature segment is present; an unsecured JWS has an empty signature (RFC 7515 §A.5)`)
		}
	} else if _, ok := header["alg"]; ok && parts[2] == "" {
		d.Warnings = append(d.Warnings, fmt.Sprintf("the signature segment is empty although alg is %q", alg))
	}
	if _, ok := header["enc"]; ok {
		d.Warnings = append(d.Warnings, `the header has "enc", a JWE parameter, but the token has 3 segments like a JWS`)
	}
	var err error
	if d.Payload, d.Warnings, err = payloadJSON(p.payload, d.Warnings); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeSegment decodes one base64url segment (RFC 7515 §2: no padding),
// explaining the first character that is not base64url.
func decodeSegment(seg string) ([]byte, error) {
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		case c == '=':
			return nil, fmt.Errorf("padding '=' at offset %d: base64url in JOSE omits padding (RFC 7515 §2)", i)
		case c == '+' || c == '/':
			return nil, fmt.Errorf("illegal character %q at offset %d: that is standard base64; base64url uses '-' and '_' (RFC 4648 §5)", c, i)
		default:
			r, _ := utf8.DecodeRuneInString(seg[i:])
			return nil, fmt.Errorf("illegal character %q at offset %d", r, i)
		}
	}
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, fmt.Errorf("a length of %d characters is impossible for base64url (was it cut off or did it gain a character?)", len(seg))
	}
	return b, nil
}

// parseHeader checks that a decoded header is a JSON object (RFC 7515
// §4) nested at most MaxJSONDepth levels and returns its parameters and
// its compacted text, in which bytes that are not UTF-8 are replaced and
// reported in warnings.
func parseHeader(b []byte, name string, warnings []string) (map[string]json.RawMessage, json.RawMessage, []string, error) {
	if len(b) == 0 {
		return nil, nil, nil, fmt.Errorf("%w: %s (segment 1) is empty; it must be a JSON object such as {\"alg\":\"HS256\"}", ErrMalformed, name)
	}
	if err := checkDepth(ErrMalformed, name+" (segment 1)", b); json.Valid(b) && err != nil {
		return nil, nil, nil, err
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b, &header); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) || bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
			return nil, nil, nil, fmt.Errorf("%w: %s (segment 1) is JSON but not an object; a JOSE header is a JSON object (RFC 7515 §4)", ErrMalformed, name)
		}
		return nil, nil, nil, fmt.Errorf("%w: %s (segment 1) is not valid JSON: %v", ErrMalformed, name, jsonErr(err, b))
	}
	if header == nil {
		return nil, nil, nil, fmt.Errorf("%w: %s (segment 1) is JSON null, not an object (RFC 7515 §4)", ErrMalformed, name)
	}
	text, warnings := validUTF8(b, "the "+name, warnings)
	return header, compactJSON(text), warnings, nil
}

// validUTF8 returns JSON text in which each byte that is not UTF-8 (RFC
// 8259 §8.1 requires UTF-8) is replaced by U+FFFD, as encoding/json
// replaces it when decoding, noting the replacement in warnings, so that
// what Decode returns is always valid JSON text.
func validUTF8(b []byte, what string, warnings []string) ([]byte, []string) {
	if utf8.Valid(b) {
		return b, warnings
	}
	warnings = append(warnings, what+" contains bytes that are not UTF-8, which JSON requires (RFC 8259 §8.1); they are shown as U+FFFD")
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out, warnings
}

// jsonErr describes a JSON syntax error with its offset.
func jsonErr(err error, b []byte) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%v at offset %d of %d bytes", syn, syn.Offset, len(b))
	}
	return err
}

// payloadJSON renders a JWS payload: compacted JSON when it is JSON
// (refused when nested deeper than MaxJSONDepth), a JSON string of the
// text otherwise.
func payloadJSON(b []byte, warnings []string) (json.RawMessage, []string, error) {
	if len(b) == 0 {
		return json.RawMessage(`""`), append(warnings, "the payload is empty (a detached payload, RFC 7515 Appendix F?)"), nil
	}
	if json.Valid(b) {
		if err := checkDepth(ErrMalformed, "payload (segment 2)", b); err != nil {
			return nil, nil, err
		}
		var text []byte
		text, warnings = validUTF8(b, "the payload", warnings)
		compacted := compactJSON(text)
		if compacted[0] != '{' {
			warnings = append(warnings, "the payload is JSON but not an object, so it carries no JWT claims (RFC 7519 §7.2 step 10)")
		}
		return compacted, warnings, nil
	}
	if !utf8.Valid(b) {
		warnings = append(warnings, "the payload is binary, not UTF-8 text; bytes that are not UTF-8 are shown as U+FFFD")
	} else {
		warnings = append(warnings, "the payload is not JSON; it is shown as text (a JWS may sign any content, RFC 7515 §3)")
	}
	text, _ := json.Marshal(strings.ToValidUTF8(string(b), "\uFFFD"))
	return text, warnings, nil
}

// headerString returns a string header parameter.
func headerString(h map[string]json.RawMessage, name string) (string, bool) {
	raw, ok := h[name]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}
