// Package engine is tokenlab's API surface (shared/API.md) as plain Go: one
// Call per JavaScript method, JSON arguments in, JSON result out, and every
// failure reported as an *Error with a stable code. The wasm bridge only
// moves bytes between JavaScript and Call, so everything the page can do is
// testable natively.
package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// Options configures an Engine.
type Options struct {
	// Now is the clock; nil means time.Now. Calls may override it with
	// their own `now` option.
	Now func() time.Time
}

// Engine answers API calls. It holds no mutable state, so calls may run
// concurrently.
type Engine struct {
	now     func() time.Time
	methods map[string]method
}

// New returns an Engine. It does no work up front: under WebAssembly the
// first call of each method is slower (tens of milliseconds in node, more
// in a browser) because the runtime compiles every Go function on its
// first use and encoding/json fills its type caches, so a page should warm
// the engine up with one cheap explain and verify before the user needs
// them (site/app.js does). WebAssembly is single-threaded, so a goroutine
// started here would not hide that cost; it would only delay the first call.
func New(opts Options) *Engine {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Engine{now: now, methods: map[string]method{
		"decode":      (*Engine).decode,
		"explain":     (*Engine).explain,
		"generateKey": (*Engine).generateKey,
		"importKey":   (*Engine).importKey,
		"mint":        (*Engine).mint,
		"verify":      (*Engine).verify,
		"decrypt":     (*Engine).decrypt,
		"guide":       (*Engine).guide,
		"presets":     (*Engine).presets,
		"present":     (*Engine).present,
		"stats":       (*Engine).stats,
	}}
}

// method is one API verb: it decodes its own arguments from the JSON array
// the page sent and returns a value to encode as JSON.
type method func(e *Engine, args []json.RawMessage) (any, error)

// MaxArgsBytes bounds one call's arguments; a token is at most 1 MiB and a
// key a few KiB, so anything larger is a mistake (a pasted file, a loop).
const MaxArgsBytes = 4 << 20

// Call runs method with args, a JSON array of the JavaScript arguments, and
// returns the JSON result. Any failure, including a panic in the core, is
// returned as an *Error; the engine stays usable afterwards.
func (e *Engine) Call(name string, args []byte) (result []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			result = nil
			err = &Error{Code: CodeInternal, Message: fmt.Sprintf("tokenlab hit a bug while running %s (%v). The engine is still running; please report this with the input that caused it.\n%s", name, r, firstFrames(debug.Stack()))}
		}
	}()
	m, ok := e.methods[name]
	if !ok {
		return nil, badRequest("unknown method %q; the API has decode, explain, generateKey, importKey, mint, present, verify, decrypt, guide, presets and stats", name)
	}
	if len(args) > MaxArgsBytes {
		return nil, &Error{Code: CodeMalformed, Message: fmt.Sprintf("the input is %d bytes; tokenlab accepts at most %d bytes per call (a token is limited to 1 MiB). Paste only the token.", len(args), MaxArgsBytes)}
	}
	if msg := tooDeep("the arguments of "+name, args); msg != "" {
		return nil, badRequest("%s", msg)
	}
	var list []json.RawMessage
	if len(args) > 0 {
		if err := json.Unmarshal(args, &list); err != nil {
			return nil, badRequest("the arguments of %s must be a JSON array: %v", name, err)
		}
	}
	v, err := m(e, list)
	if err != nil {
		return nil, toError(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("tokenlab could not encode the result of %s: %v", name, err)}
	}
	return out, nil
}

// firstFrames keeps a panic report short enough to show.
func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 16 {
		lines = lines[:16]
	}
	return strings.Join(lines, "\n")
}

// stringArg decodes argument i as a string, naming it in the error.
func stringArg(args []json.RawMessage, i int, what string) (string, error) {
	if i >= len(args) || isNull(args[i]) {
		return "", badRequest("%s is missing", what)
	}
	var s string
	if err := json.Unmarshal(args[i], &s); err != nil {
		return "", badRequest("%s must be a string", what)
	}
	return s, nil
}

// optionsArg decodes argument i, an optional options object, into dst.
func optionsArg(args []json.RawMessage, i int, what string, dst any) error {
	if i >= len(args) || isNull(args[i]) {
		return nil
	}
	if err := json.Unmarshal(args[i], dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return badRequest("%s: option %q must be a %s, not a JSON %s", what, typeErr.Field, typeErr.Type.String(), typeErr.Value)
		}
		return badRequest("%s must be an object: %v", what, err)
	}
	return nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// keyText turns a key argument into the text the token package imports: a
// string stays as it is (PEM, JSON text or a secret); an object (a key from
// generateKey, a JWK, a JWKS) becomes its JSON text.
func keyText(raw json.RawMessage, what string) (string, error) {
	if isNull(raw) {
		return "", badRequest("%s is missing: pass a key from generateKey/importKey, a JWK, a JWKS, a PEM or a secret", what)
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", badRequest("%s: %v", what, err)
		}
		if err := checkKeyDepth(s, what); err != nil {
			return "", err
		}
		return s, nil
	}
	if raw[0] == '{' {
		return string(raw), nil
	}
	return "", badRequest("%s must be a key object, a JWK, a JWKS, a PEM string or a secret string", what)
}

// clock returns the time a call runs at: its `now` option in Unix seconds,
// or the engine's clock.
func (e *Engine) clock(now *float64) time.Time {
	if now == nil {
		return e.now()
	}
	sec := int64(*now)
	return time.Unix(sec, int64((*now-float64(sec))*1e9))
}
