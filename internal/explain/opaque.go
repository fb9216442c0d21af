package explain

import (
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"tokenlab/internal/vocab"
)

//go:embed opaque.json
var opaqueJSON []byte

// OpaqueFormat is a vendor's documented token format, recognized by its
// prefix.
type OpaqueFormat struct {
	Prefix string     `json:"prefix"` // "ghp_"
	Vendor string     `json:"vendor"` // "GitHub"
	Name   string     `json:"name"`   // "GitHub personal access token (classic)"
	Kind   vocab.Kind `json:"kind"`   // opaque_access_token or refresh_token
	Note   string     `json:"note"`   // how it is used and checked
	Ref    string     `json:"ref"`    // the vendor page
	URL    string     `json:"url"`
}

// Limits of what ExplainOpaque takes for an opaque token: shorter strings
// are more likely typos than tokens (the shortest example in RFC 6750
// §2.1, "mF_9.B5f-4.1JqM", has 15 characters); longer ones are pasted files.
const (
	minOpaqueLen = 12
	maxOpaqueLen = 8 << 10
)

// loadOpaqueFormats parses the embedded formats once; tests cover them.
var loadOpaqueFormats = sync.OnceValue(func() []OpaqueFormat {
	fs, err := parseOpaqueFormats(opaqueJSON)
	mustParse("opaque.json", err)
	return fs
})

// parseOpaqueFormats decodes opaque.json strictly; its formats must come
// longest prefix first, so that xoxe.xoxb- wins over xoxe-.
func parseOpaqueFormats(data []byte) ([]OpaqueFormat, error) {
	v, err := decodeJSON(data)
	obj, ok := v.(map[string]any)
	if err != nil || !ok || len(obj) != 1 {
		return nil, errors.New(`not a JSON object with only "formats"`)
	}
	var out []OpaqueFormat
	err = records("formats", obj["formats"], func(m map[string]string) {
		out = append(out, OpaqueFormat{Prefix: m["prefix"], Vendor: m["vendor"], Name: m["name"], Kind: vocab.Kind(m["kind"]), Note: m["note"], Ref: m["ref"], URL: m["url"]})
	}, "prefix", "vendor", "name", "kind", "note", "ref", "url")
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(out); i++ {
		if len(out[i].Prefix) > len(out[i-1].Prefix) {
			return nil, fmt.Errorf("formats[%d]: %s comes after the shorter %s; list longer prefixes first so they win", i, out[i].Prefix, out[i-1].Prefix)
		}
	}
	return out, nil
}

// ExplainOpaque explains text when it is a token that is not a JWT: a
// string of RFC 6750 §2.1 token characters (b64token) with no segment that
// starts like a JOSE header, such as RFC 6749's example access token
// "2YotnFZFEjr1zCsicMWpAA", Google's "ya29.…" or GitHub's "ghp_…". Such a
// string is most likely an opaque (reference) access token that only its
// issuer can read (RFC 6749 §1.4). ok is false for anything else, including
// every truncated or damaged JWT (a segment starting with "eyJ", the
// base64url of `{"`), which the decoder must report as malformed instead.
// A leading "Bearer " and line breaks are tolerated and reported as info.
func ExplainOpaque(text string) (e Explanation, ok bool) {
	token, notes, ok := opaqueToken(text)
	if !ok {
		return Explanation{}, false
	}
	var f *OpaqueFormat
	for _, cand := range loadOpaqueFormats() {
		if strings.HasPrefix(token, cand.Prefix) && len(token) >= len(cand.Prefix)+4 {
			f = &cand
			break
		}
	}
	if f == nil && len(token) < minOpaqueLen {
		return Explanation{}, false
	}
	cl := Classification{Kind: vocab.OpaqueAccessToken, Confidence: 0.7, Certainty: CertaintyLikely,
		Signals: []string{"only token characters and no JSON header (RFC 6750 §2.1): not a JWT, so most likely an opaque (reference) access token"}}
	head := "not a JWT: only its issuer can read it"
	if f != nil {
		cl = Classification{Kind: f.Kind, Confidence: 0.95, Certainty: CertaintyDeclared,
			Signals: []string{"starts with " + f.Prefix + ": " + vocab.WithArticle(f.Name) + " (" + f.Ref + ")"}}
		head = f.Name
	}
	cl.RuleKind = cl.Kind.VerifyAs()
	if cl.Kind == vocab.RefreshToken {
		cl.RuleKind = "" // a vendor's opaque refresh token cannot be verified either
	}
	p := purposeOf(cl.Kind)
	return Explanation{
		Kind:       cl.Kind,
		Format:     "opaque",
		Headline:   p.Title + " — " + head,
		Certainty:  cl.Certainty,
		Confidence: cl.Confidence,
		RuleKind:   cl.RuleKind,
		Signals:    cl.Signals,
		Opaque:     f,
		Purpose:    p,
		Claims:     []Claim{},
		Findings:   notes,
	}, true
}

// opaqueToken normalizes text as a decoder would (surrounding whitespace,
// a "Bearer " prefix, line breaks) and reports whether the result has the
// shape of an opaque token.
func opaqueToken(text string) (token string, notes []Finding, ok bool) {
	if len(text) > maxOpaqueLen+64 {
		return "", nil, false
	}
	s := strings.TrimSpace(text)
	notes = []Finding{}
	if rest, ok := cutBearer(s); ok {
		s = rest
		notes = append(notes, bearerNote)
	}
	if strings.ContainsAny(s, " \t") {
		return "", nil, false // words, not a token
	}
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), "")
		notes = append(notes, Finding{"input-whitespace", SeverityInfo, "Line breaks inside the token were removed: a token has no whitespace.", "RFC 6750 §2.1"})
	}
	if len(s) == 0 || len(s) > maxOpaqueLen || !isB64Token(s) {
		return "", nil, false
	}
	for _, seg := range strings.Split(s, ".") {
		if jwtLike(seg) {
			return "", nil, false
		}
	}
	return s, notes, true
}

// isB64Token reports whether s is an RFC 6750 §2.1 b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}

// jwtLike reports whether a segment starts like the base64url of a JSON
// object ("{" then, after optional whitespace, a quote or "}"), as every
// JOSE header and JWT claims set does ("eyJ" is `{"`). A string with such a
// segment is a JWT, whole or damaged, never an opaque token.
func jwtLike(seg string) bool {
	n := min(len(seg), 8)
	if n >= 4 {
		n -= n % 4
	}
	if n < 2 {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(seg[:n])
	if err != nil || len(b) == 0 || b[0] != '{' {
		return false
	}
	for _, c := range b[1:] {
		switch c {
		case ' ', '\t', '\r', '\n':
		case '"', '}':
			return true
		default:
			return false
		}
	}
	return true
}

// bearerNote reports a removed "Bearer " prefix.
var bearerNote = Finding{"input-bearer", SeverityInfo, `A leading "Bearer " was removed: it is the HTTP authentication scheme (Authorization: Bearer <token>), not part of the token.`, "RFC 6750 §2.1"}

// cutBearer removes a leading "Bearer " (any case, any whitespace after it).
func cutBearer(s string) (string, bool) {
	if len(s) > 7 && strings.EqualFold(s[:6], "bearer") && unicode.IsSpace(rune(s[6])) {
		return strings.TrimSpace(s[7:]), true
	}
	return s, false
}

// inputNotes reports what a decoder tolerates in a pasted JWT: a "Bearer "
// prefix and whitespace inside the token. Both are info: the token is
// fine, the copy carried extra characters.
func inputNotes(text string) []Finding {
	s := strings.TrimSpace(text)
	notes := []Finding{}
	if rest, ok := cutBearer(s); ok {
		s = rest
		notes = append(notes, bearerNote)
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		notes = append(notes, Finding{"input-whitespace", SeverityInfo, "Whitespace inside the token (line breaks from copying) was removed: the compact serialization has none.", "RFC 7515 §7.1"})
	}
	return notes
}
