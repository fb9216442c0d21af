// Command bench is tokenlab's browser benchmark (`make bench`).
//
// It serves the built site with the real server (internal/server) on a
// loopback port, drives Debian's headless Chromium through a recording proxy
// (internal/chrome) and measures, in fresh browser contexts, side by side in
// one run:
//
//   - bytes transferred on a first visit (brotli and gzip), what the service
//     worker fetches afterwards, and a repeat visit;
//   - navigation → tokenlab.ready and each start-up phase (worker created,
//     fetch, bytes complete, compiled, Go started, ready), against an empty
//     Go WebAssembly program built here with the engine's flags and served
//     with the same headers, on a first visit and on a repeat visit in a
//     relaunched browser;
//   - a share link and an embed that open with a token: ready → the token
//     explained on screen;
//   - a documentation page of another origin with five embeds against one:
//     transfer, engines started, all rendered, renderer memory, layout shift;
//   - round trips of inspect (decode + explain), decode, explain and verify
//     (RS256, ES256, EdDSA) from a page, with the engine's own time measured
//     in the worker, against panva/jose and raw WebCrypto in the same page;
//   - key generation against WebCrypto generateKey;
//   - paste → rendered claims on the real playground page;
//   - main-thread long tasks during load, keygen, mint, verify and paste.
//
// It prints a Markdown table, writes bench/results.json and, with -doc,
// replaces the generated section of BENCHMARKS.md. The benchmark pages
// (bench/web) are served by this program only, never by the product site.
//
// Usage (from the repository root, after `make build`):
//
//	go run ./bench [-runs 5] [-only load,docs] [-site site/build] [-out bench/results.json] [-doc BENCHMARKS.md]
//	go run ./bench -wasm-report file.wasm   # what a wasm binary spends its bytes on
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

//go:embed web/hook.js
var hookJS string

//go:embed web/paste.js
var pasteJS string

type options struct {
	nruns    int
	only     map[string]bool // scenario groups to run; empty: all
	site     string
	out      string
	doc      string
	work     string
	nodeMods string
	samples  int
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var o options
	report := flag.String("wasm-report", "", "print what a wasm binary (built without -s) spends its bytes on, and exit")
	flag.IntVar(&o.nruns, "runs", 5, "fresh-browser-context runs per scenario")
	only := flag.String("only", "", "run only these scenario groups, comma-separated: load, onscreen, docs, api, paste (the table then lacks the others)")
	flag.IntVar(&o.samples, "samples", 30, "round-trip samples per operation and implementation in each run")
	flag.StringVar(&o.site, "site", "site/build", "the built site (make build)")
	flag.StringVar(&o.out, "out", "bench/results.json", "where to write the machine-readable results")
	flag.StringVar(&o.doc, "doc", "", "a Markdown file whose generated section (between the bench markers) is replaced with the results")
	flag.StringVar(&o.work, "work", ".build/bench", "scratch directory for the floor program's build")
	flag.StringVar(&o.nodeMods, "node-modules", "bench/node_modules", "where `npm ci --prefix bench` installed panva/jose")
	flag.Parse()
	if *report != "" {
		rep, err := analyzeWasm(*report)
		if err != nil {
			return err
		}
		printWasmReport(os.Stdout, rep, 45)
		return nil
	}
	if o.nruns < 1 || o.samples < 1 {
		return errors.New("-runs and -samples must be at least 1")
	}
	if *only != "" {
		o.only = map[string]bool{}
		for _, g := range strings.Split(*only, ",") {
			switch g = strings.TrimSpace(g); g {
			case scenarioLoad, scenarioOnScreen, scenarioDocs, scenarioAPI, scenarioPaste:
				o.only[g] = true
			default:
				return fmt.Errorf("-only: unknown scenario group %q (load, onscreen, docs, api, paste)", g)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := benchmark(ctx, o)
	if err != nil {
		return err
	}
	res.Meta.Seconds = time.Since(start).Seconds()
	if err := writeJSON(o.out, res); err != nil {
		return err
	}
	table := markdown(res)
	fmt.Println(table)
	fmt.Printf("wrote %s (%.0f s)\n", o.out, res.Meta.Seconds)
	if o.doc != "" {
		if err := updateDoc(o.doc, table); err != nil {
			return err
		}
		fmt.Printf("updated the results section of %s\n", o.doc)
	}
	return nil
}

// runs reports whether the scenario group is to run.
func (o options) runs(group string) bool {
	return len(o.only) == 0 || o.only[group]
}
