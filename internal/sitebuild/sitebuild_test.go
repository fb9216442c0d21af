package sitebuild

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuildHashesAndRewrites(t *testing.T) {
	src := writeTree(t, map[string]string{
		"index.html":          `<link rel="stylesheet" href="app.css"><script type="module" src="./app.js"></script>`,
		"app.css":             `body { background: url(img/bg.svg) }`,
		"img/bg.svg":          `<svg xmlns="http://www.w3.org/2000/svg"></svg>`,
		"app.js":              `import { tokenlab } from "./tokenlab.js"; import "./elements/tl-a.js"; const v = "__TOKENLAB_VERSION__";`,
		"elements/tl-a.js":    `import "../lib/util.js"; export class A {}`,
		"lib/util.js":         `export const util = 1;`,
		"tokenlab.js":         `new Worker(new URL("./worker.js", import.meta.url));`,
		"worker.js":           `importScripts("./wasm_exec.js"); fetch("./tokenlab.wasm");`,
		"site.go":             `package site`,
		"build/old.js":        `stale`,
		".hidden":             `secret`,
		"README.md":           `not shipped`,
		"sub/testdata/x.json": `{}`,
	})
	engine := writeTree(t, map[string]string{
		"tokenlab.wasm": strings.Repeat("\x00asm", 1000),
		"wasm_exec.js":  strings.Repeat("// go runtime glue\n", 200),
	})
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(out, ".gitkeep"), nil, 0o644)
	os.WriteFile(filepath.Join(out, "leftover.js"), nil, 0o644)

	m, err := Build(Options{Sources: []string{src, engine}, Out: out, Version: "v1.2.3", CacheDir: filepath.Join(t.TempDir(), "cache")})
	if err != nil {
		t.Fatal(err)
	}
	hashed := regexp.MustCompile(`^[a-z_/-]+\.[0-9a-f]{12}\.[a-z]+$`)
	for _, name := range []string{"app.css", "app.js", "img/bg.svg", "elements/tl-a.js", "lib/util.js", "worker.js", "tokenlab.wasm", "wasm_exec.js"} {
		served := m.Assets[name]
		if !hashed.MatchString(served) {
			t.Errorf("%s is served as %q, want a content-hashed name", name, served)
			continue
		}
		data, err := os.ReadFile(filepath.Join(out, served))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if !strings.Contains(served, hex.EncodeToString(sum[:6])) {
			t.Errorf("%s: the name %s does not carry the hash of its final content", name, served)
		}
	}
	for _, name := range []string{"index.html", "tokenlab.js", ManifestName} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("stable entry point %s missing: %v", name, err)
		}
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	checks := []struct{ file, want string }{
		{"index.html", `href="` + m.Assets["app.css"] + `"`},
		{"index.html", `src="./` + m.Assets["app.js"] + `"`},
		{m.Assets["app.css"], `url(` + m.Assets["img/bg.svg"] + `)`},
		{m.Assets["app.js"], `"./tokenlab.js"`},
		{m.Assets["app.js"], `"./` + m.Assets["elements/tl-a.js"] + `"`},
		{m.Assets["app.js"], `"v1.2.3"`},
		{m.Assets["elements/tl-a.js"], `"../lib/` + strings.TrimPrefix(m.Assets["lib/util.js"], "lib/") + `"`},
		{"tokenlab.js", `"./` + m.Assets["worker.js"] + `"`},
		{m.Assets["worker.js"], `"./` + m.Assets["wasm_exec.js"] + `"`},
		{m.Assets["worker.js"], `"./` + m.Assets["tokenlab.wasm"] + `"`},
	}
	for _, c := range checks {
		if !strings.Contains(read(c.file), c.want) {
			t.Errorf("%s does not contain %s:\n%s", c.file, c.want, read(c.file))
		}
	}
	for _, gone := range []string{"site.go", "old.js", "build/old.js", ".hidden", "README.md", "leftover.js", "sub/testdata/x.json"} {
		if _, err := os.Stat(filepath.Join(out, gone)); err == nil {
			t.Errorf("%s was shipped", gone)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".gitkeep")); err != nil {
		t.Error("the placeholder .gitkeep was removed")
	}

	wasm := m.Assets["tokenlab.wasm"]
	for suffix, open := range map[string]func(io.Reader) (io.Reader, error){
		".br": func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		".gz": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	} {
		packed, err := os.ReadFile(filepath.Join(out, wasm+suffix))
		if err != nil {
			t.Fatalf("no %s copy of the wasm: %v", suffix, err)
		}
		r, err := open(bytes.NewReader(packed))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(r)
		if err != nil || string(plain) != read(wasm) {
			t.Errorf("%s copy does not decompress to the wasm (%v)", suffix, err)
		}
	}
}

func TestBuildRejectsReferenceCycles(t *testing.T) {
	src := writeTree(t, map[string]string{
		"index.html": `<script src="a.js"></script>`,
		"a.js":       `import "./b.js";`,
		"b.js":       `import "./a.js";`,
	})
	_, err := Build(Options{Sources: []string{src}, Out: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("Build with a cycle: err = %v, want a cycle error", err)
	}
}

func TestBuildNeedsAnIndex(t *testing.T) {
	_, err := Build(Options{Sources: []string{writeTree(t, map[string]string{"a.js": ""})}, Out: t.TempDir()})
	if err == nil {
		t.Fatal("Build without index.html succeeded")
	}
}
