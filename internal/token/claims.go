package token

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// claimSet is a JSON object that keeps its members in insertion order, so
// minted tokens read naturally (iss, sub, aud, exp, iat, …) and override
// values keep their exact JSON text.
type claimSet struct {
	keys []string
	vals map[string]json.RawMessage
}

func newClaimSet() *claimSet { return &claimSet{vals: map[string]json.RawMessage{}} }

// set adds or replaces a member; v is marshaled with encoding/json.
func (c *claimSet) set(name string, v any) {
	raw, ok := v.(json.RawMessage)
	if !ok {
		raw = marshal(v)
	}
	if _, exists := c.vals[name]; !exists {
		c.keys = append(c.keys, name)
	}
	c.vals[name] = raw
}

// del removes a member.
func (c *claimSet) del(name string) {
	if _, ok := c.vals[name]; !ok {
		return
	}
	delete(c.vals, name)
	for i, k := range c.keys {
		if k == name {
			c.keys = append(c.keys[:i], c.keys[i+1:]...)
			break
		}
	}
}

// merge applies a JSON object of overrides: members replace or add, a
// member set to null is removed. what names the option in errors.
func (c *claimSet) merge(overrides json.RawMessage, what string) error {
	if len(bytes.TrimSpace(overrides)) == 0 || string(bytes.TrimSpace(overrides)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(overrides))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("%w: %s must be a JSON object, e.g. {\"sub\":\"alice\"}", ErrBadRequest, what)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: %s is not valid JSON: %v", ErrBadRequest, what, err)
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%w: %s: the value of %q is not valid JSON: %v", ErrBadRequest, what, name, err)
		}
		if string(raw) == "null" {
			c.del(name)
		} else {
			c.set(name, compactJSON(raw))
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%w: %s is not valid JSON: %v", ErrBadRequest, what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: %s has text after the closing brace", ErrBadRequest, what)
	}
	return nil
}

// MarshalJSON writes the members in order.
func (c *claimSet) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range c.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(marshal(k))
		buf.WriteByte(':')
		buf.Write(c.vals[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshal encodes claim values without HTML escaping, so URLs keep their
// '&'. Claim values are strings, numbers, booleans, maps and slices of
// them, which always encode.
func marshal(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return json.RawMessage("null")
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
