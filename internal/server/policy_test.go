package server

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"tokenlab/internal/sitebuild"
)

// otherOrigin is a documentation site that embeds tokenlab.
const otherOrigin = "https://docs.example"

// buildRealSite builds site/ the way `make build` does, with a stand-in
// engine, and returns the output directory and its manifest.
func buildRealSite(t *testing.T) (string, *sitebuild.Manifest) {
	t.Helper()
	engine := t.TempDir()
	for name, body := range map[string]string{"tokenlab.wasm": wasmBody, "wasm_exec.js": "// the Go toolchain's wasm_exec.js"} {
		if err := os.WriteFile(filepath.Join(engine, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	m, err := sitebuild.Build(sitebuild.Options{Sources: []string{filepath.Join("..", "..", "site"), engine}, Out: out, Version: "test"})
	if err != nil {
		t.Fatalf("building site/: %v", err)
	}
	return out, m
}

// TestPolicyTable builds the real site and proves, on the responses, the
// policy of every page and entry point: who may frame it, whether it may
// connect to other origins, and who may load it. It also proves that the
// table's keys are the names the build writes: each is a file of the built
// site, and every file outside the table has a content-hashed name.
func TestPolicyTable(t *testing.T) {
	dir, m := buildRealSite(t)
	h, err := New(os.DirFS(dir))
	if err != nil {
		t.Fatalf("serving the built site: %v", err)
	}
	for p := range policies {
		if h.files[p] == nil {
			t.Errorf("the policy table names %s, which the build does not write under that name", p)
		}
	}
	for p, f := range h.files {
		if _, listed := policies[p]; !listed && !f.immutable {
			t.Errorf("%s has a stable name but no entry in the policy table", p)
		}
	}

	asset := func(source string) string {
		t.Helper()
		served, ok := m.Assets[source]
		if !ok {
			t.Fatalf("the build wrote no %s", source)
		}
		return "/" + served
	}
	tests := []struct {
		name, path string
		csp        string
		frameable  bool // by a page of otherOrigin
		anyOrigin  bool // loadable by pages of other origins (CORS)
	}{
		{"playground", "/", CSPMain, false, false},
		{"playground by name", "/index.html", CSPMain, false, false},
		{"embed view", "/embed.html", CSPEmbed, true, false},
		{"embedding guide", "/embed-docs.html", CSPDefault, false, false},
		{"custom element", "/tokenlab-element.js", CSPDefault, false, true},
		{"custom element style sheet", "/tokenlab-element.css", CSPDefault, false, true},
		{"API module", "/tokenlab.js", CSPDefault, false, true},
		{"service worker", "/sw.js", CSPDefault, false, true},
		{"worker", asset("worker.js"), CSPDefault, false, true},
		{"engine", asset("tokenlab.wasm"), CSPDefault, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, http.MethodGet, tc.path, map[string]string{"Origin": otherOrigin})
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", tc.path, rec.Code)
			}
			hdr := rec.Header()
			if got := hdr.Get("Content-Security-Policy"); got != tc.csp {
				t.Errorf("Content-Security-Policy = %q, want %q", got, tc.csp)
			}
			if got := frameableFrom(hdr, otherOrigin); got != tc.frameable {
				t.Errorf("frameable by %s = %v, want %v (frame-ancestors %q, X-Frame-Options %q)", otherOrigin, got, tc.frameable, directive(hdr, "frame-ancestors"), hdr.Get("X-Frame-Options"))
			}
			if strings.HasSuffix(tc.path, ".html") || tc.path == "/" {
				// Browsers that predate frame-ancestors read X-Frame-Options.
				if xfo := hdr.Get("X-Frame-Options"); !tc.frameable && xfo != "DENY" {
					t.Errorf("X-Frame-Options = %q, want DENY for a page no one may frame", xfo)
				}
				if want := !tc.frameable; (hdr.Get("Cross-Origin-Opener-Policy") == "same-origin") != want {
					t.Errorf("Cross-Origin-Opener-Policy = %q; a top-level-only page isolates its window, the embed does not", hdr.Get("Cross-Origin-Opener-Policy"))
				}
			}
			if got := hdr.Get("Access-Control-Allow-Origin") == "*"; got != tc.anyOrigin {
				t.Errorf("Access-Control-Allow-Origin = %q, want loadable by any origin: %v", hdr.Get("Access-Control-Allow-Origin"), tc.anyOrigin)
			}
			https := slices.Contains(strings.Fields(directive(hdr, "connect-src")), "https:")
			if want := tc.csp == CSPMain; https != want {
				t.Errorf("connect-src %q: may reach https origins = %v, want %v (only the playground, for the opt-in issuer fetch)", directive(hdr, "connect-src"), https, want)
			}
		})
	}
}

// TestNewRefusesAPageWithoutPolicy: a page added to the site without a
// table entry stops the server instead of getting some default framing.
func TestNewRefusesAPageWithoutPolicy(t *testing.T) {
	site := testSite(t)
	site["about.html"] = &fstest.MapFile{Data: []byte("<!doctype html><title>about</title>")}
	_, err := New(site)
	if err == nil || !strings.Contains(err.Error(), "about.html") || errors.Is(err, ErrNotBuilt) {
		t.Fatalf("New(a site with an unlisted page) = %v, want an error naming about.html", err)
	}
}

// directive returns the sources of one CSP directive, or "".
func directive(hdr http.Header, name string) string {
	for _, d := range strings.Split(hdr.Get("Content-Security-Policy"), ";") {
		if fields := strings.Fields(d); len(fields) > 0 && fields[0] == name {
			return strings.Join(fields[1:], " ")
		}
	}
	return ""
}

// frameableFrom reports whether a page of origin may frame a response with
// these headers: CSP frame-ancestors decides when present (CSP Level 3
// §6.4.2), X-Frame-Options otherwise (RFC 7034).
func frameableFrom(hdr http.Header, origin string) bool {
	csp := hdr.Get("Content-Security-Policy")
	if strings.Contains(csp, "frame-ancestors") {
		for _, src := range strings.Fields(directive(hdr, "frame-ancestors")) {
			if src == "*" || src == origin || src == strings.SplitN(origin, ":", 2)[0]+":" {
				return true
			}
		}
		return false // 'none', 'self' or other hosts
	}
	switch strings.ToUpper(hdr.Get("X-Frame-Options")) {
	case "DENY", "SAMEORIGIN":
		return false
	}
	return true
}
