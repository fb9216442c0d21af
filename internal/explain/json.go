package explain

import (
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// This file decodes a header or payload in one pass. Explain needs every
// value three ways: the member order of each object (claims are listed in
// token order and duplicates are reported), the exact source text of each
// value (numbers keep their digits), and the decoded value (numbers as
// json.Number, objects as map[string]any) for the classifier and the lints.
// Getting those from encoding/json took a new json.Decoder per value, which
// dominated Explain's time. jsontext (github.com/go-json-experiment/json,
// the basis of encoding/json/v2) reads tokens and raw values in order too,
// but measured against this reader (BENCHMARKS.md, "explain's JSON reader")
// it made Explain about 20% slower natively, with 18–20 more allocations,
// and the engine 32 KB brotli larger, so this reader stays; its results
// are held to encoding/json's by TestParseJSONMatchesEncodingJSON and
// FuzzParseJSON.

// member is one name/value pair of a JSON object, in document order.
type member struct {
	name   string
	raw    json.RawMessage // the value's source text
	value  any             // decoded as encoding/json does with UseNumber
	fields []member        // when value is an object: its members in order, duplicates included
}

// maxJSONDepth bounds nesting as encoding/json does, so hostile input
// cannot grow the stack without limit.
const maxJSONDepth = 10000

var errJSON = errors.New("explain: invalid JSON")

// parsedJSON is a decoded header or payload.
type parsedJSON struct {
	members  []member // when the text starts as an object: the members read before any error
	isObject bool     // the text starts as an object (it may be malformed later)
	shape    string   // JSON type of the value, "" when it is not valid JSON
}

// parseJSON decodes the first JSON value of raw. Like json.Decoder, it
// ignores what follows that value. Malformed JSON inside an object ends its
// member list early with the members read so far.
func parseJSON(raw []byte) parsedJSON {
	p := jsonParser{src: raw}
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == '{' {
		fields, err := p.object(0)
		out := parsedJSON{members: fields, isObject: true}
		if err == nil {
			out.shape = "object"
		}
		return out
	}
	v, _, err := p.value(0)
	if err != nil {
		return parsedJSON{}
	}
	return parsedJSON{shape: shapeOf(v)}
}

// decodeJSON decodes the first JSON value of raw.
func decodeJSON(raw []byte) (any, error) {
	p := jsonParser{src: raw}
	v, _, err := p.value(0)
	return v, err
}

// members walks a JSON object and returns its members in order, duplicates
// included. ok is false when raw is not an object. Malformed JSON ends the
// walk early with the members read so far.
func members(raw []byte) (ms []member, ok bool) {
	p := parseJSON(raw)
	return p.members, p.isObject
}

// object turns members into a map; as JSON parsers commonly do, the last
// duplicate wins (RFC 7519 §4 allows only that or rejection).
func object(ms []member) map[string]any {
	m := make(map[string]any, len(ms))
	for _, mb := range ms {
		m[mb.name] = mb.value
	}
	return m
}

// shapeOf names the JSON type of a decoded value.
func shapeOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case string:
		return "string"
	case nil:
		return "null"
	case []any:
		return "array"
	case json.Number:
		return "number"
	default:
		return "bool"
	}
}

// jsonParser is a recursive-descent JSON (RFC 8259) decoder over src.
type jsonParser struct {
	src []byte
	i   int
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.src) {
		switch p.src[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value decodes the value at p.i (after optional space); fields are the
// ordered members when it is an object.
func (p *jsonParser) value(depth int) (v any, fields []member, err error) {
	p.skipSpace()
	if p.i >= len(p.src) {
		return nil, nil, errJSON
	}
	switch c := p.src[p.i]; {
	case c == '{':
		fields, err := p.object(depth)
		if err != nil {
			return nil, nil, err
		}
		return object(fields), fields, nil
	case c == '[':
		if v, err := p.array(depth); err == nil {
			return v, nil, nil
		}
	case c == '"':
		if s, err := p.string(); err == nil {
			return s, nil, nil
		}
	case c == '-' || ('0' <= c && c <= '9'):
		if n, err := p.number(); err == nil {
			return n, nil, nil
		}
	case p.literal("true"):
		return true, nil, nil
	case p.literal("false"):
		return false, nil, nil
	case p.literal("null"):
		return nil, nil, nil
	}
	return nil, nil, errJSON
}

// object decodes the object at p.i, returning the members read before any
// error.
func (p *jsonParser) object(depth int) ([]member, error) {
	var ms []member
	err := p.elements(depth, '}', func() error {
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] != '"' {
			return errJSON
		}
		name, err := p.string()
		if err != nil {
			return err
		}
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] != ':' {
			return errJSON
		}
		p.i++
		p.skipSpace()
		start := p.i
		v, fields, err := p.value(depth + 1)
		if err == nil {
			ms = append(ms, member{name: name, raw: p.src[start:p.i:p.i], value: v, fields: fields})
		}
		return err
	})
	return ms, err
}

// array decodes the array at p.i.
func (p *jsonParser) array(depth int) ([]any, error) {
	out := []any{}
	err := p.elements(depth, ']', func() error {
		v, _, err := p.value(depth + 1)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// elements reads the comma-separated elements of the object or array that
// opens at p.i, one call of element each, through the closing byte.
func (p *jsonParser) elements(depth int, closing byte, element func() error) error {
	if depth+1 > maxJSONDepth {
		return errJSON
	}
	p.i++ // { or [
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == closing {
		p.i++
		return nil
	}
	for {
		if err := element(); err != nil {
			return err
		}
		p.skipSpace()
		if p.i >= len(p.src) {
			return errJSON
		}
		switch p.src[p.i] {
		case ',':
			p.i++
		case closing:
			p.i++
			return nil
		default:
			return errJSON
		}
	}
}

// string decodes the string at p.i. Plain strings (no escapes, valid
// UTF-8) are copied directly; the rest go through encoding/json so that
// escapes, surrogates and invalid UTF-8 (replaced by U+FFFD) come out
// exactly as it decodes them.
func (p *jsonParser) string() (string, error) {
	start := p.i
	p.i++ // "
	plain, ascii := true, true
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch {
		case c == '"':
			p.i++
			body := p.src[start+1 : p.i-1]
			if plain && (ascii || utf8.Valid(body)) {
				return string(body), nil
			}
			var s string
			if err := json.Unmarshal(p.src[start:p.i], &s); err != nil {
				return "", errJSON
			}
			return s, nil
		case c == '\\':
			plain = false
			p.i += 2
			continue
		case c < 0x20:
			return "", errJSON
		case c >= utf8.RuneSelf:
			ascii = false
		}
		p.i++
	}
	return "", errJSON
}

// number scans an RFC 8259 §6 number and keeps its text.
func (p *jsonParser) number() (json.Number, error) {
	start := p.i
	if p.src[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.src) && p.src[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return "", errJSON
	}
	if p.i < len(p.src) && p.src[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return "", errJSON
		}
	}
	if p.i < len(p.src) && (p.src[p.i] == 'e' || p.src[p.i] == 'E') {
		p.i++
		if p.i < len(p.src) && (p.src[p.i] == '+' || p.src[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return "", errJSON
		}
	}
	return json.Number(p.src[start:p.i]), nil
}

func (p *jsonParser) digits() int {
	n := 0
	for p.i < len(p.src) && '0' <= p.src[p.i] && p.src[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// literal consumes word when it is next.
func (p *jsonParser) literal(word string) bool {
	if len(p.src)-p.i < len(word) || string(p.src[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}
