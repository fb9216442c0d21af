package token

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
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
	Key KeyInput `json:"key"`
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
// that go-jose implements. Faults of the token itself fail with
// ErrMalformed naming the fault (a non-empty encrypted key for dir or
// ECDH-ES, RFC 7516 §5.2 step 10; a bad p2c or p2s; an IV or tag of the
// wrong length; no epk) or ErrUnsupported (a critical header tokenlab
// does not understand), before any key is tried. A key that is not the
// one the token was encrypted to fails with ErrBadKey, as does a JWK whose
// use or key_ops forbid decryption; a JWS fails with ErrBadRequest (it is
// not encrypted: use Decode or Verify). PBES2 is tried with one password
// only (the one whose kid matches, else the first): each try costs p2c
// iterations. A nested JWT (cty "JWT") is decoded into Nested, not
// verified: pass Nested's token to Verify.
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
	alg, _ := headerString(p.header, "alg")
	enc, _ := headerString(p.header, "enc")
	if spec, ok := lookupAlg(alg); !ok || !spec.jwe {
		return nil, fmt.Errorf("%w: JWE key-management algorithm %q; tokenlab decrypts %s", ErrUnsupported, alg, jweAlgList())
	}
	if encKeyBytes(enc) == 0 {
		return nil, fmt.Errorf("%w: content encryption %q; tokenlab decrypts A128GCM, A192GCM, A256GCM, A128CBC-HS256, A192CBC-HS384 and A256CBC-HS512", ErrUnsupported, enc)
	}
	if err := checkJWE(p, alg, enc); err != nil {
		return nil, err
	}
	set, err := parseKeyInput(string(opts.Key))
	if err != nil {
		return nil, err
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
		if lastErr = decryptionFit(alg, k); lastErr != nil {
			continue
		}
		if plain, lastErr = jwe.Decrypt(k.Key); lastErr == nil {
			break
		}
		lastErr = fmt.Errorf("%w: the key does not decrypt this token: it is not the key the token was encrypted to (or the token was altered). go-jose says: %s", ErrBadKey, joseMessage(lastErr))
		if strings.HasPrefix(alg, "PBES2") {
			lastErr = fmt.Errorf("%w: the password does not decrypt this token: it is not the one the token was encrypted with (or the token was altered). tokenlab tries one PBES2 password per token, the one whose kid matches or else the first, because each try costs %s iterations", ErrBadKey, p2cText(p))
			break
		}
	}
	if lastErr != nil {
		return nil, lastErr
	}
	out := &Decrypted{Header: p.d.Header, Plaintext: strings.ToValidUTF8(string(plain), "\uFFFD")}
	if utf8.Valid(plain) && json.Valid(plain) {
		if err := checkDepth(ErrMalformed, "the decrypted payload", plain); err != nil {
			return nil, err
		}
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
func decryptionFit(alg string, k setKey) error {
	if err := fitKey(alg, k.Key); err != nil {
		return err
	}
	if !isPrivate(k.Key) {
		kty, _ := keyType(k.Key)
		return &KeyFitError{Alg: alg, KeyType: kty, Ref: "RFC 7516 §5.2", kind: ErrBadKey,
			Reason: fmt.Sprintf("decrypting %s needs the private key, but this is %s; the public key only encrypts", alg, describeKey(k.Key))}
	}
	return k.usableFor(forDecrypt)
}

// maxPBES2Count bounds p2c, as go-jose does: an attacker's token could
// otherwise make every decryption attempt run for minutes.
const maxPBES2Count = 1_000_000

// checkJWE finds the faults a JWE can have regardless of the key, so that
// they are reported as what they are rather than as a wrong key.
func checkJWE(p *parsed, alg, enc string) error {
	if raw, ok := p.header["crit"]; ok {
		var names []string
		if err := json.Unmarshal(raw, &names); err != nil || len(names) == 0 {
			return fmt.Errorf("%w: the JWE header's crit must be a non-empty array of header parameter names (RFC 7516 §4.1.13), but it is %s", ErrMalformed, raw)
		}
		return fmt.Errorf("%w: the JWE header marks %s as critical, and tokenlab does not understand %s; a recipient must reject a JWE with critical parameters it does not implement (RFC 7516 §4.1.13)", ErrUnsupported, quoteList(names), plural(len(names), "it", "them"))
	}
	seg := func(i int) []byte {
		b, _ := base64.RawURLEncoding.DecodeString(p.d.Parts[i])
		return b
	}
	encryptedKey, iv, tag := seg(1), seg(2), seg(4)
	switch {
	case (alg == "dir" || alg == "ECDH-ES") && len(encryptedKey) > 0:
		return fmt.Errorf("%w: the encrypted-key segment must be empty for alg %s, which uses no wrapped key, but it holds %d bytes (RFC 7516 §5.2 step 10): the token is malformed or was tampered with", ErrMalformed, alg, len(encryptedKey))
	case alg != "dir" && alg != "ECDH-ES" && len(encryptedKey) == 0:
		return fmt.Errorf("%w: the encrypted-key segment is empty, but alg %s carries the content key there (RFC 7516 §5.1 step 3)", ErrMalformed, alg)
	}
	wantIV, wantTag := 12, 16 // AES GCM (RFC 7518 §5.3)
	if strings.Contains(enc, "CBC") {
		wantIV, wantTag = 16, encKeyBytes(enc)/2 // AES CBC with HMAC (RFC 7518 §5.2.2.1)
	}
	if len(iv) != wantIV {
		return fmt.Errorf("%w: the initialization vector has %d bytes, but %s uses %d (RFC 7518 §5)", ErrMalformed, len(iv), enc, wantIV)
	}
	if len(tag) != wantTag {
		return fmt.Errorf("%w: the authentication tag has %d bytes, but %s produces %d (RFC 7518 §5)", ErrMalformed, len(tag), enc, wantTag)
	}
	switch {
	case strings.HasPrefix(alg, "PBES2"):
		return checkPBES2Header(p)
	case strings.HasPrefix(alg, "ECDH-ES"):
		if _, ok := p.header["epk"]; !ok {
			return fmt.Errorf("%w: alg %s needs the sender's ephemeral public key in the header's epk (RFC 7518 §4.6.1.1), and there is none", ErrMalformed, alg)
		}
	case strings.HasSuffix(alg, "GCMKW"):
		var kw struct{ IV, Tag string }
		if err := json.Unmarshal(p.d.Header, &kw); err != nil {
			return fmt.Errorf("%w: the %s header's iv and tag must be base64url strings (RFC 7518 §4.7.1)", ErrMalformed, alg)
		}
		kwIV, errIV := base64.RawURLEncoding.DecodeString(kw.IV)
		kwTag, errTag := base64.RawURLEncoding.DecodeString(kw.Tag)
		if errIV != nil || errTag != nil || len(kwIV) != 12 || len(kwTag) != 16 {
			return fmt.Errorf("%w: %s needs a 96-bit iv and a 128-bit tag in the header (RFC 7518 §4.7.1.1–4.7.1.2), but they are %d and %d bytes", ErrMalformed, alg, len(kwIV), len(kwTag))
		}
	}
	return nil
}

// checkPBES2Header applies RFC 7518 §4.8.1: p2s at least 8 bytes of
// salt, p2c a positive iteration count, here at most maxPBES2Count.
func checkPBES2Header(p *parsed) error {
	var h struct {
		P2S *string          `json:"p2s"`
		P2C *json.RawMessage `json:"p2c"`
	}
	if err := json.Unmarshal(p.d.Header, &h); err != nil {
		return fmt.Errorf("%w: the PBES2 header's p2s must be a base64url string and p2c a number (RFC 7518 §4.8.1)", ErrMalformed)
	}
	if h.P2S == nil {
		return fmt.Errorf("%w: the PBES2 header has no p2s (the salt input, RFC 7518 §4.8.1.1)", ErrMalformed)
	}
	salt, err := base64.RawURLEncoding.DecodeString(*h.P2S)
	if err != nil {
		return fmt.Errorf("%w: the PBES2 salt p2s is not base64url (RFC 7518 §4.8.1.1)", ErrMalformed)
	}
	if len(salt) < 8 {
		return fmt.Errorf("%w: the PBES2 salt p2s has %d bytes, and RFC 7518 §4.8.1.1 requires at least 8", ErrMalformed, len(salt))
	}
	if h.P2C == nil {
		return fmt.Errorf("%w: the PBES2 header has no p2c (the iteration count, RFC 7518 §4.8.1.2)", ErrMalformed)
	}
	var count int64
	if err := json.Unmarshal(*h.P2C, &count); err != nil || count < 1 {
		return fmt.Errorf("%w: the PBES2 iteration count p2c is %s; it must be a positive integer (RFC 7518 §4.8.1.2)", ErrMalformed, *h.P2C)
	}
	if count > maxPBES2Count {
		return fmt.Errorf("%w: the PBES2 iteration count p2c is %d; tokenlab refuses more than %d, which is far beyond the 600,000 an issuer needs and would stall decryption", ErrMalformed, count, maxPBES2Count)
	}
	return nil
}

// p2cText is the token's p2c for messages.
func p2cText(p *parsed) string {
	if raw, ok := p.header["p2c"]; ok {
		return string(raw)
	}
	return "many"
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
		enc = DefaultEnc
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
