package explain

import (
	_ "embed"
	"encoding/json"
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
	c := &catalog{}
	if err := json.Unmarshal(catalogJSON, c); err != nil {
		panic("explain: embedded catalog.json is invalid: " + err.Error())
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
	return c
})

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
