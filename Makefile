# tokenlab — build, serve and test the in-browser token playground.
# `make serve` and `make test` are all a fresh machine needs (see README.md).

SHELL        := bash
.SHELLFLAGS  := -eu -o pipefail -c
GO           ?= go
ADDR         ?= 127.0.0.1:8080
VERSION      ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
GOROOT       := $(shell $(GO) env GOROOT)
ENGINE_DIR   := .build/engine
SITE_OUT     := site/build
FUZZTIME     ?= 4s
STATICCHECK  := honnef.co/go/tools/cmd/staticcheck@v0.8.2
CHROMIUM     ?= /usr/bin/chromium
# No inlining except in the standard library's constant-time crypto: the
# engine's brotli download drops from 1.65 to 1.46 MB, while ES256/RSA/Ed25519
# keep their speed (without inlining, P-256 verification is ~4x slower).
WASM_GCFLAGS := -gcflags=all=-l -gcflags=crypto/internal/fips140/...=
# Tests that need the built site or Chromium (e2e/, bench/size_test.go) carry
# this build tag, so `go test ./...` passes on a fresh clone without them;
# every target below that runs, vets or checks tests sets it.
TEST_TAGS    := browser
export CHROMIUM

.PHONY: all build wasm serve dist test check browser-deps test-deps browser-test fuzz bench clean

all: build

## build: compile the engine to WebAssembly and write the static site to site/build.
build: wasm
	$(GO) run ./cmd/sitebuild -out $(SITE_OUT) -version $(VERSION) -cache .build/cache site $(ENGINE_DIR)

wasm:
	@mkdir -p $(ENGINE_DIR)
	GOOS=js GOARCH=wasm $(GO) build -trimpath $(WASM_GCFLAGS) -ldflags="-s -w -X main.version=$(VERSION)" -o $(ENGINE_DIR)/tokenlab.wasm ./wasm
	cp $(GOROOT)/lib/wasm/wasm_exec.js $(ENGINE_DIR)/wasm_exec.js

## serve: build, then serve the playground on $(ADDR) (override: make serve ADDR=127.0.0.1:9000).
serve: build
	$(GO) run ./cmd/serve -addr $(ADDR)

## dist: the static site as plain files in dist/, ready for any static host or CDN.
dist: build
	rm -rf dist
	cp -r $(SITE_OUT) dist
	rm -f dist/.gitkeep
	@echo "dist/ is ready: upload it to any static host (see README.md for the headers to set)."

## test: every test — formatting, vet, staticcheck, native tests with -race, fuzz seeds and a short fuzz run, and the real-browser tests (-tags $(TEST_TAGS)).
test: check build browser-deps test-deps
	$(GO) test -race -tags $(TEST_TAGS) -count=1 -timeout 20m ./...
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

## check: gofmt, go vet and staticcheck (with the tag they see every file), and tsc --noEmit over site/ (jsconfig.json for the pages, jsconfig.workers.json for the workers).
check: test-deps
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on: $$unformatted"; exit 1; fi
	$(GO) vet -tags $(TEST_TAGS) ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm
	$(GO) run $(STATICCHECK) -tags $(TEST_TAGS) ./...
	e2e/node_modules/.bin/tsc -p jsconfig.json
	e2e/node_modules/.bin/tsc -p jsconfig.workers.json

## browser-deps: make sure Debian's Chromium is installed (installs it when running as root).
browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "ERROR: the browser tests need Chromium at $(CHROMIUM). Install Debian's 'chromium' package (sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium." >&2; exit 1; \
	  fi; \
	fi
	@"$(CHROMIUM)" --version

## test-deps: test- and check-only npm packages, pinned in e2e/package-lock.json and e2e/interop/package-lock.json (axe-core, injected into the page by the accessibility test; typescript, for make check; @sd-jwt/core, jose and dpop, which the interop test cross-checks SD-JWTs and DPoP proofs with).
test-deps:
	@command -v npm >/dev/null || { echo "ERROR: make check, the accessibility test and the interop test need npm (Debian: apt-get install npm) to install typescript, axe-core, @sd-jwt/core, jose and dpop." >&2; exit 1; }
	npm ci --prefix e2e --no-audit --no-fund --loglevel=error
	npm ci --prefix e2e/interop --no-audit --no-fund --loglevel=error

## browser-test: only the tests that need the built site and Chromium (e2e/ and bench's size guard).
browser-test: build browser-deps test-deps
	$(GO) test -tags $(TEST_TAGS) -count=1 -timeout 15m ./e2e/... ./bench

## bench: the browser benchmark — real server, headless Chromium, tokenlab against an empty Go WASM page, panva/jose and WebCrypto; prints the table, writes bench/results.json and the results section of BENCHMARKS.md (make bench BENCHFLAGS=-runs=3).
bench: build browser-deps
	npm ci --prefix bench --no-audit --no-fund --loglevel=error
	$(GO) run ./bench -site $(SITE_OUT) -out bench/results.json -doc BENCHMARKS.md $(BENCHFLAGS)

## fuzz: run every Fuzz target for FUZZTIME each (make fuzz FUZZTIME=1m for a longer run).
fuzz:
	@for pkg in $$($(GO) list ./internal/...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
	    out=$$($(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg 2>&1) || { echo "$$out"; echo "FAIL: fuzz $$target in $$pkg found a failure (the input is saved under testdata/fuzz/$$target)" >&2; exit 1; }; \
	  done; \
	done

clean:
	rm -rf .build dist
	find $(SITE_OUT) -mindepth 1 -not -name .gitkeep -delete
