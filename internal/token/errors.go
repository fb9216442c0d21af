package token

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of
// them with %w and adds a specific message saying what went wrong and what
// to try, so callers branch with errors.Is and show err.Error() to people.
var (
	// ErrMalformed: the input is not a JWS/JWE compact token (RFC 7515 §7.1,
	// RFC 7516 §7.1), a segment is not base64url, or a header is not a JSON
	// object.
	ErrMalformed = errors.New("token: malformed token")
	// ErrBadKey: a key cannot be parsed, does not fit the algorithm, or
	// (for decryption) is not the key the token was encrypted to.
	ErrBadKey = errors.New("token: unusable key")
	// ErrUnsupported: an algorithm, curve, key size, preset or kind tokenlab
	// does not handle.
	ErrUnsupported = errors.New("token: unsupported")
	// ErrBadRequest: an option has the wrong shape (e.g. claims that are not
	// a JSON object).
	ErrBadRequest = errors.New("token: bad request")
)
