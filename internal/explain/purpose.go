package explain

import (
	_ "embed"
	"encoding/json"
	"slices"
	"sync"
)

//go:embed purposes.json
var purposesJSON []byte

// Purpose is the guide for one token kind: who issues it, who receives,
// validates or must not read it, where it travels, how it is validated and
// how it differs from the other kinds.
type Purpose struct {
	Kind        string `json:"kind"`
	Title       string `json:"title"`   // "ID token"
	Summary     string `json:"summary"` // one or two sentences in plain words
	IssuedBy    string `json:"issuedBy"`
	For         string `json:"for"` // who receives and uses it
	ValidatedBy string `json:"validatedBy"`
	NotFor      string `json:"notFor"` // who must not read or accept it
	SendTo      string `json:"sendTo"` // where it travels
	Lifetime    string `json:"lifetime"`
	Steps       []Step `json:"steps"`  // validation steps
	Versus      string `json:"versus"` // how it differs from the other kinds
}

// Step is one validation step with the rule it comes from.
type Step struct {
	Text string `json:"text"`
	Ref  string `json:"ref"`
}

// loadPurposes parses the embedded guide once; it is covered by tests.
var loadPurposes = sync.OnceValue(func() []Purpose {
	var ps []Purpose
	if err := json.Unmarshal(purposesJSON, &ps); err != nil {
		panic("explain: embedded purposes.json is invalid: " + err.Error())
	}
	return ps
})

// Purposes returns the guide of every kind (id_token, access_token,
// refresh_token, logout_token, jwt, unknown), for a "which token goes
// where" comparison. The result is a copy the caller may change.
func Purposes() []Purpose {
	ps := slices.Clone(loadPurposes())
	for i := range ps {
		ps[i].Steps = slices.Clone(ps[i].Steps)
	}
	return ps
}

// purposeOf returns the guide of one kind, or of "unknown".
func purposeOf(kind string) Purpose {
	ps := Purposes()
	for _, p := range ps {
		if p.Kind == kind {
			return p
		}
	}
	for _, p := range ps {
		if p.Kind == KindUnknown {
			return p
		}
	}
	return Purpose{Kind: KindUnknown}
}
