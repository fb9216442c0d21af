// Package engine is tokenlab's JavaScript API (docs/API.md) as plain Go:
// one Call per JavaScript method, JSON arguments in, JSON result out, and
// every failure reported as an *Error with a stable code. The wasm bridge
// only moves bytes between JavaScript and Call, so everything the page can
// do is testable natively.
package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"slices"
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
	names   []string // the methods in the order docs/API.md documents them
}

// method is one API verb: it decodes its own arguments from the JSON array
// the page sent and returns a value to encode as JSON.
type method func(e *Engine, args []json.RawMessage) (any, error)

// New returns an Engine. It does no work up front: under WebAssembly the
// first call of each method is slower (tens of milliseconds in node, more
// in a browser) because the runtime compiles every Go function on its
// first use and encoding/json fills its type caches, so a page should warm
// the engine up with one cheap inspect and verify before the user needs
// them. WebAssembly is single-threaded, so a goroutine started here would
// not hide that cost; it would only delay the first call.
func New(opts Options) *Engine {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	e := &Engine{now: now, methods: map[string]method{}}
	for _, m := range []struct {
		name string
		run  method
	}{
		{"generateKey", (*Engine).generateKey},
		{"importKey", (*Engine).importKey},
		{"mint", (*Engine).mint},
		{"present", (*Engine).present},
		{"decode", (*Engine).decode},
		{"inspect", (*Engine).inspect},
		{"explain", (*Engine).explain},
		{"verify", (*Engine).verify},
		{"decrypt", (*Engine).decrypt},
		{"guide", (*Engine).guide},
		{"presets", (*Engine).presets},
		{"defaults", (*Engine).defaults},
		{"stats", (*Engine).stats},
	} {
		e.methods[m.name] = m.run
		e.names = append(e.names, m.name)
	}
	return e
}

// MethodNames returns the API's methods by their JavaScript names, in the
// order docs/API.md documents them.
func (e *Engine) MethodNames() []string { return slices.Clone(e.names) }

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
		return nil, badRequest("unknown method %q; the API has %s", name, strings.Join(e.names, ", "))
	}
	if err := checkArgs(name, args); err != nil {
		return nil, err
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

// tokenArgs decodes the arguments (token, options?) of method: the token,
// returned, and the options into opts.
func tokenArgs(args []json.RawMessage, method string, opts any) (string, error) {
	tok, err := stringArg(args, 0, method+"(token, options): the token")
	if err != nil {
		return "", err
	}
	return tok, optionsArg(args, 1, method+"(token, options)", opts)
}

// optionsArg decodes argument i, an optional options object, into dst.
func optionsArg(args []json.RawMessage, i int, what string, dst any) error {
	if i >= len(args) || isNull(args[i]) {
		return nil
	}
	if raw := strings.TrimSpace(string(args[i])); raw == "" || raw[0] != '{' {
		return badRequest("%s must be an object, not %s", what, jsType(args[i]))
	}
	return decodeArg(args[i], what, dst)
}

// decodeArg decodes one argument into dst, naming the argument and the
// option in the error.
func decodeArg(raw json.RawMessage, what string, dst any) error {
	err := json.Unmarshal(raw, dst)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return badRequest("%s: option %q must be %s, not a JSON %s", what, typeErr.Field, jsKind(typeErr.Type), typeErr.Value)
	}
	apiErr := toError(err)
	if apiErr.Code == CodeInternal { // a JSON error of encoding/json's own
		apiErr.Code = CodeBadRequest
	}
	apiErr.Message = what + ": " + strings.TrimPrefix(apiErr.Message, "bad request: ")
	return apiErr
}

// jsKind names what JavaScript value a Go type is decoded from.
func jsKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	}
	return "a number"
}

// jsType names the JSON type of a raw value, for messages.
func jsType(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "valid JSON"
	}
	switch v.(type) {
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	}
	return "an object"
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// at returns the time a call runs at: its `now` option, or the engine's
// clock when the option was left out (zero).
func (e *Engine) at(now time.Time) time.Time {
	if now.IsZero() {
		return e.now()
	}
	return now
}
