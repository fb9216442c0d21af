package token

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// Key is a key in every form tokenlab exports. Fields that cannot be
// derived (a private JWK from a public key, a PEM for a secret) are empty.
type Key struct {
	// Alg is the algorithm the key is for (the JWK "alg", RFC 7517 §4.4).
	Alg string `json:"alg"`
	// Kid is the key ID; it defaults to Thumbprint.
	Kid string `json:"kid"`
	// Kty is the JWK key type: RSA, EC, OKP or oct (RFC 7518 §6.1).
	Kty string `json:"kty"`
	// PublicJWK is the public JWK (absent for symmetric keys).
	PublicJWK json.RawMessage `json:"publicJwk,omitempty"`
	// PrivateJWK is the private or symmetric JWK, when known.
	PrivateJWK json.RawMessage `json:"privateJwk,omitempty"`
	// JWKS is {"keys":[PublicJWK]} (RFC 7517 §5), for publishing.
	JWKS json.RawMessage `json:"jwks,omitempty"`
	// PublicPEM is the SubjectPublicKeyInfo PEM (RFC 5280 §4.1.2.7).
	PublicPEM string `json:"publicPem,omitempty"`
	// PrivatePEM is the PKCS #8 PEM (RFC 5208), when known.
	PrivatePEM string `json:"privatePem,omitempty"`
	// Secret is a symmetric key's bytes, base64url-encoded. Pass the key
	// object or PrivateJWK rather than this string: a plain string given as
	// a key is taken as its UTF-8 bytes, never decoded from base64.
	Secret string `json:"secret,omitempty"`
	// Thumbprint is the RFC 7638 JWK thumbprint (SHA-256, base64url).
	Thumbprint string `json:"thumbprint"`
	// X5c is the certificate chain (RFC 7517 §4.7) when the key came from a
	// certificate, as base64 DER, leaf first.
	X5c []string `json:"x5c,omitempty"`
	// Bits is the size of an RSA modulus or of a symmetric secret, in bits
	// (absent for EC and Ed25519 keys, whose size is their curve).
	Bits int `json:"bits,omitempty"`
	// Crv is the curve of an EC or OKP key: P-256, P-384, P-521, Ed25519.
	Crv string `json:"crv,omitempty"`
	// Use is the JWK "use" the exported JWKs carry (RFC 7517 §4.2): "sig"
	// for a signing algorithm, "enc" for a JWE key-management algorithm.
	Use string `json:"use"`
	// Private is true when the key holds private or secret material: a
	// private key, or an HMAC, AES or PBES2 secret.
	Private bool `json:"private"`
	// Description names the key in words, e.g. "an RSA public key (2048
	// bits)", as tokenlab's messages do.
	Description string `json:"description"`
}

// GenerateOptions chooses the key GenerateKey makes.
type GenerateOptions struct {
	// Alg is a JWS algorithm (HS256 … EdDSA) or a JWE key-management
	// algorithm (RSA-OAEP, ECDH-ES, A128KW, dir, PBES2-HS256+A128KW, …);
	// default DefaultAlg.
	Alg string `json:"alg"`
	// Bits is the RSA modulus size (2048 default, 3072, 4096) or the secret
	// size for symmetric algorithms (HMAC: at least the hash size,
	// RFC 7518 §3.2; dir: the content-encryption key size, 256 default).
	Bits int `json:"bits"`
	// Crv is the curve for EC keys (P-256, P-384, P-521; fixed for ES*)
	// and Ed25519 for EdDSA.
	Crv string `json:"crv"`
	// Kid overrides the key ID, which defaults to the RFC 7638 thumbprint.
	Kid string `json:"kid"`
}

// ImportOptions adjust ImportKey.
type ImportOptions struct {
	// Alg is the algorithm the key will be used with; it selects a key from
	// a JWKS without kid and must fit the key. Default: the JWK's alg, or
	// the usual algorithm for the key type.
	Alg string `json:"alg"`
	// Kid selects a key from a JWKS and overrides the exported key ID.
	Kid string `json:"kid"`
}

// GenerateKey makes a fresh key for opts.Alg: an RSA key (RFC 7518 §3.3,
// §4.2; 2048, 3072 or 4096 bits), an EC key (§3.4, §4.6; P-256, P-384,
// P-521), an Ed25519 key (RFC 8037), a random HMAC secret at least as long
// as the hash (§3.2), an AES key of the size the algorithm needs (§4.4,
// §4.7), or a random password for PBES2 (§4.8). Without an Alg it makes a
// DefaultAlg key. Unknown algorithms and sizes fail with ErrUnsupported.
func GenerateKey(opts GenerateOptions) (*Key, error) {
	if opts.Alg == "" {
		opts.Alg = DefaultAlg
	}
	spec, ok := lookupAlg(opts.Alg)
	if !ok {
		return nil, fmt.Errorf("%w: algorithm %q; tokenlab generates keys for %s", ErrUnsupported, opts.Alg, algList())
	}
	if opts.Bits < 0 {
		return nil, fmt.Errorf("%w: bits must be positive", ErrBadRequest)
	}
	var key any
	var err error
	switch spec.kty {
	case "RSA":
		bits := opts.Bits
		if bits == 0 {
			bits = DefaultRSABits
		}
		if bits != 2048 && bits != 3072 && bits != 4096 {
			return nil, fmt.Errorf("%w: RSA keys of %d bits; choose 2048, 3072 or 4096 (RFC 7518 §3.3 requires at least 2048)", ErrUnsupported, bits)
		}
		key, err = rsa.GenerateKey(rand.Reader, bits)
	case "EC":
		crv := spec.crv
		if crv == "" {
			crv = opts.Crv
			if crv == "" {
				crv = DefaultCurve
			}
		} else if opts.Crv != "" && opts.Crv != crv {
			return nil, fmt.Errorf("%w: %s uses curve %s (RFC 7518 §3.4), not %s", ErrBadRequest, opts.Alg, crv, opts.Crv)
		}
		curve := curveByName(crv)
		if curve == nil {
			return nil, fmt.Errorf("%w: curve %q; choose P-256, P-384 or P-521", ErrUnsupported, crv)
		}
		key, err = ecdsa.GenerateKey(curve, rand.Reader)
	case "OKP":
		if opts.Crv != "" && opts.Crv != "Ed25519" {
			return nil, fmt.Errorf("%w: curve %q for EdDSA; tokenlab signs with Ed25519 (RFC 8037)", ErrUnsupported, opts.Crv)
		}
		_, key, err = ed25519.GenerateKey(rand.Reader)
	case "oct":
		var n int
		n, err = secretBytes(opts.Alg, spec, opts.Bits)
		if err == nil {
			key, err = randomSecret(opts.Alg, n)
		}
	}
	if err != nil {
		if errors.Is(err, ErrBadRequest) || errors.Is(err, ErrUnsupported) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: generating a %s key failed: %v", ErrBadKey, opts.Alg, err)
	}
	return exportKey(jose.JSONWebKey{Key: key}, opts.Alg, opts.Kid)
}

// secretBytes is the size of a generated symmetric key.
func secretBytes(alg string, spec algSpec, bits int) (int, error) {
	switch {
	case strings.HasPrefix(alg, "PBES2"):
		return 16, nil
	case alg == "dir":
		if bits == 0 {
			bits = DefaultDirBits
		}
		switch bits {
		case 128, 192, 256, 384, 512:
			return bits / 8, nil
		}
		return 0, fmt.Errorf("%w: dir needs a key the size of the content-encryption key: 128, 192, 256, 384 or 512 bits (RFC 7518 §5)", ErrBadRequest)
	case spec.jwe:
		if bits != 0 && bits != spec.minBits {
			return 0, fmt.Errorf("%w: %s uses a %d-bit key, not %d", ErrBadRequest, alg, spec.minBits, bits)
		}
		return spec.minBits / 8, nil
	}
	if bits == 0 {
		bits = spec.minBits
	}
	if bits < spec.minBits || bits%8 != 0 {
		return 0, fmt.Errorf("%w: %s needs a secret of at least %d bits, in whole bytes (RFC 7518 §3.2); got %d", ErrBadRequest, alg, spec.minBits, bits)
	}
	if bits > 8192 {
		return 0, fmt.Errorf("%w: a %d-bit secret is far beyond what any algorithm uses; choose at most 8192 bits", ErrBadRequest, bits)
	}
	return bits / 8, nil
}

// randomSecret draws n random bytes; a PBES2 password is drawn as
// printable base64url text, since it is meant to be typed.
func randomSecret(alg string, n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if strings.HasPrefix(alg, "PBES2") {
		return []byte(base64.RawURLEncoding.EncodeToString(b)), nil
	}
	return b, nil
}

// ImportKey reads the text of a key: a JWK (RFC 7517 §4), a JWKS (§5;
// choose with opts.Kid, else opts.Alg, else its only key), a Key object
// from this package (privateJwk preferred over publicJwk), PEM (PKCS #1,
// PKCS #8, SPKI, SEC 1 "EC PRIVATE KEY", or CERTIFICATE, whose public key
// is imported with the chain as x5c), base64 DER of those, an OpenSSH
// public key, or anything else as a raw HMAC secret: the UTF-8 bytes of
// the text, never decoded from base64 (put binary secrets in an oct JWK).
// The package documentation lists how the text is sniffed. RSA keys must
// have 2048 to 8192 bits and an odd exponent from 3 to 2³²−1. A JWK whose
// use or key_ops exclude the algorithm's purpose is refused. Unparseable
// keys fail with ErrBadKey, unsupported ones with ErrUnsupported.
func ImportKey(input string, opts ImportOptions) (*Key, error) {
	set, err := parseKeyInput(input)
	if err != nil {
		return nil, err
	}
	k, err := set.choose(opts.Kid, opts.Alg)
	if err != nil {
		return nil, err
	}
	alg := opts.Alg
	if alg == "" {
		alg = k.Algorithm
	}
	if alg == "" {
		alg = defaultAlg(k.Key)
		if enc := defaultEncryptionAlg(k.Key); k.Use == "enc" && enc != "" {
			alg = enc
		}
	}
	if err := fitKey(alg, k.Key); err != nil {
		return nil, err
	}
	if err := k.usableForAlg(alg); err != nil {
		return nil, err
	}
	kid := opts.Kid
	if kid == "" {
		kid = k.KeyID
	}
	return exportKey(k.JSONWebKey, alg, kid)
}

// thumbprint computes the RFC 7638 SHA-256 thumbprint; go-jose does the
// asymmetric keys, and an oct key hashes {"k":…,"kty":"oct"} (§3.2).
func thumbprint(jwk jose.JSONWebKey) (string, error) {
	if secret, ok := jwk.Key.([]byte); ok {
		input, err := json.Marshal(struct {
			K   string `json:"k"`
			Kty string `json:"kty"`
		}{base64.RawURLEncoding.EncodeToString(secret), "oct"})
		if err != nil {
			return "", err
		}
		sum := sha256.Sum256(input)
		return base64.RawURLEncoding.EncodeToString(sum[:]), nil
	}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// exportKey renders jwk in every form.
func exportKey(jwk jose.JSONWebKey, alg, kid string) (*Key, error) {
	tp, err := thumbprint(jwk)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot compute the RFC 7638 thumbprint: %v", ErrUnsupported, err)
	}
	if kid == "" {
		kid = tp
	}
	kty, _ := keyType(jwk.Key)
	spec, _ := lookupAlg(alg)
	jwk.KeyID, jwk.Algorithm, jwk.Use = kid, alg, "sig"
	if spec.jwe {
		jwk.Use = "enc"
	}
	_, crv := keyType(jwk.Key)
	out := &Key{Alg: alg, Kid: kid, Kty: kty, Thumbprint: tp, Crv: crv, Use: jwk.Use, Private: isPrivate(jwk.Key), Description: describeKey(jwk.Key)}
	if kty == "RSA" || kty == "oct" {
		out.Bits = keyBits(jwk.Key)
	}
	for _, c := range jwk.Certificates {
		out.X5c = append(out.X5c, base64.StdEncoding.EncodeToString(c.Raw))
	}
	if secret, ok := jwk.Key.([]byte); ok {
		out.Secret = base64.RawURLEncoding.EncodeToString(secret)
		if out.PrivateJWK, err = jwk.MarshalJSON(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		return out, nil
	}
	pub := jwk.Public()
	if out.PublicJWK, err = pub.MarshalJSON(); err != nil {
		return nil, fmt.Errorf("%w: cannot export the public JWK: %v", ErrBadKey, err)
	}
	out.JWKS = json.RawMessage(`{"keys":[` + string(out.PublicJWK) + `]}`)
	der, err := x509.MarshalPKIXPublicKey(pub.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot export the public PEM: %v", ErrBadKey, err)
	}
	out.PublicPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	if isPrivate(jwk.Key) {
		if out.PrivateJWK, err = jwk.MarshalJSON(); err != nil {
			return nil, fmt.Errorf("%w: cannot export the private JWK: %v", ErrBadKey, err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(jwk.Key)
		if err != nil {
			return nil, fmt.Errorf("%w: cannot export the private PEM: %v", ErrBadKey, err)
		}
		out.PrivatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	}
	return out, nil
}

// compactJSON compacts JSON text, keeping key order and numbers.
func compactJSON(b []byte) json.RawMessage {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}
