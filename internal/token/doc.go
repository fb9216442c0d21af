// Package token is tokenlab's JOSE engine: it generates and imports keys,
// mints, decodes, verifies and decrypts JSON Web Tokens.
//
// It is pure Go (no syscall/js, no net/http) and builds on
// github.com/go-jose/go-jose/v4 for JWK/JWKS handling, RFC 7638 thumbprints
// and JWE (RFC 7516), and on github.com/golang-jwt/jwt/v5 for the JWS
// signing methods (RFC 7518 §3) and the time-claim rules of RFC 7519 §4.1.
//
// The verbs:
//
//   - [Decode] splits and decodes a compact JWS (RFC 7515 §7.1), JWE
//     (RFC 7516 §7.1) or unsecured JWT (RFC 7519 §6) without a key. It
//     never says a token is valid.
//   - [Verify] checks a JWS against a key and reports every rule it applied
//     as a [Check] whose [Status] is pass, fail, warn or skip: the
//     signature and algorithm rules of RFC 7515 and RFC 8725, the ID token
//     rules of OIDC Core 1.0 §3.1.3.7, the access token rules of RFC 9068
//     §4 and the logout token rules of OIDC Back-Channel Logout 1.0 §2.6.
//     A check fails only when the token contradicts something; what a
//     profile wants and a vendor's format lacks is a warning, and a
//     comparison without an expected value is a skip. [Verified] says
//     whether the token is valid (nothing failed) and complete (the
//     mandatory comparisons were made). alg "none" is never valid.
//   - [Decrypt] decrypts a JWE and decodes a nested JWT (cty "JWT").
//   - [GenerateKey] and [ImportKey] produce a [Key] in every form tokenlab
//     exports (JWK, JWKS, PEM, secret) with an RFC 7638 thumbprint.
//   - [Mint] issues ID tokens (OIDC Core 1.0 §2), access tokens (RFC 9068),
//     logout tokens (OIDC Back-Channel Logout 1.0 §2.4), optionally in the
//     shape of a vendor preset (presets.json, listed by [AllPresets]: each
//     vendor's header and claims as its documentation shows them) and
//     optionally encrypted (nested JWT).
//
// Limits: a token is at most [MaxTokenBytes] (1 MiB); longer input is
// refused with [ErrMalformed] before any decoding, so a pasted file cannot
// stall the page. Key input is limited the same way, and a JWE's PBES2
// iteration count to one million. JSON that a recursive parser reads (a
// header, a JSON payload, a decrypted payload, key JSON) may nest at most
// [MaxJSONDepth] levels. Decode returns valid UTF-8 JSON whatever bytes
// the token carries.
//
// Options: the option structs of the verbs are also the options of
// tokenlab's JavaScript API (docs/API.md). Each field's json tag is its
// JavaScript name, keys decode from JSON strings or objects into
// [KeyInput], and times and durations from seconds, so internal/engine
// decodes a call's options straight into them. When an option is left out
// the defaults of defaults.go apply; [AllDefaults] lists them, with the
// example identities of the standard preset.
//
// The token kinds, the NumericDate range and the wording of dates and
// durations come from internal/vocab, which internal/explain shares.
//
// Key input: wherever a key is taken, the text may be a JWK, a JWKS (or a
// bare array of JWKs), a key object produced by this package (privateJwk
// is preferred over publicJwk), PEM (PKCS#1, PKCS#8, SPKI, SEC 1 "EC
// PRIVATE KEY", CERTIFICATE) anywhere in the text, the base64 or
// base64url DER of those, or an OpenSSH public key; byte-order marks,
// surrounding quotes (a JSON string literal is decoded) and whitespace are
// seen through. Only text that is none of these is an HMAC secret, taken
// as its UTF-8 bytes: a public key is never mistaken for a secret
// (RFC 8725 §2.1), and a string is never guessed to be base64 (secret
// bytes that are not text go in an "oct" JWK). RSA keys must have 2048 to
// 8192 bits and an odd exponent from 3 to 2³²−1, checked before any costly
// parsing; a JWK's use and key_ops are honoured.
//
// Errors wrap one of [ErrMalformed], [ErrBadKey], [ErrUnsupported] or
// [ErrBadRequest]; a key that does not fit an algorithm or purpose is a
// [*KeyFitError] (errors.As) saying whether it is algorithm confusion. A
// token that is well-formed but fails a rule is not an error: Verify
// returns a result with Valid false. Nothing here panics on bad input.
package token
