//go:build browser

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"testing"

	"tokenlab/internal/sitebuild"
)

// The engine's compressed size budgets, in bytes. A size is deterministic,
// so unlike the timings of `make bench` it can fail `make test`. The test
// reads the built site, so it sits behind the browser build tag with every
// other test that needs `make build` (make test sets the tag).
//
// The goal (issue 17, "A fast start") is 1.4 MB brotli for everything a
// first visit loads; the page's own HTML, CSS and bundled JavaScript take
// about 45 KB of that, which leaves about 1.35 MB for the engine. The engine
// is not there yet (see BENCHMARKS.md), so these budgets are a ratchet: they
// sit just above today's size to stop it growing, and come down as size
// levers land. Lower them when the engine shrinks; never raise them silently.
const (
	// Raised for SD-JWT (RFC 9901) and DPoP (RFC 9449), which the issue
	// asks for: the engine went from 1,526,443 to 1,581,912 bytes brotli
	// (+55.5 KB) and from 2,136,093 to 2,215,765 gzip (+79.7 KB); by
	// package (brotli estimates of -wasm-report) sdjwt ~30 KB, dpop
	// ~12 KB, the rest wiring and messages in engine, explain and token.
	// The budgets keep main's few KB of headroom over those sizes.
	wasmBrotliBudget = 1_585_000
	wasmGzipBudget   = 2_220_000
	// wasmBrotliGoal is where the ratchet is heading.
	wasmBrotliGoal = 1_350_000
)

// siteDir is the built site, relative to this package.
var siteDir = filepath.Join("..", "site", "build")

func TestEngineCompressedSizeWithinBudget(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(siteDir, sitebuild.ManifestName))
	if err != nil {
		t.Fatalf("the size guard reads the built site, and %s has no %s: run `make build` first (`make test` does): %v", siteDir, sitebuild.ManifestName, err)
	}
	var m sitebuild.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("reading %s: %v", sitebuild.ManifestName, err)
	}
	var wasm []string
	for _, served := range m.Assets {
		if path.Ext(served) == ".wasm" {
			wasm = append(wasm, served)
		}
	}
	if len(wasm) != 1 {
		t.Fatalf("the built site has %d .wasm assets (%v), want exactly the engine: run `make build`", len(wasm), wasm)
	}
	for _, c := range []struct {
		suffix, name string
		budget       int64
	}{
		{".br", "brotli", wasmBrotliBudget},
		{".gz", "gzip", wasmGzipBudget},
	} {
		fi, err := os.Stat(filepath.Join(siteDir, wasm[0]+c.suffix))
		if err != nil {
			t.Errorf("the engine has no %s copy (%s%s): sitebuild should precompress it; run `make build`: %v", c.name, wasm[0], c.suffix, err)
			continue
		}
		t.Logf("engine %s: %d bytes %s (budget %d)", wasm[0], fi.Size(), c.name, c.budget)
		if fi.Size() > c.budget {
			t.Errorf("%s", overBudget(wasm[0], c.name, fi.Size(), c.budget))
		}
	}
}

func overBudget(name, coding string, size, budget int64) string {
	return fmt.Sprintf(`the engine %s is %d bytes with %s, %d bytes (%.1f%%) over its budget of %d.
The page's first-load goal is 1.4 MB brotli for everything (goal for the engine: %d); see BENCHMARKS.md.
What to do: find what grew with
    GOOS=js GOARCH=wasm go build -trimpath -o /tmp/engine.wasm ./wasm && go run ./bench -wasm-report /tmp/engine.wasm
and keep heavy packages (fmt-heavy code, net/http, reflection-heavy paths, a second JOSE library) out of wasm/ and what it imports.
If the growth is worth its bytes, raise the budget in bench/size_test.go and say why in the commit message.`,
		name, size, coding, size-budget, 100*float64(size-budget)/float64(budget), budget, wasmBrotliGoal)
}
