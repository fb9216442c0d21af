package token

import (
	"bytes"
	"fmt"
)

// MaxJSONDepth bounds how deeply the JSON tokenlab reads may nest: a
// token's header and payload, a decrypted payload, key JSON (and, in
// internal/engine, a call's arguments). Real tokens and keys nest a
// handful of levels. The bound exists for the browser: encoding/json
// decodes recursively, and under js/wasm Go's stack lives on the
// JavaScript engine's native stack, where a value nested about 3000 levels
// deep overflows it and ends the Go program, leaving every later call
// failing; results nested about 2000 levels deep cannot even be posted
// from a worker to the page.
const MaxJSONDepth = 100

// JSONDepth returns the deepest nesting of objects and arrays in b without
// recursing, ignoring brackets inside strings. b need not be valid JSON.
func JSONDepth(b []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		}
	}
	return deepest
}

// checkDepth refuses JSON nested deeper than MaxJSONDepth with an error
// wrapping kind (ErrMalformed for a token, ErrBadKey for a key) that names
// what was too deep.
func checkDepth(kind error, what string, b []byte) error {
	if d := JSONDepth(b); d > MaxJSONDepth {
		return fmt.Errorf("%w: %s: JSON nested %d levels deep; tokenlab reads at most %d levels (real tokens and keys use a handful)", kind, what, d, MaxJSONDepth)
	}
	return nil
}

// checkKeyDepth refuses key text that is JSON nested too deeply to parse
// safely.
func checkKeyDepth(text string) error {
	trimmed := bytes.TrimSpace([]byte(text))
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return nil
	}
	return checkDepth(ErrBadKey, "the key", trimmed)
}
