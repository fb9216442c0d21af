// Package hostile is tokenlab's hostile-input corpus (SECURITY.md, "The
// engine stays up: hostile input"): what people and attackers paste into a
// token playground, each case with the answer the API must give — a
// specific error code and a message naming the problem, or the correct
// result.
//
// Two suites read the one corpus:
//   - internal/engine runs every case natively through Engine.Call, with
//     the same argument JSON the page's worker hands to the engine;
//   - e2e (behind the browser build tag) runs the cases whose risk lives in
//     the browser — those with a Browser reason: the worker's stack, the
//     size cap in tokenlab.js, the page's main thread, Object.prototype,
//     requests — through the real page, and pastes every Pasteable case
//     into the inspector to check what a person sees.
//
// The raw fixtures that read better as files are in testdata/ and embedded.
// Import this package from tests only.
package hostile

import (
	"encoding/json"
	"strings"
	"testing"
)

// Case is one hostile input and what must come of it.
type Case struct {
	// Name is stable: the suites use it as the subtest name.
	Name string
	// Method is the API method called (decode, verify, explain, …).
	Method string
	// Args is the JSON array of the call's arguments: what tokenlab.js
	// posts and the worker passes to the engine (Engine.Call's input).
	Args json.RawMessage
	// ArgsJS, when set, is a JavaScript expression that builds the same
	// arguments in the page, for inputs of many megabytes that would be
	// slow to send over the DevTools protocol, or that only JavaScript can
	// hold (a lone surrogate).
	ArgsJS string
	// Code is the expected error code; "" means the call must succeed.
	Code string
	// Msg are fragments the error message must contain (compared in lower
	// case), so that the message names the problem.
	Msg []string
	// Check inspects a successful result (the JSON the API returns).
	Check func(t testing.TB, result json.RawMessage)
	// Pasteable marks a case whose first argument is text a person could
	// paste into the inspector's Token field.
	Pasteable bool
	// Browser, when set, says what only the real page can show for this
	// case; e2e runs exactly these cases through the page's API.
	Browser string
}

// Why a case also runs in the browser.
const (
	inWorkerStack = "Go's recursive JSON decoding runs on the worker's native stack under js/wasm, where deep nesting once ended the engine"
	inPost        = "a result nested at the depth limit must survive postMessage from the worker to the page"
	inCopy        = "the page copies a 1 MiB argument to the worker without stalling"
	inSizeCap     = "tokenlab.js refuses a 10 MB argument before copying it to the worker"
	inJSString    = "only a JavaScript string holds a lone surrogate; it must cross into Go as U+FFFD"
	inControl     = "NUL and escape characters survive JSON.parse and postMessage unchanged"
	inPrototype   = "claims named __proto__ and constructor must not reach Object.prototype in the page"
	inRequests    = "the page must never request a jku or x5u URL from a token"
)

// Paste returns the text a person would paste for a Pasteable case: its
// first argument. ok is false when that argument is not a string.
func (c Case) Paste() (text string, ok bool) {
	var args []json.RawMessage
	if json.Unmarshal(c.Args, &args) != nil || len(args) == 0 {
		return "", false
	}
	if json.Unmarshal(args[0], &text) != nil {
		return "", false
	}
	return text, true
}

// Assert checks one answer: code and message are the error the call
// returned ("" and "" when it succeeded), result its JSON result.
func (c Case) Assert(t testing.TB, result json.RawMessage, code, message string) {
	t.Helper()
	if c.Code == "" {
		if code != "" {
			t.Fatalf("%s failed: %s: %s", c.Method, code, message)
		}
		c.Check(t, result)
		return
	}
	if code == "" {
		t.Errorf("%s succeeded (%.300s), want error %s", c.Method, result, c.Code)
		return
	}
	if code != c.Code {
		t.Errorf("error = %s: %s, want code %s", code, message, c.Code)
	}
	for _, f := range c.Msg {
		if !strings.Contains(strings.ToLower(message), strings.ToLower(f)) {
			t.Errorf("message %q does not name the problem (%q)", message, f)
		}
	}
}
