package token

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"tokenlab/internal/vocab"
)

//go:embed presets.json
var presetsJSON []byte

// StandardPreset is the preset Mint uses when none is named: the claims
// the specifications require (OIDC Core 1.0 §2, RFC 9068 §2.2 with typ
// at+jwt, Back-Channel Logout 1.0 §2.4 with typ logout+jwt, RFC 7519 §4.1).
const StandardPreset = "standard"

// Preset is a token shape from presets.json: a vendor's tokens as its
// documentation shows them (or, for StandardPreset, as the specifications
// require), with the page each follows.
type Preset struct {
	Name  string       `json:"name"`  // "entra"
	Title string       `json:"title"` // "Microsoft Entra ID (v2.0 tokens)"
	URL   string       `json:"url"`   // the vendor's token documentation
	Kinds []PresetKind `json:"kinds"` // the kinds it issues as JWTs, in order
	// NotIssued says, per kind it does not issue as a JWT, why not.
	NotIssued map[vocab.Kind]string `json:"notIssued"`
}

// PresetKind is one kind of a preset: its header and claims as templates
// whose placeholders (see Placeholders) Mint fills in.
type PresetKind struct {
	Kind   vocab.Kind      `json:"kind"`
	Source string          `json:"source"` // the page this shape follows
	Header json.RawMessage `json:"header"` // JSON object template, in token order
	Claims json.RawMessage `json:"claims"` // JSON object template, in token order
	// Departures name how this shape departs from RFC 9068 (for access
	// tokens), each with the vendor's equivalent: what a verifier applying
	// RFC 9068 would warn about, not errors.
	Departures []string `json:"departures"`
	Note       string   `json:"note"`
}

// Presets is presets.json: the placeholders its templates use and the
// presets, StandardPreset first.
type Presets struct {
	// Placeholders maps each placeholder ("${iat}") to what Mint puts there.
	Placeholders map[string]string `json:"placeholders"`
	Presets      []Preset          `json:"presets"`
}

// loadPresets parses the embedded presets once; tests cover the data, so a
// parse failure is a build defect.
var loadPresets = sync.OnceValue(func() *Presets {
	var p Presets
	dec := json.NewDecoder(bytes.NewReader(presetsJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		panic("token: embedded presets.json is invalid: " + err.Error())
	}
	return &p
})

// AllPresets returns every preset with its templates, for a page that fills
// its mint form without minting. The result is a deep copy.
func AllPresets() Presets {
	src := loadPresets()
	out := Presets{Placeholders: make(map[string]string, len(src.Placeholders)), Presets: make([]Preset, len(src.Presets))}
	for k, v := range src.Placeholders {
		out.Placeholders[k] = v
	}
	for i, p := range src.Presets {
		p.Kinds = slices.Clone(p.Kinds)
		for j := range p.Kinds {
			k := &p.Kinds[j]
			k.Header, k.Claims, k.Departures = slices.Clone(k.Header), slices.Clone(k.Claims), slices.Clone(k.Departures)
		}
		notIssued := make(map[vocab.Kind]string, len(p.NotIssued))
		for k, v := range p.NotIssued {
			notIssued[k] = v
		}
		p.NotIssued = notIssued
		out.Presets[i] = p
	}
	return out
}

// presetNames lists the preset names for messages: "standard", "entra", …
func presetNames() string {
	var names []string
	for _, p := range loadPresets().Presets {
		names = append(names, strconv.Quote(p.Name))
	}
	return strings.Join(names, ", ")
}

// presetKind finds the template of kind in the named preset ("" is
// StandardPreset). Unknown presets and kinds a vendor does not issue as
// JWTs fail with ErrUnsupported, saying why.
func presetKind(preset string, kind vocab.Kind) (*PresetKind, error) {
	name := strings.ToLower(preset)
	if name == "" {
		name = StandardPreset
	}
	ps := loadPresets().Presets
	i := slices.IndexFunc(ps, func(p Preset) bool { return p.Name == name })
	if i < 0 {
		return nil, fmt.Errorf("%w: preset %q; tokenlab has %s", ErrUnsupported, preset, presetNames())
	}
	p := &ps[i]
	if j := slices.IndexFunc(p.Kinds, func(k PresetKind) bool { return k.Kind == kind }); j >= 0 {
		return &p.Kinds[j], nil
	}
	why := p.NotIssued[kind]
	if why == "" {
		why = "it has no such shape"
	}
	return nil, fmt.Errorf("%w: the %s preset has no %s: %s", ErrUnsupported, p.Name, kind.Name(), why)
}

// templateValues are what Mint puts into a preset's placeholders.
type templateValues struct {
	iat, exp int64
	jti      string // base64url, so it needs no escaping inside a JSON string
	alg, kid string
}

// fill replaces the placeholders of a JSON template: "${iat}" and "${exp}"
// as whole strings become numbers, "${alg}" and "${kid}" become JSON
// strings, and ${jti} is replaced inside strings ("AT.${jti}").
func fill(tmpl json.RawMessage, v templateValues) json.RawMessage {
	// Plain ReplaceAll calls rather than a strings.Replacer, whose code
	// would add about 6 kB to the compressed engine (bench/size_test.go).
	s := string(tmpl)
	for _, r := range [...][2]string{
		{`"${iat}"`, strconv.FormatInt(v.iat, 10)},
		{`"${exp}"`, strconv.FormatInt(v.exp, 10)},
		{`"${alg}"`, string(marshal(v.alg))},
		{`"${kid}"`, string(marshal(v.kid))},
		{"${jti}", v.jti},
	} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return json.RawMessage(s)
}

// fromTemplate builds an ordered claim set from a filled template.
func fromTemplate(tmpl json.RawMessage, v templateValues, what string) (*claimSet, error) {
	c := newClaimSet()
	if err := c.merge(fill(tmpl, v), what); err != nil {
		return nil, fmt.Errorf("token: preset %s template: %w", what, err)
	}
	return c, nil
}
