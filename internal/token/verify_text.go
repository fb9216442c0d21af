package token

import (
	"fmt"
	"slices"
	"strings"
)

// Wording shared by the messages of Verify.

// quote is s in Go (and JSON-like) double quotes.
func quote(s string) string { return fmt.Sprintf("%q", s) }

// quoteList renders strings as "a", "b".
func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}

func quoteIf(s string) string {
	if s == "" {
		return ""
	}
	return quote(s)
}

// joinNonEmpty joins "label value" pairs whose value is set.
func joinNonEmpty(pairs ...string) string {
	var out []string
	for _, p := range pairs {
		if !strings.HasSuffix(p, " ") {
			out = append(out, p)
		}
	}
	return strings.Join(out, " and ")
}

func orAbsent(s string, has bool) string {
	if !has {
		return "absent"
	}
	return quote(s)
}

func orNone(text string, has bool) string {
	if !has {
		return "none"
	}
	return text
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// joinIDs lists check ids once each, in order: "exp, aud".
func joinIDs(ids []string) string {
	var seen []string
	for _, id := range ids {
		if !slices.Contains(seen, id) {
			seen = append(seen, id)
		}
	}
	return strings.Join(seen, ", ")
}

// claimWords name the compared claims for people.
var claimWords = map[string]string{"iss": "issuer", "aud": "audience", "htm": "method (htm)", "htu": "URL (htu)"}

// missingWords names skipped comparisons: "issuer and audience",
// "issuer, audience and nonce".
func missingWords(ids []string) string {
	words := make([]string, len(ids))
	for i, id := range ids {
		words[i] = id
		if w, ok := claimWords[id]; ok {
			words[i] = w
		}
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
