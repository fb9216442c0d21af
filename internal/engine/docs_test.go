package engine

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// apiDoc is the API's reference, relative to this package.
var apiDoc = filepath.Join("..", "..", "docs", "API.md")

// docSections returns the "### name" sections under "## Methods" of
// docs/API.md, by name.
func docSections(t *testing.T) (map[string]string, []string) {
	t.Helper()
	b, err := os.ReadFile(apiDoc)
	if err != nil {
		t.Fatalf("the API reference is docs/API.md: %v", err)
	}
	_, methods, ok := strings.Cut(string(b), "\n## Methods\n")
	if !ok {
		t.Fatal("docs/API.md has no \"## Methods\" section")
	}
	if end := strings.Index(methods, "\n## "); end >= 0 {
		methods = methods[:end]
	}
	sections := map[string]string{}
	var order []string
	for _, part := range strings.Split(methods, "\n### ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		sections[strings.TrimSpace(name)] = body
		order = append(order, strings.TrimSpace(name))
	}
	return sections, order
}

// TestEveryMethodIsDocumented: docs/API.md has a section for every method
// of the engine, in the engine's order, and none for a method that does
// not exist; each section names every option of its method and has an
// example.
func TestEveryMethodIsDocumented(t *testing.T) {
	sections, order := docSections(t)
	names := New(Options{}).MethodNames()
	if !slices.Equal(order, names) {
		t.Errorf("docs/API.md documents the methods %q; the engine has %q (in this order)", order, names)
	}
	for _, name := range names {
		body, ok := sections[name]
		if !ok {
			t.Errorf("docs/API.md has no section \"### %s\"", name)
			continue
		}
		if !strings.Contains(body, "```js\n") {
			t.Errorf("the section of %s has no ```js example", name)
		}
		if !strings.Contains(body, "tokenlab."+name+"(") {
			t.Errorf("the example of %s does not call tokenlab.%s", name, name)
		}
	}
	for _, r := range optionRoots {
		where, body := "the section of "+r.method, sections[r.method]
		if r.form != "" {
			where = "the section " + formSections[r.form]
			body = topSection(t, formSections[r.form])
		}
		for _, option := range jsOptions(t, r.typ, "") {
			leaf := option[strings.LastIndex(option, ".")+1:]
			if !strings.Contains(body, "`"+leaf+"`") && !regexp.MustCompile(`\b`+leaf+`\??[,}]`).MatchString(body) {
				t.Errorf("%s does not document the option %s of %s", where, option, r.typ)
			}
		}
	}
}

// formSections are the "## " sections of docs/API.md that document the
// options of a token form (see optionRoot).
var formSections = map[string]string{"sd_jwt": "SD-JWT", "dpop_proof": "DPoP"}

// topSection returns the body of the "## heading" section of docs/API.md.
func topSection(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile(apiDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(b), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("docs/API.md has no section \"## %s\"", heading)
	}
	if end := strings.Index(body, "\n## "); end >= 0 {
		body = body[:end]
	}
	return body
}

// TestEveryErrorCodeIsDocumented: the error codes of the engine, and the
// page's timeout, each have a row in docs/API.md.
func TestEveryErrorCodeIsDocumented(t *testing.T) {
	b, err := os.ReadFile(apiDoc)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{CodeMalformed, CodeBadKey, CodeUnsupported, CodeBadRequest, CodeInternal, "timeout"} {
		if !strings.Contains(string(b), "| `"+code+"` |") {
			t.Errorf("docs/API.md has no row for the error code %s", code)
		}
	}
}
