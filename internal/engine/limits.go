package engine

import (
	"fmt"

	"tokenlab/internal/token"
)

// MaxArgsBytes bounds one call's arguments; a token is at most 1 MiB and a
// key a few KiB, so anything larger is a mistake (a pasted file, a loop).
const MaxArgsBytes = 4 << 20

// checkArgs refuses arguments over MaxArgsBytes or nested deeper than
// token.MaxJSONDepth, before any recursive JSON decoding sees them. What
// the arguments carry (a token's header and payload, key text, a decrypted
// payload) token bounds in the same way.
func checkArgs(name string, args []byte) error {
	if len(args) > MaxArgsBytes {
		return &Error{Code: CodeMalformed, Message: fmt.Sprintf("the input is %d bytes; tokenlab accepts at most %d bytes per call (a token is limited to 1 MiB). Paste only the token.", len(args), MaxArgsBytes)}
	}
	if d := token.JSONDepth(args); d > token.MaxJSONDepth {
		return badRequest("the arguments of %s: JSON nested %d levels deep; tokenlab reads at most %d levels (real tokens and keys use a handful)", name, d, token.MaxJSONDepth)
	}
	return nil
}
