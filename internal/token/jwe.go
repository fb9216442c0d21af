package token

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	jose "github.com/go-jose/go-jose/v4"
)

// DecryptOptions say how to decrypt.
type DecryptOptions struct {
	// Key is the recipient's private key, the AES or dir key, or the PBES2
	// password, as ImportKey takes it. A JWKS is searched by the token's
	// kid, else by its alg.
	Key string
}

// Decrypted is a decrypted JWE.
type Decrypted struct {
	// Header is the JWE protected header.
	Header json.RawMessage `json:"header"`
	// Plaintext is the decrypted content as text.
	Plaintext string `json:"plaintext"`
	// Payload is the plaintext as compacted JSON when it is JSON.
	Payload json.RawMessage `json:"payload,omitempty"`
	// Nested is the inner token, decoded (not verified), when the header
	// says cty "JWT" (RFC 7519 §5.2).
	Nested *Decoded `json:"nested,omitempty"`
}

// Decrypt decrypts a compact JWE (RFC 7516 §5.2) with go-jose, for every
// key-management algorithm of RFC 7518 §4 and content encryption of §5
// that go-jose implements. A key that is not the one the token was
// encrypted to fails with ErrBadKey; a JWS fails with ErrBadRequest
// (it is not encrypted: use Decode or Verify). A nested JWT (cty "JWT")
// is decoded into Nested, not verified: pass Nested's token to Verify.
func Decrypt(token string, opts DecryptOptions) (*Decrypted, error) {
	p, err := parse(token)
	if err != nil {
		return nil, err
	}
	if p.d.Format != FormatJWE {
		return nil, fmt.Errorf("%w: this token is a %s, not encrypted; use decode to read it or verify to check it", ErrBadRequest, p.d.Format)
	}
	if opts.Key == "" {
		return nil, fmt.Errorf("%w: decrypt needs a key: the recipient's private key, the shared AES key or the PBES2 password", ErrBadRequest)
	}
	set, err := parseKeyInput(opts.Key)
	if err != nil {
		return nil, err
	}
	alg, _ := headerString(p.header, "alg")
	enc, _ := headerString(p.header, "enc")
	if spec, ok := lookupAlg(alg); !ok || !spec.jwe {
		return nil, fmt.Errorf("%w: JWE key-management algorithm %q; tokenlab decrypts %s", ErrUnsupported, alg, jweAlgList())
	}
	if encKeyBytes(enc) == 0 {
		return nil, fmt.Errorf("%w: content encryption %q; tokenlab decrypts A128GCM, A192GCM, A256GCM, A128CBC-HS256, A192CBC-HS384 and A256CBC-HS512", ErrUnsupported, enc)
	}
	jwe, err := jose.ParseEncryptedCompact(p.compact, keyAlgs, contentEncs)
	if err != nil {
		return nil, fmt.Errorf("%w: the JWE cannot be parsed: %s", ErrMalformed, joseMessage(err))
	}
	kid, _ := headerString(p.header, "kid")
	cands := set.candidates(kid, alg)
	if len(cands) == 0 {
		return nil, fmt.Errorf("%w: no key in %s fits this token (kid %q, alg %s; the keys are %s)", ErrBadKey, set.source, kid, alg, set.kids())
	}
	var plain []byte
	var lastErr error
	for _, k := range cands {
		if lastErr = decryptionFit(alg, k.Key); lastErr != nil {
			continue
		}
		if plain, lastErr = jwe.Decrypt(k.Key); lastErr == nil {
			break
		}
		lastErr = fmt.Errorf("%w: the key does not decrypt this token: it is not the key the token was encrypted to (or the token was altered). go-jose says: %s", ErrBadKey, joseMessage(lastErr))
	}
	if lastErr != nil {
		return nil, lastErr
	}
	out := &Decrypted{Header: p.d.Header, Plaintext: strings.ToValidUTF8(string(plain), "\uFFFD")}
	if utf8.Valid(plain) && json.Valid(plain) {
		out.Payload = compactJSON(plain)
	}
	if cty, _ := headerString(p.header, "cty"); strings.EqualFold(strings.TrimPrefix(strings.ToLower(cty), "application/"), "jwt") {
		if out.Nested, err = Decode(string(plain)); err != nil {
			return nil, fmt.Errorf("the JWE says cty JWT but its plaintext is not a compact JWT: %w", err)
		}
	}
	return out, nil
}

// decryptionFit explains why a key cannot decrypt with alg.
func decryptionFit(alg string, key any) error {
	if err := fitKey(alg, key); err != nil {
		return err
	}
	if !isPrivate(key) {
		return fmt.Errorf("%w: decrypting %s needs the private key, but this is %s; the public key only encrypts", ErrBadKey, alg, describeKey(key))
	}
	return nil
}

// encryptJWE encrypts plaintext to jwk (RFC 7516 §5.1) with go-jose.
func encryptJWE(plaintext []byte, jwk jose.JSONWebKey, eo *EncryptOptions, typ, cty string, extra json.RawMessage) (string, error) {
	alg, err := encryptionAlg(jwk, eo.Alg)
	if err != nil {
		return "", err
	}
	if spec, ok := lookupAlg(alg); !ok || !spec.jwe {
		return "", fmt.Errorf("%w: %q is not a JWE key-management algorithm; choose one of %s", ErrUnsupported, alg, jweAlgList())
	}
	if err := fitKey(alg, jwk.Key); err != nil {
		return "", err
	}
	enc := eo.Enc
	if enc == "" {
		enc = "A256GCM"
		if alg == "dir" {
			enc = dirEnc(keyBits(jwk.Key) / 8)
		}
	}
	if encKeyBytes(enc) == 0 {
		return "", fmt.Errorf("%w: content encryption %q; choose A128GCM, A192GCM, A256GCM, A128CBC-HS256, A192CBC-HS384 or A256CBC-HS512 (RFC 7518 §5)", ErrUnsupported, enc)
	}
	if alg == "dir" && keyBits(jwk.Key)/8 != encKeyBytes(enc) {
		return "", fmt.Errorf("%w: dir uses the key as the %s content key, which is %d bytes, but the key has %d (RFC 7518 §4.5)", ErrBadKey, enc, encKeyBytes(enc), keyBits(jwk.Key)/8)
	}
	var key any
	switch k := jwk.Key.(type) {
	case *rsa.PrivateKey:
		key = &k.PublicKey
	case *ecdsa.PrivateKey:
		key = &k.PublicKey
	default:
		key = k
	}
	opts := &jose.EncrypterOptions{}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	if cty != "" {
		opts = opts.WithContentType(jose.ContentType(cty))
	}
	if len(extra) > 0 && string(extra) != "null" {
		var params map[string]any
		if err := json.Unmarshal(extra, &params); err != nil {
			return "", fmt.Errorf("%w: header must be a JSON object of extra parameters", ErrBadRequest)
		}
		for name, v := range params {
			switch name {
			case "alg", "enc", "epk", "p2s", "p2c", "iv", "tag", "zip":
				return "", fmt.Errorf("%w: header parameter %q is set by the encryption itself", ErrBadRequest, name)
			}
			opts = opts.WithHeader(jose.HeaderKey(name), v)
		}
	}
	kid := jwk.KeyID
	if kid == "" {
		if _, secret := jwk.Key.([]byte); !secret {
			kid, _ = thumbprint(jwk)
		}
	}
	rcpt := jose.Recipient{Algorithm: jose.KeyAlgorithm(alg), Key: key, KeyID: kid, PBES2Count: eo.PBES2Count}
	encrypter, err := jose.NewEncrypter(jose.ContentEncryption(enc), rcpt, opts)
	if err != nil {
		if errors.Is(err, jose.ErrUnsupportedAlgorithm) {
			return "", fmt.Errorf("%w: go-jose cannot encrypt with %s and %s", ErrUnsupported, alg, enc)
		}
		return "", fmt.Errorf("%w: cannot encrypt with %s to %s: %s", ErrBadKey, alg, describeKey(jwk.Key), joseMessage(err))
	}
	obj, err := encrypter.Encrypt(plaintext)
	if err != nil {
		return "", fmt.Errorf("%w: encryption with %s/%s failed: %s", ErrBadKey, alg, enc, joseMessage(err))
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("%w: the JWE cannot be written in compact form: %s", ErrUnsupported, joseMessage(err))
	}
	return out, nil
}

// dirEnc is the content encryption whose key has n bytes.
func dirEnc(n int) string {
	switch n {
	case 16:
		return "A128GCM"
	case 24:
		return "A192GCM"
	case 48:
		return "A192CBC-HS384"
	case 64:
		return "A256CBC-HS512"
	}
	return "A256GCM"
}

// jweAlgList names the JWE key-management algorithms.
func jweAlgList() string {
	names := make([]string, len(keyAlgs))
	for i, a := range keyAlgs {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

// joseMessage strips go-jose's prefix from an error message.
func joseMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "go-jose/go-jose: ")
}
