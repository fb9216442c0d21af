package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// checkVerifyKind accepts "" (the generic JWT rules), vocab.Auto and the
// kinds Verify has a rule set for.
func checkVerifyKind(k vocab.Kind) error {
	if k == "" || k == vocab.Auto || ruleSets[k] != nil {
		return nil
	}
	return fmt.Errorf("%w: kind %q; use %s", ErrBadRequest, k, kindList(verifyKinds()))
}

// verifyKinds are the kinds a caller may ask Verify for, in vocabulary
// order.
func verifyKinds() []vocab.Kind {
	var out []vocab.Kind
	for _, k := range vocab.Kinds() {
		if k == vocab.Auto || (ruleSets[k] != nil && k != vocab.Unknown) {
			out = append(out, k)
		}
	}
	return out
}

// mintKinds are the kinds Mint issues: those of the standard preset.
func mintKinds() []vocab.Kind {
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
	if slices.Contains(mintKinds(), k) {
		return nil
	}
	return fmt.Errorf("%w: kind %q; mint %s", ErrBadRequest, k, kindList(mintKinds()))
}

// kindList writes kinds as "a, b or c".
func kindList(kinds []vocab.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
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
	js := struct {
		*fields
		Now    *float64 `json:"now"`
		Leeway *float64 `json:"leeway"`
	}{fields: (*fields)(o)}
	if err := json.Unmarshal(b, &js); err != nil {
		return optionError(err)
	}
	if js.Leeway != nil {
		s := *js.Leeway
		if !(s >= 0 && s <= vocab.MaxNumericDate) {
			return fmt.Errorf("%w: leeway is %v; give the allowed clock skew in seconds, zero or more", ErrBadRequest, s)
		}
		o.Leeway = time.Duration(s * float64(time.Second))
	}
	return setTime(&o.Now, js.Now)
}

// UnmarshalJSON reads mint's JavaScript options: each field by its json
// name, now in Unix seconds (see UnixTime).
func (o *MintOptions) UnmarshalJSON(b []byte) error {
	type fields MintOptions // the same fields, without this method
	js := struct {
		*fields
		Now *float64 `json:"now"`
	}{fields: (*fields)(o)}
	if err := json.Unmarshal(b, &js); err != nil {
		return optionError(err)
	}
	return setTime(&o.Now, js.Now)
}

// optionError names an option of the wrong JSON type by its JavaScript
// name, without the "fields." of the embedded struct the UnmarshalJSON
// methods above decode into.
func optionError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		typeErr.Field = strings.TrimPrefix(typeErr.Field, "fields.")
	}
	return err
}

// setTime sets *dst from an optional number of Unix seconds.
func setTime(dst *time.Time, seconds *float64) error {
	if seconds == nil {
		return nil
	}
	at, err := UnixTime(*seconds)
	if err != nil {
		return err
	}
	*dst = at
	return nil
}
