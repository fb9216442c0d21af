package token

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"tokenlab/internal/vocab"
)

// checkVerifyKind accepts "" (the generic JWT rules), vocab.Auto and the
// kinds Verify has a rule set for. A kind whose rules another package
// holds (see rulesElsewhere) is refused with a pointer there.
func checkVerifyKind(k vocab.Kind) error {
	switch {
	case k == "" || k == vocab.Auto || ruleSets[k] != nil:
		return nil
	case rulesElsewhere(k):
		return fmt.Errorf("%w: kind %q has rules of its own that this package does not hold: internal/dpop verifies DPoP proofs (RFC 9449), internal/sdjwt SD-JWTs (RFC 9901)", ErrBadRequest, k)
	}
	return fmt.Errorf("%w: kind %q; use %s", ErrBadRequest, k, vocab.OrList(verifyKinds()))
}

// rulesElsewhere reports whether kind k has rules of its own
// (vocab.Kind.VerifyAs is k) that another package holds: DPoP proofs and
// SD-JWTs, formats that Verify does not read.
func rulesElsewhere(k vocab.Kind) bool { return k.VerifyAs() == k && ruleSets[k] == nil }

// verifyKinds are the kinds a caller of tokenlab's verify may ask for, in
// vocabulary order: those with rules of their own, here or in another
// package, and auto.
func verifyKinds() []vocab.Kind {
	var out []vocab.Kind
	for _, k := range vocab.Kinds() {
		if k == vocab.Auto || k.VerifyAs() == k {
			out = append(out, k)
		}
	}
	return out
}

// MintKinds are the kinds Mint issues, in vocabulary order: those of the
// standard preset.
func MintKinds() []vocab.Kind {
	var out []vocab.Kind
	for _, k := range vocab.Kinds() {
		if _, err := presetKind(StandardPreset, k); err == nil {
			out = append(out, k)
		}
	}
	return out
}

// checkMintKind accepts the kinds Mint issues.
func checkMintKind(k vocab.Kind) error {
	if slices.Contains(MintKinds(), k) {
		return nil
	}
	return fmt.Errorf("%w: kind %q; mint %s", ErrBadRequest, k, vocab.OrList(MintKinds()))
}

// The options of this package's verbs are also the options of tokenlab's
// JavaScript API (docs/API.md): internal/engine decodes a call's options
// straight into them, so each field carries its JavaScript name as its
// json tag and no field can fall out of reach of the page. Fields that are
// not options for JavaScript are tagged "-" and say why.

// KeyInput is key text as ImportKey takes it: a JWK, a JWKS, a key object
// of this package, PEM, base64 DER, an OpenSSH public key or an HMAC
// secret (see the package documentation). Decoded from JSON, as the API's
// key options are, a string is taken as it is and an object or array (a
// key object from GenerateKey, a JWK, a JWKS) as its JSON text; null
// leaves it empty. This is the one place where the API's key arguments
// become key text.
type KeyInput string

// UnmarshalJSON reads a key option: a JSON string, object or array.
func (k *KeyInput) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%w: the key is not a valid JSON string: %v", ErrBadRequest, err)
		}
		*k = KeyInput(s)
	case b[0] == '{' || b[0] == '[':
		*k = KeyInput(b)
	default:
		return fmt.Errorf("%w: a key must be a key object from generateKey/importKey, a JWK, a JWKS, a PEM string or a secret string, not %s", ErrBadRequest, b)
	}
	return nil
}

// UnixTime converts a time option given, as the API's now options are, in
// seconds since 1970-01-01T00:00:00Z (a NumericDate, RFC 7519 §2;
// fractions are kept). Values that are no usable NumericDate, such as
// negative ones or ones after the year 9999, fail with ErrBadRequest.
func UnixTime(seconds float64) (time.Time, error) {
	at, problem := vocab.NumericDate(seconds)
	if problem != "" {
		return time.Time{}, fmt.Errorf("%w: now is %v, which is not a time tokenlab can use: %s. Give Unix seconds from 0 to %d", ErrBadRequest, seconds, problem, vocab.MaxNumericDate)
	}
	return at, nil
}

// UnmarshalJSON reads verify's JavaScript options: each field by its json
// name, now in Unix seconds (see UnixTime) and leeway in seconds.
func (o *VerifyOptions) UnmarshalJSON(b []byte) error {
	type fields VerifyOptions // the same fields, without this method
	return DecodeOptions(b, (*fields)(o),
		UnixSeconds("now", &o.Now),
		Seconds("leeway", "the allowed clock skew", &o.Leeway))
}

// UnmarshalJSON reads mint's JavaScript options: each field by its json
// name, now in Unix seconds (see UnixTime).
func (o *MintOptions) UnmarshalJSON(b []byte) error {
	type fields MintOptions // the same fields, without this method
	return DecodeOptions(b, (*fields)(o), UnixSeconds("now", &o.Now))
}
