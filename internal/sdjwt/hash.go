package sdjwt

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"strings"

	"tokenlab/internal/token"
)

// DefaultHashAlg is the digest algorithm of an SD-JWT without _sd_alg
// (RFC 9901 §4.1.1).
const DefaultHashAlg = "sha-256"

// hashes are the _sd_alg values tokenlab computes: the SHA-2 names of the
// IANA "Named Information Hash Algorithm" registry that RFC 9901 §4.1.1
// points to. The registry's truncated digests (sha-256-32 …) are unfit
// for security (§9.4); SHA-3 and BLAKE2 would add code to the page for
// algorithms no issuer is known to use.
var hashes = map[string]func() hash.Hash{
	"sha-256": sha256.New,
	"sha-384": sha512.New384,
	"sha-512": sha512.New,
}

// hashFor returns the hash of an _sd_alg value, or an error saying why it
// cannot be used.
func hashFor(alg string) (func() hash.Hash, error) {
	if h, ok := hashes[alg]; ok {
		return h, nil
	}
	switch lower := strings.ToLower(alg); {
	case hashes[lower] != nil:
		return nil, fmt.Errorf("%w: _sd_alg is %q, but hash names are case-sensitive (RFC 9901 §4.1.1): the IANA name is %q", token.ErrMalformed, alg, lower)
	case strings.HasPrefix(lower, "sha-256-"):
		return nil, fmt.Errorf("%w: _sd_alg is %q, a truncated digest that is unfit for SD-JWT (RFC 9901 §9.4)", token.ErrUnsupported, alg)
	}
	return nil, fmt.Errorf("%w: _sd_alg is %q; tokenlab computes sha-256, sha-384 and sha-512 digests (the IANA Named Information hash names, RFC 9901 §4.1.1)", token.ErrUnsupported, alg)
}

// digest is the base64url digest of a disclosure's ASCII text (RFC 9901
// §4.2.3), of the presented SD-JWT for sd_hash (§4.3.1), or of random
// bytes for a decoy (§4.2.5).
func digest(h func() hash.Hash, text string) string {
	d := h()
	d.Write([]byte(text))
	return base64.RawURLEncoding.EncodeToString(d.Sum(nil))
}
