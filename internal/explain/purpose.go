package explain

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sync"

	"tokenlab/internal/vocab"
)

//go:embed purposes.json
var purposesJSON []byte

// Purpose is the guide for one token kind: who issues it, who receives,
// validates or must not read it, where it travels, how it is validated and
// how it differs from the other kinds.
type Purpose struct {
	Kind        vocab.Kind `json:"kind"`
	Title       string     `json:"title"`   // "ID token": the kind's vocab.Kind.Title
	Summary     string     `json:"summary"` // one or two sentences in plain words
	IssuedBy    string     `json:"issuedBy"`
	For         string     `json:"for"` // who receives and uses it
	ValidatedBy string     `json:"validatedBy"`
	NotFor      string     `json:"notFor"` // who must not read or accept it
	SendTo      string     `json:"sendTo"` // where it travels
	Lifetime    string     `json:"lifetime"`
	Steps       []Step     `json:"steps"`   // validation steps
	Versus      string     `json:"versus"`  // how it differs from the other kinds
	Sources     []Source   `json:"sources"` // the specifications and vendor pages the text cites
}

// Source is a specification or vendor page a guide cites.
type Source struct {
	Ref string `json:"ref"` // "RFC 6749 §1.4"
	URL string `json:"url"` // https URL
}

// Step is one validation step with the rule it comes from.
type Step struct {
	Text string `json:"text"`
	Ref  string `json:"ref"`
}

// loadPurposes parses the embedded guide once; it is covered by tests.
var loadPurposes = sync.OnceValue(func() []Purpose {
	ps, err := parsePurposes(purposesJSON)
	mustParse("purposes.json", err)
	return ps
})

// parsePurposes decodes purposes.json without reflection, for the same
// reason as parseCatalog: a fast first explanation under WebAssembly.
func parsePurposes(data []byte) ([]Purpose, error) {
	v, err := decodeJSON(data)
	list, ok := v.([]any)
	if err != nil || !ok {
		return nil, errors.New("not a JSON array")
	}
	ps := make([]Purpose, len(list))
	for i, v := range list {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("[%d] is not an object", i)
		}
		p := &ps[i]
		fields := map[string]*string{"summary": &p.Summary, "issuedBy": &p.IssuedBy, "for": &p.For,
			"validatedBy": &p.ValidatedBy, "notFor": &p.NotFor, "sendTo": &p.SendTo, "lifetime": &p.Lifetime, "versus": &p.Versus}
		err := setFields(obj, fields, func(name string, v any) (err error) {
			switch name {
			case "kind":
				var kind string
				kind, err = stringField(name, v)
				if err == nil && !vocab.Kind(kind).Known() {
					err = fmt.Errorf("kind %q is not in the vocabulary (internal/vocab)", kind)
				}
				p.Kind, p.Title = vocab.Kind(kind), vocab.Kind(kind).Title()
				return err
			case "steps":
				p.Steps = []Step{}
				return records(name, v, func(m map[string]string) { p.Steps = append(p.Steps, Step{Text: m["text"], Ref: m["ref"]}) }, "text", "ref")
			case "sources":
				p.Sources = []Source{}
				return records(name, v, func(m map[string]string) { p.Sources = append(p.Sources, Source{Ref: m["ref"], URL: m["url"]}) }, "ref", "url")
			}
			return fmt.Errorf("unknown field %q", name)
		})
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
	}
	return ps, nil
}

// Purposes returns the guide of every kind, in vocabulary order (vocab.Kinds), for a
// "which token goes where" comparison. The result is a copy the caller may
// change.
func Purposes() []Purpose {
	ps := slices.Clone(loadPurposes())
	for i := range ps {
		ps[i].Steps = slices.Clone(ps[i].Steps)
		ps[i].Sources = slices.Clone(ps[i].Sources)
	}
	return ps
}

// purposeOf returns a copy of the guide of one kind, or of "unknown".
func purposeOf(kind vocab.Kind) Purpose {
	ps := loadPurposes()
	i := slices.IndexFunc(ps, func(p Purpose) bool { return p.Kind == kind })
	if i < 0 {
		i = slices.IndexFunc(ps, func(p Purpose) bool { return p.Kind == vocab.Unknown })
	}
	if i < 0 {
		return Purpose{Kind: vocab.Unknown}
	}
	p := ps[i]
	p.Steps, p.Sources = slices.Clone(p.Steps), slices.Clone(p.Sources)
	return p
}
