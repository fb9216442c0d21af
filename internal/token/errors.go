package token

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of
// them with %w and adds a specific message saying what went wrong and what
// to try, so callers branch with errors.Is and show err.Error() to people.
var (
	// ErrMalformed: the input is not a JWS/JWE compact token (RFC 7515 §7.1,
	// RFC 7516 §7.1), a segment is not base64url, a header is not a JSON
	// object, or a JWE carries a fault of its own (a non-empty encrypted key
	// for dir, a bad p2c or p2s, an IV or tag of the wrong length).
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
	// ErrRulesElsewhere is no fault: Verify, asked for kind auto, returns
	// it when its classifier confidently names a kind whose rules another
	// package holds (Guess.Elsewhere, e.g. a DPoP proof), so that the
	// caller verifies the token there.
	ErrRulesElsewhere = errors.New("token: verify it by the rules of its own kind")
)

// KeyFitError says why a key cannot be used with an algorithm or for a
// purpose. It wraps ErrBadKey (or ErrUnsupported for an algorithm tokenlab
// does not handle), so errors.Is works as for every error here; errors.As
// gives the data a caller needs to explain it, such as whether the key was
// offered for algorithm confusion.
type KeyFitError struct {
	// Alg is the algorithm the key was offered for ("" when the purpose,
	// not the algorithm, rules the key out).
	Alg string
	// KeyType is the key's JWK kty: RSA, EC, OKP or oct.
	KeyType string
	// Confusion is true when an RSA, EC or Ed25519 key was offered as the
	// secret of an HMAC algorithm: the algorithm-confusion attack of
	// RFC 8725 §2.1, in which anyone holding the public key forges tokens.
	Confusion bool
	// Reason says in plain words why the key does not fit and what to do.
	Reason string
	// Ref cites the rule, e.g. "RFC 7518 §3.3" or "RFC 7517 §4.2".
	Ref string
	// kind is the sentinel wrapped: ErrBadKey or ErrUnsupported.
	kind error
}

// Error returns the sentinel's text followed by the reason.
func (e *KeyFitError) Error() string { return e.kind.Error() + ": " + e.Reason }

// Unwrap returns ErrBadKey or ErrUnsupported.
func (e *KeyFitError) Unwrap() error { return e.kind }
