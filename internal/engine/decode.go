package engine

import (
	"encoding/json"
)

// decode: decode(token) → {format, header, payload, signature, parts, warnings}.
func (e *Engine) decode(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "decode(token): the token")
	if err != nil {
		return nil, err
	}
	return decodeToken(tok)
}
