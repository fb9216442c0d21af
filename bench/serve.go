package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"tokenlab/internal/server"
	"tokenlab/internal/sitebuild"
)

// benchCSP is the benchmark pages' policy: the product's script rules, so
// tokenlab's worker and wasm start under the same constraints.
const benchCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'"

// wasmFlags mirror the Makefile's wasm target, so the floor program is built
// like the engine.
var wasmFlags = []string{"-trimpath", "-gcflags=all=-l", "-gcflags=crypto/internal/fips140/...=", "-ldflags=-s -w"}

// buildFloor compiles bench/floor to WebAssembly and runs it through
// sitebuild (hashed names, brotli and gzip copies) like the real site.
func buildFloor(work string) (string, error) {
	engine := filepath.Join(work, "floor-engine")
	out := filepath.Join(work, "floor-site")
	if err := os.MkdirAll(engine, 0o755); err != nil {
		return "", err
	}
	args := append([]string{"build"}, wasmFlags...)
	args = append(args, "-o", filepath.Join(engine, "floor.wasm"), "./bench/floor")
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the floor program: %w", err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	wasmExec, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(engine, "wasm_exec.js"), wasmExec, 0o644); err != nil {
		return "", err
	}
	_, err = sitebuild.Build(sitebuild.Options{
		Sources:  []string{filepath.Join("bench", "web", "floor"), engine},
		Out:      out,
		Version:  "floor",
		CacheDir: filepath.Join(".build", "cache"),
	})
	return out, err
}

// handlers is what the benchmark serves on one origin: the product site at
// /, the floor site at /floor/ (the product handler over another directory)
// and the benchmark pages and jose at /bench/.
func handlers(product, floor http.Handler, nodeModules string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", product)
	mux.Handle("/floor/", http.StripPrefix("/floor", floor))
	pages := http.StripPrefix("/bench/", http.FileServerFS(os.DirFS(filepath.Join("bench", "web"))))
	jose := http.StripPrefix("/bench/jose/", http.FileServerFS(os.DirFS(filepath.Join(nodeModules, "jose", "dist", "webapi"))))
	mux.Handle("/bench/", benchHeaders(pages))
	mux.Handle("/bench/jose/", benchHeaders(jose))
	return mux
}

func benchHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", benchCSP)
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasSuffix(r.URL.Path, ".js") {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		}
		h.ServeHTTP(w, r)
	})
}

// gzipOnly makes the server see a client without brotli, as an older
// browser or a proxy that strips br would be.
func gzipOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Accept-Encoding", "gzip, deflate")
		h.ServeHTTP(w, r)
	})
}

// listen serves h on a fresh loopback port with the product's server
// settings and returns its base URL.
func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := server.NewHTTPServer(h)
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// siteHandler indexes a built site with the real server. The server reads
// every file into memory once, so the benchmark serves one consistent build
// even if `make build` runs again meanwhile; a build still being written
// (its wasm not yet precompressed) is waited for.
func siteHandler(dir string) (http.Handler, error) {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		before, complete, err := manifestState(dir)
		if err != nil {
			return nil, err
		}
		if complete {
			h, err := server.New(os.DirFS(dir))
			if err != nil {
				return nil, err
			}
			if after, _, err := manifestState(dir); err == nil && after == before {
				return h, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s stayed incomplete (its .wasm has no .br/.gz copy) for 5 minutes: run `make build`", dir)
		}
		fmt.Fprintf(os.Stderr, "bench: %s is being rebuilt; waiting…\n", dir)
		time.Sleep(3 * time.Second)
	}
}

// manifestState returns the site's manifest as text and whether its wasm
// has both precompressed copies.
func manifestState(dir string) (string, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, sitebuild.ManifestName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", false, fmt.Errorf("%s has no %s: run `make build` first", dir, sitebuild.ManifestName)
		}
		return "", false, err
	}
	var m sitebuild.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return string(data), false, nil // being written
	}
	wasm := 0
	for _, served := range m.Assets {
		if filepath.Ext(served) != ".wasm" {
			continue
		}
		wasm++
		for _, suffix := range []string{"", ".br", ".gz"} {
			if _, err := os.Stat(filepath.Join(dir, served+suffix)); err != nil {
				return string(data), false, nil
			}
		}
	}
	return string(data), wasm > 0, nil
}
