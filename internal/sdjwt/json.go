package sdjwt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tokenlab/internal/token"
)

// The payload and the disclosures are processed as ordered JSON values, so
// the processed payload lists claims in the issuer's order and numbers keep
// their digits: objects are *object, arrays []any, numbers json.Number,
// and strings, booleans and null as encoding/json decodes them.

// member is one name/value pair of an object.
type member struct {
	name  string
	value any
}

// object is a JSON object with its members in order.
type object struct{ members []member }

// get returns a member's value.
func (o *object) get(name string) (any, bool) {
	for _, m := range o.members {
		if m.name == name {
			return m.value, true
		}
	}
	return nil, false
}

// has reports whether a member exists.
func (o *object) has(name string) bool {
	_, ok := o.get(name)
	return ok
}

// errDuplicate marks a member name that appears twice in one object.
var errDuplicate = errors.New("duplicate member")

// decodeJSON reads exactly one JSON value. Objects with a member name
// that appears twice are refused (RFC 7519 §4 lets a parser reject them,
// and two readers taking different duplicates is how a signed payload is
// read two ways), as is nesting deeper than token.MaxJSONDepth, which
// bounds every JSON value read or built here, disclosures inside
// disclosures included (a value nested thousands of levels deep overflows
// the browser's stack).
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := readValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("there is text after the JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("unexpected end of JSON")
		}
		return nil, err
	}
	delim, isDelim := tok.(json.Delim)
	if !isDelim {
		return tok, nil
	}
	if depth >= token.MaxJSONDepth {
		return nil, fmt.Errorf("JSON nested more than %d levels deep", token.MaxJSONDepth)
	}
	switch delim {
	case '{':
		o := &object{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := tok.(string)
			if o.has(name) {
				return nil, fmt.Errorf("%w %q", errDuplicate, name)
			}
			v, err := readValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			o.members = append(o.members, member{name, v})
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return o, nil
	case '[':
		list := []any{}
		for dec.More() {
			v, err := readValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return list, nil
	}
	return nil, fmt.Errorf("unexpected %v", delim)
}

// encodeJSON writes a value compactly, objects in member order, without
// HTML escaping (URLs keep their '&').
func encodeJSON(v any) json.RawMessage {
	var buf bytes.Buffer
	writeJSON(&buf, v)
	return buf.Bytes()
}

func writeJSON(buf *bytes.Buffer, v any) {
	switch x := v.(type) {
	case *object:
		buf.WriteByte('{')
		for i, m := range x.members {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, m.name)
			buf.WriteByte(':')
			writeJSON(buf, m.value)
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, el := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSON(buf, el)
		}
		buf.WriteByte(']')
	case string:
		writeString(buf, x)
	case json.Number:
		buf.WriteString(x.String())
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	default:
		buf.WriteString("null")
	}
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // the encoder's newline
}

// pointerToken escapes one JSON Pointer reference token (RFC 6901 §3).
func pointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// splitPointer parses a JSON Pointer (RFC 6901) into its unescaped
// reference tokens.
func splitPointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if p[0] != '/' {
		return nil, fmt.Errorf("a JSON Pointer starts with /")
	}
	parts := strings.Split(p[1:], "/")
	for i, t := range parts {
		for j := 0; j < len(t); j++ {
			if t[j] == '~' && (j+1 == len(t) || (t[j+1] != '0' && t[j+1] != '1')) {
				return nil, fmt.Errorf("~ must be followed by 0 or 1 (RFC 6901 §3)")
			}
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return parts, nil
}
