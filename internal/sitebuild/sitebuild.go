// Package sitebuild turns tokenlab's page sources and compiled engine into
// the static site that any host can serve: every asset that is not an entry
// point gets a content-hashed name (so it can be cached forever), references
// to it are rewritten in the files that use it, and each compressible file
// gets precompressed brotli and gzip copies.
package sitebuild

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// VersionPlaceholder is replaced by Options.Version in every text file.
const VersionPlaceholder = "__TOKENLAB_VERSION__"

// ManifestName is the file, kept at a stable URL, that maps each source name
// to its hashed name; the service worker and the benchmark read it.
const ManifestName = "asset-manifest.json"

// Options configures Build.
type Options struct {
	// Sources are directories merged into the site, later ones overriding
	// earlier ones. Go files, tests and hidden files are skipped, as is any
	// directory named "build".
	Sources []string
	// Out is the output directory. Its previous contents are removed, except
	// hidden files (the committed placeholder).
	Out string
	// Version replaces VersionPlaceholder.
	Version string
	// CacheDir, when set, keeps compressed copies keyed by content hash so
	// rebuilding an unchanged WASM binary does not recompress it.
	CacheDir string
	// Bundle replaces the pages' module graphs with minified bundles and
	// minifies classic scripts and style sheets (see bundle). Without it
	// the site is served as its sources are, for development.
	Bundle bool
}

// Manifest describes a built site.
type Manifest struct {
	Version string `json:"version"`
	// Assets maps each source name to the name it is served under.
	Assets map[string]string `json:"assets"`
	// Precache lists, sorted, the served names of what the pages load:
	// every page and the stable entry points, and whatever they refer to,
	// directly or not. It leaves out what nothing loads, such as the
	// unbundled source modules of a bundled build. The service worker keeps
	// these for offline use.
	Precache []string `json:"precache"`
}

// isStable reports whether name keeps its URL across releases: pages and
// the documented module entry points (docs/API.md) are revalidated instead
// of renamed. internal/server's policy table is keyed by these names.
func isStable(name string) bool {
	switch name {
	case "tokenlab.js", "tokenlab-element.js", "tokenlab-element.css", "sw.js", "robots.txt", "favicon.ico", ManifestName:
		return true
	}
	return strings.HasSuffix(name, ".html")
}

var (
	textExt        = map[string]bool{".html": true, ".js": true, ".css": true, ".json": true, ".svg": true, ".webmanifest": true, ".txt": true}
	compressibleEx = map[string]bool{".html": true, ".js": true, ".css": true, ".json": true, ".svg": true, ".webmanifest": true, ".txt": true, ".wasm": true, ".ico": true}
	// quotedRef finds quoted relative or root-relative paths with an
	// extension, and CSS url() references.
	quotedRef = regexp.MustCompile("([\"'`(])((?:\\.{1,2}/|/)?[A-Za-z0-9_\\-./]+\\.[a-z0-9]+)([\"'`)])")
)

// Build writes the site described by opts and returns its manifest.
func Build(opts Options) (*Manifest, error) {
	files, err := collect(opts.Sources)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		if textExt[path.Ext(name)] {
			files[name] = bytes.ReplaceAll(data, []byte(VersionPlaceholder), []byte(opts.Version))
		}
	}
	if opts.Bundle {
		if err := bundle(files); err != nil {
			return nil, err
		}
	}
	b := &builder{files: files, final: map[string][]byte{}, served: map[string]string{}, visiting: map[string]bool{}, refs: map[string][]string{}}
	names := sortedKeys(files)
	for _, name := range names {
		if _, err := b.resolve(name); err != nil {
			return nil, err
		}
	}
	m := &Manifest{Version: opts.Version, Assets: b.served, Precache: b.loaded()}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	b.final[ManifestName] = manifest
	b.served[ManifestName] = ManifestName
	if err := clean(opts.Out); err != nil {
		return nil, err
	}
	return m, b.write(opts.Out, opts.CacheDir)
}

type builder struct {
	files    map[string][]byte // source name → content after version substitution
	final    map[string][]byte // source name → content with references rewritten
	served   map[string]string // source name → served name
	visiting map[string]bool
	refs     map[string][]string // source name → the site files it refers to
}

// loaded returns the served names of the pages, the stable entry points and
// everything they refer to, directly or not, sorted.
func (b *builder) loaded() []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		for _, r := range b.refs[name] {
			visit(r)
		}
	}
	for name := range b.files {
		if isStable(name) {
			visit(name)
		}
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, b.served[name])
	}
	sort.Strings(out)
	return out
}

// resolve computes the final content and served name of name, after those of
// every asset it references.
func (b *builder) resolve(name string) (string, error) {
	if served, ok := b.served[name]; ok {
		return served, nil
	}
	if b.visiting[name] {
		return "", fmt.Errorf("sitebuild: %s is part of a reference cycle; hashed assets cannot refer to each other in a loop", name)
	}
	b.visiting[name] = true
	defer delete(b.visiting, name)
	data := b.files[name]
	if textExt[path.Ext(name)] {
		var rerr error
		data = quotedRef.ReplaceAllFunc(data, func(m []byte) []byte {
			sub := quotedRef.FindSubmatch(m)
			ref := string(sub[2])
			target := resolveRef(name, ref)
			if _, ok := b.files[target]; !ok || target == name {
				return m
			}
			b.refs[name] = append(b.refs[name], target)
			if isStable(target) {
				return m
			}
			served, err := b.resolve(target)
			if err != nil {
				rerr = err
				return m
			}
			rewritten := ref[:len(ref)-len(path.Base(ref))] + path.Base(served)
			return []byte(string(sub[1]) + rewritten + string(sub[3]))
		})
		if rerr != nil {
			return "", rerr
		}
	}
	served := name
	if !isStable(name) {
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		served = strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
	}
	b.final[name] = data
	b.served[name] = served
	return served, nil
}

// resolveRef resolves ref as written in the file from, relative to its
// directory or to the site root.
func resolveRef(from, ref string) string {
	if strings.HasPrefix(ref, "/") {
		return strings.TrimPrefix(path.Clean(ref), "/")
	}
	return path.Clean(path.Join(path.Dir(from), ref))
}

func collect(sources []string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, src := range sources {
		root := os.DirFS(src)
		err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			base := d.Name()
			if p != "." && strings.HasPrefix(base, ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if base == "build" || base == "testdata" {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(base, ".go") || strings.HasSuffix(base, ".md") {
				return nil
			}
			data, err := fs.ReadFile(root, p)
			if err != nil {
				return err
			}
			files[p] = data
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("sitebuild: reading %s: %w", src, err)
		}
	}
	if _, ok := files["index.html"]; !ok {
		return nil, errors.New("sitebuild: the sources have no index.html")
	}
	return files, nil
}

// clean empties dir except its hidden files, creating it when missing.
func clean(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) write(out, cacheDir string) error {
	names := sortedKeys(b.final)
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = writeFile(filepath.Join(out, filepath.FromSlash(b.served[name])), b.final[name], cacheDir)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writeFile writes data and, for compressible types, .br and .gz copies when
// they are smaller than the original.
func writeFile(dst string, data []byte, cacheDir string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	if !compressibleEx[path.Ext(dst)] {
		return nil
	}
	for _, enc := range []struct {
		suffix string
		fn     func([]byte) ([]byte, error)
	}{{".br", compressBrotli}, {".gz", compressGzip}} {
		packed, err := cached(cacheDir, data, enc.suffix, enc.fn)
		if err != nil {
			return fmt.Errorf("sitebuild: compressing %s: %w", dst, err)
		}
		if len(packed) >= len(data) {
			continue
		}
		if err := os.WriteFile(dst+enc.suffix, packed, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func cached(cacheDir string, data []byte, suffix string, fn func([]byte) ([]byte, error)) ([]byte, error) {
	if cacheDir == "" {
		return fn(data)
	}
	sum := sha256.Sum256(data)
	p := filepath.Join(cacheDir, hex.EncodeToString(sum[:])+suffix)
	if packed, err := os.ReadFile(p); err == nil {
		return packed, nil
	}
	packed, err := fn(data)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return nil, err
	}
	return packed, os.WriteFile(p, packed, 0o644)
}

func compressBrotli(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func compressGzip(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
