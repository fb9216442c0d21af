package explain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// render turns a claim value into a human string and, for lists, scopes and
// objects, into items. Display rules come from the catalog entry; without a
// rule (or when the value does not fit the rule) the JSON type decides.
func render(c *catalog, e *entry, m member, now time.Time) (string, []DisplayItem) {
	name, v := m.name, m.value
	rule := ""
	if e != nil {
		rule = e.Display
	}
	switch rule {
	case "date":
		if n, ok := v.(json.Number); ok {
			return renderDate(n, name, now), nil
		}
	case "duration":
		if n, ok := v.(json.Number); ok {
			return renderDuration(n), nil
		}
	case "scopes":
		if s, ok := v.(string); ok {
			return renderList(strings.Fields(s), c.Scopes)
		}
		if list, ok := stringList(v); ok {
			return renderList(list, c.Scopes)
		}
	case "values":
		if s, ok := scalarText(v); ok {
			if m := e.Values[s]; m != "" {
				return s + " — " + m, []DisplayItem{{Value: s, Meaning: m}}
			}
			return s, nil
		}
	}
	switch x := v.(type) {
	case map[string]any:
		return renderObject(e, m.fields)
	case []any:
		var values map[string]string
		if e != nil {
			values = e.Values
		}
		list := make([]string, len(x))
		for i, el := range x {
			if s, ok := el.(string); ok {
				list[i] = s
			} else {
				list[i] = compact(el)
			}
		}
		return renderList(list, values)
	case string:
		if x == "" {
			return "(empty string)", nil
		}
		return x, nil
	default:
		return compact(x), nil
	}
}

// renderDate shows a NumericDate as RFC 3339 in UTC plus relative time.
func renderDate(n json.Number, name string, now time.Time) string {
	t, problem := vocab.NumericDate(n)
	if problem != "" {
		return n.String() + " (not a usable date: NumericDate is seconds since 1970)"
	}
	return vocab.Timestamp(t) + " (" + relative(t, now, name == "exp") + ")"
}

// relative says how far t is from now: "in 42 minutes", "3 days 4 hours
// ago", "expired 3 days ago".
func relative(t, now time.Time, expiry bool) string {
	d := t.Sub(now)
	switch {
	case d == 0:
		return "now"
	case d > 0:
		return "in " + vocab.Duration(d)
	case expiry:
		return "expired " + vocab.Duration(d) + " ago"
	default:
		return vocab.Duration(d) + " ago"
	}
}

// renderDuration shows a number of seconds with a readable span.
func renderDuration(n json.Number) string {
	f, err := n.Float64()
	if err != nil || f < 1 || f > vocab.MaxNumericDate {
		return n.String() + " seconds"
	}
	return n.String() + " seconds (" + vocab.Duration(time.Duration(f*float64(time.Second))) + ")"
}

// renderList shows values as a comma-separated list plus one item per value,
// with the meaning of the values the catalog knows.
func renderList(list []string, meanings map[string]string) (string, []DisplayItem) {
	items := make([]DisplayItem, len(list))
	for i, s := range list {
		items[i] = DisplayItem{Value: s, Meaning: meanings[s]}
	}
	if len(list) == 0 {
		return "(empty)", items
	}
	return strings.Join(list, ", "), items
}

// renderObject shows an object's members in token order, one item each,
// with the meaning of the members the catalog knows.
func renderObject(e *entry, ms []member) (string, []DisplayItem) {
	items := make([]DisplayItem, 0, len(ms))
	names := make([]string, 0, len(ms))
	for _, m := range ms {
		meaning := ""
		if e != nil {
			meaning = e.Members[m.name]
		}
		value, isString := m.value.(string)
		if !isString {
			value = compact(m.value)
		}
		items = append(items, DisplayItem{Value: m.name + ": " + value, Meaning: meaning})
		names = append(names, m.name)
	}
	switch len(names) {
	case 0:
		return "object with no members", items
	case 1:
		return "object with 1 member: " + names[0], items
	default:
		return fmt.Sprintf("object with %d members: %s", len(names), strings.Join(names, ", ")), items
	}
}

// stringList returns v as a list of strings when it is an array of strings.
func stringList(v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(arr))
	for _, el := range arr {
		s, ok := el.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// scalarText returns strings and numbers as text, for value lookups.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// compact writes a decoded value back as compact JSON.
func compact(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
