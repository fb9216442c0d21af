package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"unicode"

	jose "github.com/go-jose/go-jose/v4"
)

// The key input rules. Wherever a key is taken, the text is sniffed for
// every common key encoding before it may be an HMAC secret, because a
// public key taken as a secret is the algorithm-confusion attack of
// RFC 8725 §2.1: whoever has the public key (everyone) can then forge
// HS256 tokens that verify. The sniffing sees through what copying and
// pasting adds: a UTF-8 byte-order mark, surrounding quotes (a JSON string
// literal with \n escapes, as in a .env file or a config value) and
// whitespace. It recognizes:
//
//   - PEM anywhere in the text, after a preamble such as openssl's "Bag
//     Attributes" (RFC 7468), with real or escaped line breaks;
//   - base64 or base64url DER that is an ASN.1 structure: SPKI (the
//     "public_key" Keycloak's realm endpoint shows), PKCS #1, PKCS #8,
//     SEC 1 or an X.509 certificate;
//   - an OpenSSH public-key line (ssh-rsa, ecdsa-sha2-*, ssh-ed25519) or an
//     RFC 4716 "SSH2 PUBLIC KEY" block;
//   - JSON: a JWK, a JWKS, a tokenlab key object, or a bare array of JWKs.
//
// Text that is one of these but cannot be used is an error, never a
// secret. Anything else is an HMAC secret: the UTF-8 bytes of the text
// exactly as given, never decoded from base64 (put binary secrets in an
// oct JWK).

// parseKeyInput recognizes the key forms of ImportKey.
func parseKeyInput(input string) (*keySet, error) {
	if len(input) > MaxTokenBytes {
		return nil, fmt.Errorf("%w: the key input is %d bytes; tokenlab accepts keys up to 1 MiB", ErrBadKey, len(input))
	}
	text := unwrapKeyText(input)
	if err := checkKeyDepth(text); err != nil {
		return nil, err
	}
	switch {
	case text == "":
		return nil, fmt.Errorf("%w: the key is empty: pass a JWK, a JWKS, a PEM or a secret", ErrBadKey)
	case text[0] == '{':
		return parseKeyJSON([]byte(text))
	case text[0] == '[':
		return parseJWKArray([]byte(text))
	case strings.Contains(text, "-----BEGIN"):
		return parsePEM(text)
	case strings.HasPrefix(text, "---- BEGIN SSH2 PUBLIC KEY ----"):
		return parseSSH2PublicKey(text)
	}
	if set, isSSH, err := parseSSHLine(text); isSSH {
		return set, err
	}
	if set, isDER, err := parseBase64DER(text); isDER {
		return set, err
	}
	return &keySet{keys: []setKey{{JSONWebKey: jose.JSONWebKey{Key: []byte(input)}}}, source: "a secret string (its UTF-8 bytes)"}, nil
}

// unwrapKeyText strips what copying adds around a key: byte-order marks,
// whitespace, and surrounding quotes (a JSON string literal is decoded, so
// its \n escapes become line breaks; single quotes and backquotes are
// removed as they are).
func unwrapKeyText(s string) string {
	trim := func(s string) string {
		return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
	}
	s = trim(s)
	if len(s) >= 2 {
		switch first, last := s[0], s[len(s)-1]; {
		case first == '"' && last == '"':
			var unquoted string
			if json.Unmarshal([]byte(s), &unquoted) == nil {
				return trim(unquoted)
			}
			return trim(s[1 : len(s)-1])
		case first == last && (first == '\'' || first == '`'):
			return trim(s[1 : len(s)-1])
		}
	}
	return s
}

// parseKeyJSON reads a JWK, a JWKS or a tokenlab Key object.
func parseKeyJSON(b []byte) (*keySet, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%w: the key starts with '{' but is not valid JSON (%v). A JWK looks like {\"kty\":\"EC\",…}; if this really is an HMAC secret, put its bytes in an oct JWK {\"kty\":\"oct\",\"k\":\"<base64url>\"}", ErrBadKey, jsonErr(err, b))
	}
	if raw, ok := probe["keys"]; ok {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("%w: the JWKS \"keys\" member must be an array of JWKs (RFC 7517 §5.1)", ErrBadKey)
		}
		return jwkList(list, "a JWKS")
	}
	for _, member := range []string{"privateJwk", "publicJwk"} {
		if raw, ok := probe[member]; ok && string(raw) != "null" {
			jwk, err := parseJWK(raw)
			if err != nil {
				return nil, fmt.Errorf("%w (the key object's %s)", err, member)
			}
			return &keySet{keys: []setKey{jwk}, source: "a tokenlab key object"}, nil
		}
	}
	if _, ok := probe["kty"]; !ok {
		hint := ""
		if _, ok := probe["public_key"]; ok {
			hint = `; it looks like a Keycloak realm document: pass the value of its "public_key" member`
		}
		return nil, fmt.Errorf("%w: the key is JSON but not a JWK (no \"kty\", RFC 7517 §4.1), not a JWKS (no \"keys\") and not a key object (no \"privateJwk\" or \"publicJwk\")%s", ErrBadKey, hint)
	}
	jwk, err := parseJWK(b)
	if err != nil {
		return nil, err
	}
	return &keySet{keys: []setKey{jwk}, source: "a JWK"}, nil
}

// parseJWKArray reads a bare JSON array of JWKs, the "keys" member of a
// JWKS copied without its braces; any other array is refused.
func parseJWKArray(b []byte) (*keySet, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%w: the key starts with '[' but is not valid JSON (%v). A JWKS looks like {\"keys\":[…]}", ErrBadKey, jsonErr(err, b))
	}
	for _, item := range list {
		if len(item) == 0 || item[0] != '{' {
			return nil, fmt.Errorf("%w: the key is a JSON array but not a list of JWKs; pass a JWK, a JWKS {\"keys\":[…]} or, for an HMAC secret, the plain text (an oct JWK for bytes)", ErrBadKey)
		}
	}
	return jwkList(list, "a list of JWKs")
}

// jwkList parses the keys of a JWKS.
func jwkList(list []json.RawMessage, source string) (*keySet, error) {
	set := &keySet{source: source, jwks: true}
	for i, item := range list {
		jwk, err := parseJWK(item)
		if err != nil {
			return nil, fmt.Errorf("%w (key %d of %s)", err, i+1, source)
		}
		set.keys = append(set.keys, jwk)
	}
	if len(set.keys) == 0 {
		return nil, fmt.Errorf("%w: %s has no keys", ErrBadKey, source)
	}
	return set, nil
}

// jwkMembers are the JWK members checked before go-jose parses the key.
type jwkMembers struct {
	Kty    string          `json:"kty"`
	N      string          `json:"n"`
	E      string          `json:"e"`
	KeyOps json.RawMessage `json:"key_ops"`
}

// parseJWK parses one JWK with go-jose, after checking an RSA key's size
// from its n and e members (go-jose would validate a private key first)
// and reading key_ops, which go-jose ignores.
func parseJWK(b []byte) (setKey, error) {
	var m jwkMembers
	if err := json.Unmarshal(b, &m); err != nil {
		return setKey{}, fmt.Errorf("%w: the JWK is not a JSON object with string members kty, n and e and an array key_ops (RFC 7517 §4): %v", ErrBadKey, err)
	}
	var ops []string
	if len(m.KeyOps) > 0 && string(m.KeyOps) != "null" {
		if err := json.Unmarshal(m.KeyOps, &ops); err != nil {
			return setKey{}, fmt.Errorf("%w: the JWK key_ops must be an array of strings (RFC 7517 §4.3), but it is %s", ErrBadKey, m.KeyOps)
		}
	}
	if m.Kty == "RSA" {
		n, errN := base64.RawURLEncoding.DecodeString(m.N)
		e, errE := base64.RawURLEncoding.DecodeString(m.E)
		if errN != nil || errE != nil || len(n) == 0 || len(e) == 0 {
			return setKey{}, fmt.Errorf("%w: the RSA JWK needs n and e as base64url without padding (RFC 7518 §6.3.1)", ErrBadKey)
		}
		if err := checkRSAModulus(integerBits(n), new(big.Int).SetBytes(e)); err != nil {
			return setKey{}, err
		}
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(b); err != nil {
		msg := strings.TrimPrefix(err.Error(), "go-jose/go-jose: ")
		if strings.Contains(msg, "unknown") || strings.Contains(msg, "unsupported") {
			return setKey{}, fmt.Errorf("%w: JWK: %s; tokenlab handles kty RSA, EC (P-256, P-384, P-521), OKP (Ed25519) and oct", ErrUnsupported, msg)
		}
		return setKey{}, fmt.Errorf("%w: the JWK cannot be used: %s", ErrBadKey, msg)
	}
	if _, secret := jwk.Key.([]byte); !secret && !jwk.Valid() {
		return setKey{}, fmt.Errorf("%w: the JWK is incomplete (a member such as n, e, x, y, d or k is missing or empty)", ErrBadKey)
	}
	return setKey{JSONWebKey: jwk, ops: ops}, nil
}

// parsePEM reads the first key-bearing PEM block of text, wherever it
// starts; CERTIFICATE blocks after the first form the x5c chain.
func parsePEM(text string) (*keySet, error) {
	blocks := pemBlocks(text)
	if len(blocks) == 0 {
		return nil, fmt.Errorf("%w: the text has a -----BEGIN line but no PEM block could be decoded: check that the BEGIN and END lines match and the base64 body is complete (RFC 7468)", ErrBadKey)
	}
	var certs []*x509.Certificate
	var key any
	var source string
	for _, block := range blocks {
		if block.Type == "EC PARAMETERS" {
			continue // printed by openssl ecparam before the key
		}
		if _, encrypted := block.Headers["Proc-Type"]; encrypted || block.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, fmt.Errorf("%w: the private key is encrypted with a passphrase; decrypt it first (openssl pkey -in key.pem -out plain.pem)", ErrUnsupported)
		}
		if block.Type == "OPENSSH PRIVATE KEY" {
			return nil, fmt.Errorf("%w: an OpenSSH private key; convert it to PKCS #8 first (ssh-keygen -p -m PKCS8 -f <file>, which rewrites the file)", ErrUnsupported)
		}
		parsed, err := parseDER(block.Type, block.Bytes)
		if err != nil {
			return nil, err
		}
		if cert, ok := parsed.(*x509.Certificate); ok {
			certs = append(certs, cert)
			if key == nil {
				key, source = cert.PublicKey, "an X.509 certificate"
			}
			continue
		}
		// The first key block is the key, even after a certificate (a
		// bundle of certificate and private key keeps the chain as x5c).
		key, source = parsed, "a PEM "+block.Type
		break
	}
	if key == nil {
		return nil, fmt.Errorf("%w: the PEM text holds no key, only EC PARAMETERS", ErrBadKey)
	}
	jwk, err := supportedKey(key, source)
	if err != nil {
		return nil, err
	}
	if len(certs) > 0 {
		jwk.Certificates = certs
		sum := sha256.Sum256(certs[0].Raw)
		jwk.CertificateThumbprintSHA256 = sum[:]
	}
	return &keySet{keys: []setKey{{JSONWebKey: jwk}}, source: source}, nil
}

// pemBlocks decodes the PEM blocks of text (RFC 7468). It takes what
// encoding/pem finds, which skips any preamble before a BEGIN line; when
// it finds nothing, it tries again with escaped line breaks (\n) made
// real and with each block's body read as base64 however it is wrapped,
// so a key pasted on one line or after a label still reads.
func pemBlocks(text string) []*pem.Block {
	if strings.Contains(text, `\n`) {
		text = strings.NewReplacer(`\r\n`, "\n", `\n`, "\n").Replace(text)
	}
	var blocks []*pem.Block
	for rest := []byte(text); ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		blocks = append(blocks, block)
	}
	if len(blocks) > 0 {
		return blocks
	}
	for rest := text; ; {
		begin := strings.Index(rest, "-----BEGIN ")
		if begin < 0 {
			break
		}
		rest = rest[begin+len("-----BEGIN "):]
		typeEnd := strings.Index(rest, "-----")
		if typeEnd < 0 {
			break
		}
		typ := rest[:typeEnd]
		rest = rest[typeEnd+5:]
		end := strings.Index(rest, "-----END "+typ+"-----")
		if end < 0 {
			break
		}
		body := strings.Join(strings.Fields(rest[:end]), "")
		rest = rest[end:]
		der, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			der, err = base64.RawStdEncoding.DecodeString(body)
		}
		if err == nil {
			blocks = append(blocks, &pem.Block{Type: typ, Bytes: der})
		}
	}
	return blocks
}

// parseDER parses the DER of a PEM block type: a key, or an
// *x509.Certificate. RSA keys are size-checked before parsing.
func parseDER(blockType string, der []byte) (any, error) {
	var parsed any
	var err error
	switch blockType {
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(der); err == nil {
			if err := checkRSAKey(cert.PublicKey); err != nil {
				return nil, err
			}
			return cert, nil
		}
	case "RSA PRIVATE KEY", "RSA PUBLIC KEY", "PRIVATE KEY", "PUBLIC KEY":
		if err := precheckRSADER(der); err != nil {
			return nil, err
		}
		switch blockType {
		case "RSA PRIVATE KEY":
			parsed, err = x509.ParsePKCS1PrivateKey(der)
		case "RSA PUBLIC KEY":
			parsed, err = x509.ParsePKCS1PublicKey(der)
		case "PRIVATE KEY":
			parsed, err = x509.ParsePKCS8PrivateKey(der)
		default:
			parsed, err = x509.ParsePKIXPublicKey(der)
		}
	case "EC PRIVATE KEY":
		parsed, err = x509.ParseECPrivateKey(der)
	default:
		return nil, fmt.Errorf("%w: PEM block %q is not a key tokenlab reads; it reads PRIVATE KEY, PUBLIC KEY, RSA PRIVATE KEY, RSA PUBLIC KEY, EC PRIVATE KEY and CERTIFICATE", ErrBadKey, blockType)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the PEM %s block cannot be parsed: %v. Check that it was copied whole", ErrBadKey, blockType, strings.TrimPrefix(err.Error(), "x509: "))
	}
	if err := checkRSAKey(parsed); err != nil {
		return nil, err
	}
	return parsed, nil
}

// supportedKey wraps a parsed key in a JWK when tokenlab handles its type
// and curve.
func supportedKey(key any, source string) (jose.JSONWebKey, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey, *ecdsa.PrivateKey, *ecdsa.PublicKey:
	case ed25519.PrivateKey, ed25519.PublicKey:
	case *ed25519.PrivateKey:
		key = *k
	default:
		return jose.JSONWebKey{}, fmt.Errorf("%w: %s holds a %T key; tokenlab handles RSA, EC (P-256, P-384, P-521) and Ed25519", ErrUnsupported, source, key)
	}
	if err := checkRSAKey(key); err != nil {
		return jose.JSONWebKey{}, err
	}
	if kty, crv := keyType(key); kty == "EC" && curveByName(crv) == nil {
		return jose.JSONWebKey{}, fmt.Errorf("%w: curve %s; JOSE uses P-256, P-384 and P-521 (RFC 7518 §6.2.1.1)", ErrUnsupported, crv)
	}
	return jose.JSONWebKey{Key: key}, nil
}

// derForms are the DER structures a bare base64 key may be, in the order
// they are tried, with the PEM block type that holds each.
var derForms = []struct{ blockType, name string }{
	{"PUBLIC KEY", "a base64 SubjectPublicKeyInfo (a PEM body without its lines, as Keycloak shows a realm's public_key)"},
	{"RSA PUBLIC KEY", "a base64 PKCS #1 RSA public key"},
	{"PRIVATE KEY", "a base64 PKCS #8 private key"},
	{"RSA PRIVATE KEY", "a base64 PKCS #1 RSA private key"},
	{"EC PRIVATE KEY", "a base64 SEC 1 EC private key"},
	{"CERTIFICATE", "a base64 X.509 certificate"},
}

// parseBase64DER recognizes a key given as the base64 or base64url text
// of its DER, without PEM lines. isDER is true when the text decodes to
// one complete ASN.1 structure: random secrets practically never do, and
// such text is then a key or an error, never a secret.
func parseBase64DER(text string) (set *keySet, isDER bool, err error) {
	compact := strings.Join(strings.Fields(text), "")
	if len(compact) < 16 {
		return nil, false, nil
	}
	var der []byte
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(compact); err == nil {
			der = b
			break
		}
	}
	if len(der) == 0 || der[0] != 0x30 || !wellFormedDER(der, 0) {
		return nil, false, nil
	}
	if err := precheckRSADER(der); err != nil {
		return nil, true, err
	}
	for _, form := range derForms {
		parsed, err := parseDER(form.blockType, der)
		if err != nil {
			continue
		}
		var jwk jose.JSONWebKey
		if cert, ok := parsed.(*x509.Certificate); ok {
			if jwk, err = supportedKey(cert.PublicKey, form.name); err != nil {
				return nil, true, err
			}
			jwk.Certificates = []*x509.Certificate{cert}
			sum := sha256.Sum256(cert.Raw)
			jwk.CertificateThumbprintSHA256 = sum[:]
		} else if jwk, err = supportedKey(parsed, form.name); err != nil {
			return nil, true, err
		}
		return &keySet{keys: []setKey{{JSONWebKey: jwk}}, source: form.name}, true, nil
	}
	return nil, true, fmt.Errorf("%w: the text is base64 of an ASN.1 (DER) structure, which makes it a key or certificate rather than a secret, but not one tokenlab reads: SPKI, PKCS #1, PKCS #8, SEC 1 or X.509 with an RSA, EC (P-256, P-384, P-521) or Ed25519 key", ErrBadKey)
}

// wellFormedDER reports whether b is exactly one ASN.1 DER element whose
// constructed contents are, recursively, well-formed elements too. Random
// bytes (a base64 secret) practically never are, while every key and
// certificate is.
func wellFormedDER(b []byte, depth int) bool {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(b, &v)
	if err != nil || len(rest) != 0 || depth > 16 {
		return false
	}
	if !v.IsCompound {
		return true
	}
	for inner := v.Bytes; len(inner) > 0; {
		var el asn1.RawValue
		next, err := asn1.Unmarshal(inner, &el)
		if err != nil || !wellFormedDER(el.FullBytes, depth+1) {
			return false
		}
		inner = next
	}
	return true
}
