package explain

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:embed catalog.json
var catalogJSON []byte

// entry is one claim or header parameter of the catalog.
type entry struct {
	Name    string            `json:"name"`              // claim name; a trailing * matches a prefix (xms_*)
	Where   string            `json:"where"`             // "header" or "payload"
	Meaning string            `json:"meaning"`           // plain words
	Ref     string            `json:"ref"`               // spec or vendor doc, e.g. "RFC 7519 §4.1.4"
	URL     string            `json:"url"`               // https URL of Ref
	Display string            `json:"display,omitempty"` // date, duration, scopes, list, values, object; empty: by JSON type
	Kinds   []string          `json:"kinds"`             // token kinds it belongs to, or "any"
	Values  map[string]string `json:"values,omitempty"`  // meaning of well-known values
	Members map[string]string `json:"members,omitempty"` // meaning of well-known object members
}

// catalog is the parsed, read-only claim catalog.
type catalog struct {
	Scopes   map[string]string `json:"scopes"` // meaning of the OIDC scope values
	Claims   []entry           `json:"claims"`
	exact    map[[2]string]*entry
	prefixes []*entry
}

// loadCatalog parses the embedded catalog once. The data is part of the
// binary and covered by tests, so a parse failure is a build defect.
var loadCatalog = sync.OnceValue(func() *catalog {
	c, err := parseCatalog(catalogJSON)
	mustParse("catalog.json", err)
	return c
})

// mustParse stops on an embedded data file that does not parse: the files
// are part of the binary and covered by tests, so that is a build defect.
// (The loaders are not one generic function: its instantiations cost the
// engine 3 KB brotli.)
func mustParse(name string, err error) {
	if err != nil {
		panic("explain: embedded " + name + " is invalid: " + err.Error())
	}
}

// parseCatalog decodes catalog.json with the package's own JSON decoder
// rather than reflection. Under WebAssembly, the first json.Unmarshal of
// the catalog took about 90 ms (the engine compiles each function on first
// use and encoding/json builds its type caches), paid by the first
// explanation a page asked for; this takes about 25 ms cold and 2 ms warm.
// Fields are checked strictly, so an unknown or mistyped field is an error.
func parseCatalog(data []byte) (*catalog, error) {
	doc := parseJSON(data)
	if doc.shape != "object" {
		return nil, errors.New("not a JSON object")
	}
	c := &catalog{}
	for _, m := range doc.members {
		var err error
		switch m.name {
		case "scopes":
			c.Scopes, err = stringMap(m.name, m.value)
		case "claims":
			list, ok := m.value.([]any)
			if !ok {
				return nil, errors.New("claims is not an array")
			}
			c.Claims = make([]entry, len(list))
			for i, v := range list {
				if err := c.Claims[i].set(v); err != nil {
					return nil, fmt.Errorf("claims[%d]: %w", i, err)
				}
			}
		default:
			err = fmt.Errorf("unknown member %q", m.name)
		}
		if err != nil {
			return nil, err
		}
	}
	c.exact = make(map[[2]string]*entry, len(c.Claims))
	for i := range c.Claims {
		e := &c.Claims[i]
		if prefix, ok := strings.CutSuffix(e.Name, "*"); ok && prefix != "" {
			c.prefixes = append(c.prefixes, e)
			continue
		}
		c.exact[[2]string{e.Where, e.Name}] = e
	}
	return c, nil
}

// set fills e from one decoded catalog object.
func (e *entry) set(v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return errors.New("not an object")
	}
	fields := map[string]*string{"name": &e.Name, "where": &e.Where, "meaning": &e.Meaning, "ref": &e.Ref, "url": &e.URL, "display": &e.Display}
	err := setFields(obj, fields, func(name string, v any) (err error) {
		switch name {
		case "kinds":
			var ok bool
			if e.Kinds, ok = stringList(v); !ok {
				err = errors.New("kinds is not an array of strings")
			}
		case "values":
			e.Values, err = stringMap(name, v)
		case "members":
			e.Members, err = stringMap(name, v)
		default:
			err = fmt.Errorf("unknown field %q", name)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", e.Name, err)
	}
	return nil
}

// The data files (catalog.json, purposes.json, opaque.json) are decoded
// without reflection, strictly: a member that is unknown or of the wrong
// type is an error. These helpers read their shapes.

// setFields sets the string members of a data object named in fields;
// rest decodes every other member, or returns an error for one it does
// not know.
func setFields(obj map[string]any, fields map[string]*string, rest func(name string, v any) error) error {
	for name, v := range obj {
		var err error
		if dst, ok := fields[name]; ok {
			*dst, err = stringField(name, v)
		} else {
			err = rest(name, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// records reads v as an array of objects whose members are strings, each
// named in allowed, and hands each to record in order.
func records(what string, v any, record func(map[string]string), allowed ...string) error {
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("%s is not an array", what)
	}
	for i, v := range list {
		m, err := stringMap(what, v)
		if err != nil {
			return fmt.Errorf("%s[%d]: %w", what, i, err)
		}
		for name := range m {
			if !slices.Contains(allowed, name) {
				return fmt.Errorf("%s[%d]: unknown field %q", what, i, name)
			}
		}
		record(m)
	}
	return nil
}

func stringField(name string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s is not a string", name)
	}
	return s, nil
}

func stringMap(name string, v any) (map[string]string, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is not an object", name)
	}
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s.%s is not a string", name, k)
		}
		out[k] = s
	}
	return out, nil
}

// lookup finds the catalog entry for a claim name at a location, trying
// exact names before prefixes such as xms_*.
func (c *catalog) lookup(where, name string) *entry {
	if e, ok := c.exact[[2]string{where, name}]; ok {
		return e
	}
	for _, e := range c.prefixes {
		if e.Where == where && strings.HasPrefix(name, strings.TrimSuffix(e.Name, "*")) {
			return e
		}
	}
	return nil
}

// isNamespaced reports whether a claim name is collision-resistant (a URL or
// URN), the form RFC 7519 §4.2 and Auth0 require for custom claims.
func isNamespaced(name string) bool {
	for _, p := range []string{"https://", "http://", "urn:"} {
		if len(name) > len(p) && strings.HasPrefix(strings.ToLower(name), p) {
			return true
		}
	}
	return false
}
