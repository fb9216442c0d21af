// Package e2e drives the real playground in Debian's headless Chromium:
// the built site (make build) is served by internal/server on a loopback
// port, and every test acts through the page and its JavaScript API.
//
// The tests need the built site and Chromium, so they sit behind the
// browser build tag: `go test ./...` on a fresh clone passes without them,
// and `make test` (or `make browser-test`) builds the site and runs
//
//	go test -tags browser ./e2e
//
// With the tag they never skip: without a browser or a built site they fail
// and say what to run. New test files here start with //go:build browser.
package e2e
