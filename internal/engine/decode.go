package engine

import (
	"encoding/json"

	"tokenlab/internal/sdjwt"
)

// decode: decode(token) → {format, header, payload, signature, parts, warnings};
// for an SD-JWT also {sdAlg, disclosures, processed, undisclosed, kb?}.
func (e *Engine) decode(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "decode(token): the token")
	if err != nil {
		return nil, err
	}
	if sdjwt.LooksLikeSDJWT(tok) {
		return decodeSDJWT(tok)
	}
	return decodeToken(tok)
}
