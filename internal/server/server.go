// Package server serves tokenlab's built static site with the headers a
// hosting provider should copy: precompressed variants chosen by
// Accept-Encoding, immutable caching for content-hashed assets, revalidation
// for HTML and the stable module URLs, and a Content-Security-Policy that makes
// "nothing leaves the page" enforceable by the browser.
//
// The handler indexes the site once when it is built and never changes
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

// Content-Security-Policy values. The main page may, on an explicit click,
// fetch an issuer's discovery document and JWKS over https (DESIGN.md); embed
// pages and every other response may only talk to their own origin.
const (
	cspBase = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
		"style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; "
	// CSPMain is the policy of the playground page.
	CSPMain = cspBase + "connect-src 'self' https:; frame-ancestors 'self'"
	// CSPEmbed is the policy of embed pages: frameable from any origin, and
	// able to reach nothing but their own origin.
	CSPEmbed = cspBase + "connect-src 'self'; frame-ancestors *"
	// CSPAsset is the policy sent with scripts, workers and other assets.
	CSPAsset = cspBase + "connect-src 'self'; frame-ancestors 'none'"
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
	html      bool
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
// ErrNotBuilt when site has no index.html.
func New(site fs.FS) (*Handler, error) {
	h := &Handler{files: map[string]*file{}}
	variants := map[string][]byte{}
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
		sum := sha256.Sum256(data)
		h.files["/"+p] = &file{
			name:      p,
			ctype:     contentType(p),
			etag:      `"` + hex.EncodeToString(sum[:12]) + `"`,
			immutable: hashedName.MatchString(p),
			html:      strings.HasSuffix(p, ".html"),
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
		hdr.Set("Content-Security-Policy", CSPAsset)
		http.Error(w, "405 method not allowed: tokenlab serves static files (GET, HEAD)", http.StatusMethodNotAllowed)
		return
	}
	f := h.lookup(r.URL.Path)
	if f == nil {
		hdr.Set("Content-Security-Policy", CSPAsset)
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
	switch {
	case !f.html:
		hdr.Set("Content-Security-Policy", CSPAsset)
		// Public, key-free assets: the <token-playground> element on a
		// documentation site of another origin must be able to load them.
		hdr.Set("Access-Control-Allow-Origin", "*")
		hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")
	case strings.HasPrefix(path.Base(f.name), "embed"):
		hdr.Set("Content-Security-Policy", CSPEmbed)
	default:
		hdr.Set("Content-Security-Policy", CSPMain)
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
	}
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
