package explain

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// referenceDecode is what parseJSON must agree with: encoding/json with
// UseNumber, on the first value of raw.
func referenceDecode(raw []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// decodedValue is decodeJSON's value of a document.
func decodedValue(raw []byte) (any, bool) {
	v, err := decodeJSON(raw)
	return v, err == nil
}

var jsonCases = []struct{ name, in string }{
	{"empty", ``},
	{"space", ` `},
	{"object", `{"a":1,"b":[true,false,null],"c":{"d":"e"}}`},
	{"spaces", " {\t\"a\" :\n1 , \"b\"\r: [ ] } "},
	{"duplicates", `{"a":1,"a":2}`},
	{"escapes", `{"a\"b":"\u00e9\ud83d\ude00\n\/\\"}`},
	{"lone surrogate", `"\ud800"`},
	{"invalid UTF-8", "\"a\xffb\""},
	{"non-ASCII", `"héllo"`},
	{"control character", "\"a\x01b\""},
	{"numbers", `[0,-0,1.5,-1e10,1E+2,2e-3,123456789012345678901234567890,1e400]`},
	{"leading zero", `01`},
	{"bare minus", `-`},
	{"dot without digits", `1.`},
	{"exponent without digits", `1e`},
	{"plus", `+1`},
	{"string", `"Example of Ed25519 signing"`},
	{"truncated object", `{"a":1,"b":`},
	{"truncated string", `{"a":"b`},
	{"trailing comma", `{"a":1,}`},
	{"trailing data", `{"a":1} x`},
	{"key not a string", `{1:2}`},
	{"literals", `[true,false,null]`},
	{"bad literal", `tru`},
	{"deep", strings.Repeat("[", 10001) + strings.Repeat("]", 10001)},
	{"deep but allowed", strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)},
}

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	for _, tt := range jsonCases {
		t.Run(tt.name, func(t *testing.T) {
			checkAgainstEncodingJSON(t, []byte(tt.in))
		})
	}
}

func TestParseJSONMembers(t *testing.T) {
	ms, ok := members([]byte(`{"b":{"y":1,"x":[2]},"a":"s","b":3,"c":`))
	if !ok {
		t.Fatal("not an object")
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.name+"="+string(m.raw))
	}
	if want := []string{`b={"y":1,"x":[2]}`, `a="s"`, `b=3`}; !reflect.DeepEqual(got, want) {
		t.Errorf("members = %q, want %q", got, want)
	}
	if f := ms[0].fields; len(f) != 2 || f[0].name != "y" || f[1].name != "x" {
		t.Errorf("fields of b = %+v, want y then x", f)
	}
	if _, ok := members([]byte(`["a"]`)); ok {
		t.Error("an array counted as an object")
	}
}

// FuzzParseJSON checks parseJSON against encoding/json on any input.
func FuzzParseJSON(f *testing.F) {
	for _, tt := range jsonCases {
		f.Add(tt.in)
	}
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, in string) {
		checkAgainstEncodingJSON(t, []byte(in))
	})
}

func checkAgainstEncodingJSON(t *testing.T, raw []byte) {
	t.Helper()
	want, wantOK := referenceDecode(raw)
	got, gotOK := decodedValue(raw)
	if gotOK != wantOK || !reflect.DeepEqual(got, want) {
		t.Fatalf("parse %.80q = %#.200v, %v; encoding/json says %#.200v, %v", raw, got, gotOK, want, wantOK)
	}
	p := parseJSON(raw)
	if wantOK && p.shape != shapeOf(want) {
		t.Fatalf("shape of %.80q = %q, want %q", raw, p.shape, shapeOf(want))
	}
	if wantOK && p.isObject && !reflect.DeepEqual(object(p.members), want) {
		t.Fatalf("members of %.80q = %#.200v, want %#.200v", raw, object(p.members), want)
	}
}
