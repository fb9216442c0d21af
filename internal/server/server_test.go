package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

const wasmBody = "\x00asm\x01\x00\x00\x00 pretend engine"

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	io.WriteString(w, s)
	w.Close()
	return buf.Bytes()
}

func br(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := brotli.NewWriter(&buf)
	io.WriteString(w, s)
	w.Close()
	return buf.Bytes()
}

func testSite(t *testing.T) fstest.MapFS {
	return fstest.MapFS{
		"index.html":                    {Data: []byte("<!doctype html><title>tokenlab</title>")},
		"embed.html":                    {Data: []byte("<!doctype html><title>embed</title>")},
		"tokenlab.js":                   {Data: []byte("export const tokenlab = {};")},
		"tokenlab.js.br":                {Data: br(t, "export const tokenlab = {};")},
		"tokenlab.js.gz":                {Data: gz(t, "export const tokenlab = {};")},
		"tokenlab.0123456789ab.wasm":    {Data: []byte(wasmBody)},
		"tokenlab.0123456789ab.wasm.br": {Data: br(t, wasmBody)},
		"tokenlab.0123456789ab.wasm.gz": {Data: gz(t, wasmBody)},
		"elements/tl-x.abcdefabcdef.js": {Data: []byte("export class X {}")},
		".gitkeep":                      {Data: nil},
	}
}

func newHandler(t *testing.T) *Handler {
	t.Helper()
	h, err := New(testSite(t))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func do(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://tokenlab.test/", nil)
	req.URL.Path = target
	req.URL.RawPath = ""
	req.RequestURI = target
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestNewRefusesAnUnbuiltSite(t *testing.T) {
	_, err := New(fstest.MapFS{".gitkeep": {}})
	if !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("New(empty) error = %v, want ErrNotBuilt", err)
	}
}

func TestHeaders(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		name, path string
		want       map[string]string
		absent     []string
	}{
		{"main page", "/", map[string]string{
			"Content-Type":               "text/html; charset=utf-8",
			"Content-Security-Policy":    CSPMain,
			"Cross-Origin-Opener-Policy": "same-origin",
			"X-Frame-Options":            "DENY",
			"Cache-Control":              "no-cache",
			"X-Content-Type-Options":     "nosniff",
			"Referrer-Policy":            "no-referrer",
		}, []string{"Access-Control-Allow-Origin"}},
		{"embed page", "/embed.html", map[string]string{
			"Content-Security-Policy": CSPEmbed,
			"Cache-Control":           "no-cache",
		}, []string{"Cross-Origin-Opener-Policy", "X-Frame-Options"}},
		{"hashed wasm", "/tokenlab.0123456789ab.wasm", map[string]string{
			"Content-Type":                "application/wasm",
			"Cache-Control":               "public, max-age=31536000, immutable",
			"Access-Control-Allow-Origin": "*",
			"Content-Security-Policy":     CSPDefault,
		}, nil},
		{"stable module", "/tokenlab.js", map[string]string{
			"Content-Type":  "text/javascript; charset=utf-8",
			"Cache-Control": "no-cache",
		}, nil},
		{"nested hashed module", "/elements/tl-x.abcdefabcdef.js", map[string]string{
			"Cache-Control": "public, max-age=31536000, immutable",
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, http.MethodGet, tc.path, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", tc.path, rec.Code)
			}
			for k, v := range tc.want {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			for _, k := range tc.absent {
				if got := rec.Header().Get(k); got != "" {
					t.Errorf("%s = %q, want absent", k, got)
				}
			}
			if rec.Header().Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
	if !strings.Contains(CSPMain, "script-src 'self' 'wasm-unsafe-eval'") || strings.Contains(CSPMain, "unsafe-inline") {
		t.Errorf("CSPMain = %q: scripts must come from the origin only", CSPMain)
	}
}

func TestCompressedVariants(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		accept, wantEncoding string
	}{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"BR", "br"},
		{"*", "br"},
		{"identity", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.accept, func(t *testing.T) {
			rec := do(h, http.MethodGet, "/tokenlab.0123456789ab.wasm", map[string]string{"Accept-Encoding": tc.accept})
			if got := rec.Header().Get("Content-Encoding"); got != tc.wantEncoding {
				t.Fatalf("Content-Encoding = %q, want %q", got, tc.wantEncoding)
			}
			if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q", got)
			}
			var body io.Reader = rec.Body
			switch tc.wantEncoding {
			case "br":
				body = brotli.NewReader(rec.Body)
			case "gzip":
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			}
			got, err := io.ReadAll(body)
			if err != nil || string(got) != wasmBody {
				t.Errorf("decoded body = %q, %v; want the wasm bytes", got, err)
			}
		})
	}
	// Each encoding has its own validator, so a cache never mixes them.
	brTag := do(h, http.MethodGet, "/tokenlab.js", map[string]string{"Accept-Encoding": "br"}).Header().Get("ETag")
	idTag := do(h, http.MethodGet, "/tokenlab.js", nil).Header().Get("ETag")
	if brTag == idTag {
		t.Errorf("brotli and identity share ETag %s", brTag)
	}
}

func TestConditionalAndRange(t *testing.T) {
	h := newHandler(t)
	etag := do(h, http.MethodGet, "/index.html", nil).Header().Get("ETag")
	if rec := do(h, http.MethodGet, "/index.html", map[string]string{"If-None-Match": etag}); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match → %d, want 304", rec.Code)
	}
	rec := do(h, http.MethodGet, "/tokenlab.0123456789ab.wasm", map[string]string{"Range": "bytes=0-3"})
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "\x00asm" {
		t.Errorf("Range → %d %q, want 206 and the magic number", rec.Code, rec.Body.String())
	}
	head := do(h, http.MethodHead, "/index.html", nil)
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD → %d, body %d bytes, length %q", head.Code, head.Body.Len(), head.Header().Get("Content-Length"))
	}
}

func TestMethodsOtherThanGetAndHead(t *testing.T) {
	h := newHandler(t)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions, "TRACE"} {
		rec := do(h, m, "/index.html", nil)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s → %d Allow %q, want 405 with Allow: GET, HEAD", m, rec.Code, rec.Header().Get("Allow"))
		}
	}
}

func TestNothingOutsideTheSite(t *testing.T) {
	h := newHandler(t)
	for _, p := range []string{
		"/../go.mod", "/..%2fgo.mod", "/%2e%2e/go.mod", "/elements/../index.html", "/./index.html",
		"/elements/", "/elements", "/.gitkeep", "/tokenlab.js.br", "/\\..\\go.mod", "/index.html\x00.js",
		"//etc/passwd", "/nope.html", "relative.html",
	} {
		rec := do(h, http.MethodGet, p, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %q → %d, want 404", p, rec.Code)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %q: error responses need the security headers too", p)
		}
	}
}

// TestRealServerDecodesEscapedTraversal sends raw request lines through the
// real net/http stack, where percent-encoded dots are decoded before the
// handler sees them.
func TestRealServerDecodesEscapedTraversal(t *testing.T) {
	srv := httptest.NewServer(NewHTTPServer(newHandler(t)).Handler)
	defer srv.Close()
	for _, p := range []string{"/%2e%2e/go.mod", "/%2E%2E%2Fgo.mod", "/elements/%2e%2e/%2e%2e/go.mod", "/..%5cgo.mod"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "module ") {
			t.Errorf("GET %s served a file outside the site", p)
		}
		if resp.StatusCode == http.StatusOK {
			t.Errorf("GET %s → 200, want a refusal", p)
		}
	}
}
