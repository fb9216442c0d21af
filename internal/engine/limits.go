package engine

import (
	"bytes"
	"encoding/json"
	"fmt"

	"tokenlab/internal/token"
)

// MaxJSONDepth bounds how deeply the JSON the engine reads may nest:
// arguments, keys, token headers and payloads. Real tokens nest a handful
// of levels. The bound exists for the browser: Go's recursive JSON
// decoding runs on the JavaScript engine's native stack under js/wasm,
// where a payload nested about 3000 levels deep overflows it, ends the Go
// program and leaves every later call failing; and results nested about
// 2000 levels deep cannot be posted from the worker to the page.
const MaxJSONDepth = 100

// jsonDepth returns the deepest nesting of objects and arrays in b without
// recursing, ignoring brackets inside strings. b need not be valid JSON.
func jsonDepth(b []byte) int {
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

// tooDeep describes JSON nested deeper than MaxJSONDepth, or returns "".
func tooDeep(what string, b []byte) string {
	if d := jsonDepth(b); d > MaxJSONDepth {
		return fmt.Sprintf("%s: JSON nested %d levels deep; tokenlab reads at most %d levels (real tokens and keys use a handful)", what, d, MaxJSONDepth)
	}
	return ""
}

// decodeToken is token.Decode plus the depth bound on the header and the
// payload, for every method that reads a token.
func decodeToken(tok string) (*token.Decoded, error) {
	d, err := token.Decode(tok)
	if err != nil {
		return nil, err
	}
	if msg := tooDeep("the header", d.Header); msg != "" {
		return nil, &Error{Code: CodeMalformed, Message: msg}
	}
	if msg := tooDeep("the payload", d.Payload); msg != "" {
		return nil, &Error{Code: CodeMalformed, Message: msg}
	}
	return d, nil
}

// checkKeyDepth refuses key text that is JSON nested too deeply to parse
// safely.
func checkKeyDepth(key, what string) error {
	trimmed := bytes.TrimSpace([]byte(key))
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return nil
	}
	if msg := tooDeep(what, trimmed); msg != "" {
		return &Error{Code: CodeBadKey, Message: msg}
	}
	return nil
}

// checkDecrypted applies the depth bound to what a JWE revealed.
func checkDecrypted(payload json.RawMessage, nested *token.Decoded) error {
	if msg := tooDeep("the decrypted payload", payload); msg != "" {
		return &Error{Code: CodeMalformed, Message: msg}
	}
	if nested != nil {
		if msg := tooDeep("the nested token's header", nested.Header); msg != "" {
			return &Error{Code: CodeMalformed, Message: msg}
		}
		if msg := tooDeep("the nested token's payload", nested.Payload); msg != "" {
			return &Error{Code: CodeMalformed, Message: msg}
		}
	}
	return nil
}
