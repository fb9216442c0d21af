// Package server serves tokenlab's built static site with the headers a
// hosting provider should copy: precompressed variants chosen by
// Accept-Encoding, immutable caching for content-hashed assets, revalidation
// for HTML and the stable module URLs, and for each path a policy from one
// table (policy.go): a Content-Security-Policy that makes "nothing leaves
// the page" enforceable by the browser, and who may frame or load it.
//
// It does not use http.FileServerFS, which serves each name as it is: it
// cannot answer a request for app.js with the precompressed app.js.br or
// app.js.gz chosen by Accept-Encoding (and would serve those copies under
// their own names); embedded files have no modification time, so it would
// send neither Last-Modified nor an ETag and a browser could not revalidate
// the stable names; it knows nothing of content-hashed names, which may be
// cached as immutable; and it lists directories. Instead the handler
// indexes the site once — each file with its variants, an ETag per
// encoding, whether its name is hashed, and its policy — and never changes
// afterwards, so it is safe for concurrent use.
package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"
)

// hashedName matches the content-hashed file names written by sitebuild
// (name.0123456789ab.ext); such files never change and are cached forever.
var hashedName = regexp.MustCompile(`\.[0-9a-f]{12}\.[a-z0-9]+$`)

// contentTypes maps file extensions to the MIME types browsers require;
// the platform's mime table is not consulted so that every host serves the
// same bytes with the same type.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".wasm":        "application/wasm",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/plain; charset=utf-8",
}

// file is one servable resource and its precompressed variants.
type file struct {
	name      string
	ctype     string
	etag      string
	immutable bool
	policy    policy
	identity  []byte
	brotli    []byte
	gzip      []byte
}

// Handler serves an indexed static site. Create it with New.
type Handler struct {
	files map[string]*file
}

// ErrNotBuilt reports a site with no index.html: the build has not run.
var ErrNotBuilt = errors.New("server: the site has no index.html; run `make build` first")

// New indexes every file of site. Files ending in .br or .gz are taken as the
// precompressed variants of the file without that suffix. It returns
// ErrNotBuilt when site has no index.html, and an error naming any HTML
// page that has no entry in the policy table.
func New(site fs.FS) (*Handler, error) {
	h := &Handler{files: map[string]*file{}}
	variants := map[string][]byte{}
	var unlisted []string // pages missing from the policy table
	err := fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(site, p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			variants[p] = data
			return nil
		}
		pol, ok := policies["/"+p]
		if !ok && path.Ext(p) == ".html" {
			unlisted = append(unlisted, p)
		}
		if !ok {
			pol = assetPolicy
		}
		sum := sha256.Sum256(data)
		h.files["/"+p] = &file{
			name:      p,
			ctype:     contentType(p),
			etag:      `"` + hex.EncodeToString(sum[:12]) + `"`,
			immutable: hashedName.MatchString(p),
			policy:    pol,
			identity:  data,
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("server: reading the site: %w", err)
	}
	for p, data := range variants {
		f, ok := h.files["/"+strings.TrimSuffix(strings.TrimSuffix(p, ".br"), ".gz")]
		if !ok {
			continue
		}
		if strings.HasSuffix(p, ".br") {
			f.brotli = data
		} else {
			f.gzip = data
		}
	}
	if _, ok := h.files["/index.html"]; !ok {
		return nil, ErrNotBuilt
	}
	if len(unlisted) > 0 {
		return nil, fmt.Errorf("server: %s: no entry in the policy table (internal/server/policy.go); add one for each page, saying who may frame it and what it may connect to", strings.Join(unlisted, ", "))
	}
	return h, nil
}

func contentType(p string) string {
	if t, ok := contentTypes[path.Ext(p)]; ok {
		return t
	}
	return "application/octet-stream"
}

// ServeHTTP implements http.Handler: GET and HEAD only, no directory
// listings, and nothing outside the indexed site is reachable.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		hdr.Set("Content-Security-Policy", CSPDefault)
		http.Error(w, "405 method not allowed: tokenlab serves static files (GET, HEAD)", http.StatusMethodNotAllowed)
		return
	}
	f := h.lookup(r.URL.Path)
	if f == nil {
		hdr.Set("Content-Security-Policy", CSPDefault)
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	h.serveFile(w, r, f)
}

// lookup maps a request path to an indexed file. It rejects anything that is
// not a clean absolute path: dot segments, backslashes and NUL bytes never
// reach the index, so traversal cannot escape the site.
func (h *Handler) lookup(p string) *file {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return nil
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return nil
		}
	}
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	if path.Clean(p) != p {
		return nil
	}
	return h.files[p]
}

func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, f *file) {
	hdr := w.Header()
	f.policy.apply(hdr)
	if f.immutable {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	hdr.Set("Content-Type", f.ctype)
	body, etag := f.identity, f.etag
	if f.brotli != nil || f.gzip != nil {
		hdr.Add("Vary", "Accept-Encoding")
		switch enc := negotiate(r.Header.Get("Accept-Encoding"), f.brotli != nil, f.gzip != nil); enc {
		case "br":
			body, etag = f.brotli, strings.TrimSuffix(f.etag, `"`)+`-br"`
			hdr.Set("Content-Encoding", "br")
		case "gzip":
			body, etag = f.gzip, strings.TrimSuffix(f.etag, `"`)+`-gz"`
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
}

// negotiate picks the best available content coding from an Accept-Encoding
// header (RFC 9110 §12.5.3): brotli first, then gzip, else identity. A coding
// with q=0 is refused.
func negotiate(accept string, haveBrotli, haveGzip bool) string {
	var br, gz bool
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok && isZeroQ(q) {
			continue
		}
		switch name {
		case "br":
			br = true
		case "gzip":
			gz = true
		case "*":
			br, gz = true, true
		}
	}
	switch {
	case br && haveBrotli:
		return "br"
	case gz && haveGzip:
		return "gzip"
	}
	return ""
}

func isZeroQ(q string) bool {
	return strings.Trim(q, "0.") == "" && q != ""
}
