package sdjwt

import (
	"fmt"
	"strconv"

	"tokenlab/internal/token"
)

// problem is a rule of RFC 9901 that the SD-JWT breaks: the check it
// fails and what was found.
type problem struct {
	check, message string
}

// Check ids of the SD-JWT rules, with the sections they cite.
const (
	checkSDAlg       = "sd_alg"      // RFC 9901 §4.1.1, §7.1 step 2.4
	checkDisclosures = "disclosures" // §7.1 steps 3 and 5
	checkDigests     = "digests"     // §4.1, §7.1 step 4
	checkClaimNames  = "claim_names" // §4.2.1, §7.1 step 3
)

// refs cite the SD-JWT checks.
var refs = map[string]string{
	checkSDAlg:       "RFC 9901 §4.1.1, §7.1 step 2.4",
	checkDisclosures: "RFC 9901 §7.1 steps 3 and 5",
	checkDigests:     "RFC 9901 §4.1, §7.1 step 4",
	checkClaimNames:  "RFC 9901 §4.2.1, §7.1 step 3",
}

// processing is the result of RFC 9901 §7.1 step 3 (the Processed SD-JWT
// Payload) and the rules the SD-JWT was found to break on the way.
type processing struct {
	payload     *object
	undisclosed int
	problems    []problem
}

// walker processes the payload, recursively through disclosed values.
type walker struct {
	disclosures []Disclosure
	byDigest    map[string]int // digest → the first disclosure with it
	used        []bool
	seen        map[string]int // how often each digest was met
	undisclosed int
	problems    []problem
}

// process puts every presented disclosure in place (RFC 9901 §7.1 step 3):
// object properties where their digest is in an _sd array, array elements
// where their {"...": digest} is, recursively through disclosed values;
// it removes _sd, the top-level _sd_alg and the array elements whose
// digest has no disclosure, and counts the digests without one. A rule
// broken on the way (a digest met twice, a disclosure referenced nowhere,
// a claim name that is reserved or already there, a disclosure of the
// wrong form for its place) is recorded as a problem, and the offending
// disclosure is left out. Nesting deeper than token.MaxJSONDepth is an
// error.
func (p *parsed) process() (*processing, error) {
	w := &walker{disclosures: p.disclosed, byDigest: map[string]int{}, used: make([]bool, len(p.disclosed)), seen: map[string]int{}}
	repeated := make([]bool, len(p.disclosed))
	for i, d := range p.disclosed {
		if first, dup := w.byDigest[d.Digest]; dup {
			repeated[i] = true
			w.add(checkDigests, "disclosure %d repeats disclosure %d: a holder must not send a disclosure more than once (RFC 9901 §4)", i+1, first+1)
			continue
		}
		w.byDigest[d.Digest] = i
	}
	payload, err := w.object(p.payload, "", 0, true)
	if err != nil {
		return nil, err
	}
	for i, d := range p.disclosed {
		if !w.used[i] && !repeated[i] {
			w.add(checkDisclosures, "disclosure %d (%s) is referenced by no digest in the issuer-signed JWT or in another presented disclosure, so the issuer never signed it here; a disclosure nested in another needs that one presented too (RFC 9901 §4.2.6, §7.1 step 5)", i+1, describe(d))
		}
	}
	return &processing{payload: payload, undisclosed: w.undisclosed, problems: w.problems}, nil
}

func (w *walker) add(check, format string, args ...any) {
	w.problems = append(w.problems, problem{check, fmt.Sprintf(format, args...)})
}

// lookup notes that a digest was met and returns the disclosure it
// references, if one was presented and the digest was not met before.
func (w *walker) lookup(d, where string) (int, bool) {
	w.seen[d]++
	if w.seen[d] == 2 {
		w.add(checkDigests, "the digest %s appears more than once (again at %s): every digest must be unique in the SD-JWT (RFC 9901 §4.1, §7.1 step 4)", d, where)
	}
	i, ok := w.byDigest[d]
	if !ok || w.seen[d] > 1 {
		if !ok {
			w.undisclosed++
		}
		return 0, false
	}
	w.used[i] = true
	return i, true
}

func (w *walker) value(v any, path string, depth int) (any, error) {
	_, isObject := v.(*object)
	_, isArray := v.([]any)
	if (isObject || isArray) && depth >= token.MaxJSONDepth {
		return nil, fmt.Errorf("%w: the processed payload nests more than %d levels deep (at %s)", token.ErrMalformed, token.MaxJSONDepth, path)
	}
	switch x := v.(type) {
	case *object:
		return w.object(x, path, depth, false)
	case []any:
		return w.array(x, path, depth)
	}
	return v, nil
}

// object processes an object: its own members first, then the disclosed
// properties whose digests its _sd lists, in _sd order.
func (w *walker) object(o *object, path string, depth int, top bool) (*object, error) {
	out := &object{}
	var digests []string
	if raw, ok := o.get("_sd"); ok {
		list, isList := raw.([]any)
		for _, el := range list {
			if d, isString := el.(string); isString {
				digests = append(digests, d)
			} else {
				isList = false
			}
		}
		if !isList {
			w.add(checkDigests, "_sd at %s is %s, not an array of digest strings (RFC 9901 §4.2.4.1)", at(path), encodeJSON(raw))
		}
	}
	for _, m := range o.members {
		switch {
		case m.name == "_sd" || (m.name == "_sd_alg" && top):
			continue
		case m.name == "_sd_alg":
			w.add(checkSDAlg, "_sd_alg appears at %s; it may only appear at the top level of the payload (RFC 9901 §4.1.1)", at(path))
		case m.name == "...":
			w.add(checkDigests, "\"...\" is used as a claim name at %s; it may only mark the digest of an array element, alone in its object (RFC 9901 §4.1, §4.2.4.2)", at(path))
		}
		v, err := w.value(m.value, path+"/"+pointerToken(m.name), depth+1)
		if err != nil {
			return nil, err
		}
		out.members = append(out.members, member{m.name, v})
	}
	for _, d := range digests {
		i, ok := w.lookup(d, "_sd of "+at(path))
		if !ok {
			continue
		}
		disc := &w.disclosures[i]
		if disc.Name == nil {
			w.add(checkDisclosures, "disclosure %d is an array element ([salt, value]), but its digest is in the _sd of %s, where object properties go (RFC 9901 §7.1 step 3.3.2.1)", i+1, at(path))
			continue
		}
		name := *disc.Name
		switch {
		case name == "_sd" || name == "...":
			w.add(checkClaimNames, "disclosure %d names its claim %q, which is reserved for digests (RFC 9901 §4.2.1, §7.1 step 3.3.2.2)", i+1, name)
			continue
		case o.has(name) || out.has(name):
			w.add(checkClaimNames, "disclosure %d discloses %q, which %s already has: a disclosed claim may not replace one the issuer signed in plain text or another disclosure (RFC 9901 §4.2.1, §7.1 step 3.3.2.3)", i+1, name, at(path))
			continue
		}
		disc.Path = path + "/" + pointerToken(name)
		v, err := w.value(disc.value, disc.Path, depth+1)
		if err != nil {
			return nil, err
		}
		out.members = append(out.members, member{name, v})
	}
	return out, nil
}

// array processes an array: an element {"...": digest} is replaced by its
// disclosed value, or removed when its disclosure was not presented.
func (w *walker) array(list []any, path string, depth int) ([]any, error) {
	out := []any{}
	for _, el := range list {
		elPath := path + "/" + strconv.Itoa(len(out))
		if d, ok := placeholder(el); ok {
			i, found := w.lookup(d, "an element of "+at(path))
			if !found {
				continue
			}
			disc := &w.disclosures[i]
			if disc.Name != nil {
				w.add(checkDisclosures, "disclosure %d is an object property ([salt, name, value]), but its digest marks an element of %s, where array elements ([salt, value]) go (RFC 9901 §7.1 step 3.3.3.1)", i+1, at(path))
				continue
			}
			disc.Path = elPath
			el = disc.value
		}
		v, err := w.value(el, elPath, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// placeholder returns the digest of an array element {"...": digest}
// (RFC 9901 §4.2.4.2): an object with that one member, a string.
func placeholder(el any) (string, bool) {
	o, ok := el.(*object)
	if !ok || len(o.members) != 1 || o.members[0].name != "..." {
		return "", false
	}
	d, ok := o.members[0].value.(string)
	return d, ok
}

// at names a place in the payload for messages.
func at(path string) string {
	if path == "" {
		return "the top level of the payload"
	}
	return path
}

// describe names a disclosure for messages: its claim name, or "an array
// element".
func describe(d Disclosure) string {
	if d.Name == nil {
		return "an array element"
	}
	return fmt.Sprintf("claim %q", *d.Name)
}
