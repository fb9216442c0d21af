package token

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Wording shared by the messages of Verify.

// stamp formats a time as RFC 3339 UTC, with its fraction of a second
// when it has one.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// span renders a duration in its largest units, e.g. "3d 4h", "12m 5s",
// or in milliseconds below a second, e.g. "500ms".
func span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	d = d.Round(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	switch {
	case days >= 365:
		return fmt.Sprintf("%dy %dd", days/365, days%365)
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm %ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

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
