// Package sdjwt reads, verifies, issues and presents Selective Disclosure
// JWTs (SD-JWT, RFC 9901) on top of package token's JWS pieces: no new
// cryptography, only the digests of crypto/sha256 and crypto/sha512.
//
// An SD-JWT is <issuer-signed JWT>~<disclosure>~…~, optionally followed by
// a Key Binding JWT (an SD-JWT+KB). The verbs:
//
//   - [Decode] splits it without a key, decodes each disclosure with its
//     digest, and builds the Processed SD-JWT Payload (§7.1): every
//     presented disclosure in place, _sd, _sd_alg and undisclosed array
//     elements removed, and the count of digests left undisclosed.
//   - [Verify] verifies the issuer-signed JWT with token.Verify and adds a
//     check per rule of RFC 9901 §7.1 and §7.3 (digests, disclosures,
//     claim names, _sd_alg, key binding, the KB-JWT's typ, signature, iat,
//     aud, nonce and sd_hash), in token's verdict model.
//   - [Issue] issues an SD-JWT from a claims set and the claim names or
//     JSON Pointers to make selectively disclosable (§4.2), with random
//     128-bit salts, sorted _sd arrays, optional decoys (§4.2.5) and the
//     holder's key in cnf.jwk (§4.1.2).
//   - [Present] keeps the disclosures a holder chooses (and those they
//     depend on, §4.2.6) and, with the holder's key, appends a KB-JWT
//     (§4.3).
//
// Errors wrap token's sentinels (token.ErrMalformed, ErrUnsupported,
// ErrBadKey, ErrBadRequest); a well-formed SD-JWT that breaks a rule is no
// error: Verify reports it as a failed check.
package sdjwt
