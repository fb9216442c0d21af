package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// algSpec says what key an algorithm needs (RFC 7518 §3 for JWS, §4 for
// JWE key management).
type algSpec struct {
	kty     string // "oct", "RSA", "EC" or "OKP"
	crv     string // required curve; "" = any supported
	minBits int    // HMAC: minimum secret size (RFC 7518 §3.2); AES: exact key size; RSA: minimum modulus
	jwe     bool   // a JWE key-management algorithm
}

// lookupAlg describes alg, the JWS or JWE "alg" header value.
func lookupAlg(alg string) (algSpec, bool) {
	switch alg {
	case "HS256":
		return algSpec{kty: "oct", minBits: 256}, true
	case "HS384":
		return algSpec{kty: "oct", minBits: 384}, true
	case "HS512":
		return algSpec{kty: "oct", minBits: 512}, true
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		return algSpec{kty: "RSA", minBits: 2048}, true
	case "ES256":
		return algSpec{kty: "EC", crv: "P-256"}, true
	case "ES384":
		return algSpec{kty: "EC", crv: "P-384"}, true
	case "ES512":
		return algSpec{kty: "EC", crv: "P-521"}, true
	case "EdDSA":
		return algSpec{kty: "OKP", crv: "Ed25519"}, true
	case "RSA1_5", "RSA-OAEP", "RSA-OAEP-256":
		return algSpec{kty: "RSA", minBits: 2048, jwe: true}, true
	case "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW":
		return algSpec{kty: "EC", jwe: true}, true
	case "A128KW", "A128GCMKW":
		return algSpec{kty: "oct", minBits: 128, jwe: true}, true
	case "A192KW", "A192GCMKW":
		return algSpec{kty: "oct", minBits: 192, jwe: true}, true
	case "A256KW", "A256GCMKW":
		return algSpec{kty: "oct", minBits: 256, jwe: true}, true
	case "dir", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW":
		return algSpec{kty: "oct", jwe: true}, true
	}
	return algSpec{}, false
}

// signingAlgs are the JWS algorithms tokenlab signs and verifies.
var signingAlgs = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// keyAlgs are the JWE key-management algorithms go-jose v4 implements
// (RFC 7518 §4).
var keyAlgs = []jose.KeyAlgorithm{
	jose.RSA1_5, jose.RSA_OAEP, jose.RSA_OAEP_256,
	jose.ECDH_ES, jose.ECDH_ES_A128KW, jose.ECDH_ES_A192KW, jose.ECDH_ES_A256KW,
	jose.A128KW, jose.A192KW, jose.A256KW, jose.A128GCMKW, jose.A192GCMKW, jose.A256GCMKW,
	jose.DIRECT, jose.PBES2_HS256_A128KW, jose.PBES2_HS384_A192KW, jose.PBES2_HS512_A256KW,
}

// contentEncs are the JWE content-encryption algorithms (RFC 7518 §5).
var contentEncs = []jose.ContentEncryption{
	jose.A128GCM, jose.A192GCM, jose.A256GCM, jose.A128CBC_HS256, jose.A192CBC_HS384, jose.A256CBC_HS512,
}

// encKeyBytes is the content-encryption key size of enc (RFC 7518 §5),
// which is the key size "dir" needs.
func encKeyBytes(enc string) int {
	switch enc {
	case "A128GCM":
		return 16
	case "A192GCM":
		return 24
	case "A256GCM", "A128CBC-HS256":
		return 32
	case "A192CBC-HS384":
		return 48
	case "A256CBC-HS512":
		return 64
	}
	return 0
}

// algList names algorithms for error messages.
func algList() string {
	names := append([]string{}, signingAlgs...)
	for _, a := range keyAlgs {
		names = append(names, string(a))
	}
	return strings.Join(names, ", ")
}

// keyType returns the JWK kty (RFC 7518 §6.1) and curve of a key.
func keyType(key any) (kty, crv string) {
	switch k := key.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey:
		return "RSA", ""
	case *ecdsa.PrivateKey:
		return "EC", k.Curve.Params().Name
	case *ecdsa.PublicKey:
		return "EC", k.Curve.Params().Name
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "OKP", "Ed25519"
	case []byte:
		return "oct", ""
	}
	return "", ""
}

// keyBits is the size of an RSA modulus or a symmetric key, in bits.
func keyBits(key any) int {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return k.N.BitLen()
	case *rsa.PublicKey:
		return k.N.BitLen()
	case []byte:
		return 8 * len(k)
	}
	return 0
}

// describeKey names a key in messages: "an RSA public key (2048 bits)".
func describeKey(key any) string {
	kty, crv := keyType(key)
	vis := "public"
	if isPrivate(key) {
		vis = "private"
	}
	switch kty {
	case "RSA":
		return fmt.Sprintf("an RSA %s key (%d bits)", vis, keyBits(key))
	case "EC":
		return fmt.Sprintf("an EC %s key on %s", vis, crv)
	case "OKP":
		return fmt.Sprintf("an Ed25519 %s key", vis)
	case "oct":
		return fmt.Sprintf("a %d-byte secret", keyBits(key)/8)
	}
	return fmt.Sprintf("a key of type %T", key)
}

// isPrivate reports whether key holds private (or secret) material.
func isPrivate(key any) bool {
	switch key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey, []byte:
		return true
	}
	return false
}

// curveByName returns a JOSE curve (RFC 7518 §6.2.1.1) by name, or nil.
func curveByName(crv string) elliptic.Curve {
	switch crv {
	case "P-256":
		return elliptic.P256()
	case "P-384":
		return elliptic.P384()
	case "P-521":
		return elliptic.P521()
	}
	return nil
}

// fitKey explains why key cannot be used with alg, or returns nil. It
// applies RFC 7518 §3 (JWS) and §4 (JWE) and the algorithm-confusion rule
// of RFC 8725 §2.1/§3.1: a public key is never an HMAC secret. A non-nil
// result is a *KeyFitError.
func fitKey(alg string, key any) error {
	kty, crv := keyType(key)
	misfit := func(ref, format string, args ...any) error {
		return &KeyFitError{Alg: alg, KeyType: kty, Reason: fmt.Sprintf(format, args...), Ref: ref, kind: ErrBadKey}
	}
	spec, ok := lookupAlg(alg)
	if !ok {
		return &KeyFitError{Alg: alg, KeyType: kty, Reason: fmt.Sprintf("algorithm %q; tokenlab handles %s", alg, algList()), Ref: "RFC 7518 §3.1, §4.1", kind: ErrUnsupported}
	}
	if kty != spec.kty {
		if spec.kty == "oct" && kty != "" && !spec.jwe {
			e := misfit("RFC 8725 §2.1, §3.1", "%s is an HMAC algorithm that needs a shared secret, but the key is %s. Using a public key as an HMAC secret is the algorithm-confusion attack (RFC 8725 §2.1, §3.1): anyone holding the public key could forge tokens. Verify with the algorithm the key is for, and allow only that one", alg, describeKey(key)).(*KeyFitError)
			e.Confusion = true
			return e
		}
		return misfit("RFC 7518 §3.1, §4.1", "%s needs a %s key (RFC 7518), but the key is %s", alg, ktyName(spec.kty), describeKey(key))
	}
	if spec.crv != "" && crv != spec.crv {
		return misfit("RFC 7518 §3.4, RFC 8037 §3.1", "%s needs a key on curve %s (RFC 7518 §3.4, RFC 8037 §3.1), but the key is on %s", alg, spec.crv, crv)
	}
	bits := keyBits(key)
	switch {
	case spec.kty == "RSA" && bits < spec.minBits:
		return misfit("RFC 7518 §3.3, §4.2", "%s needs an RSA key of at least 2048 bits (RFC 7518 §3.3, §4.2), but this one has %d", alg, bits)
	case spec.kty == "oct" && spec.jwe && spec.minBits > 0 && bits != spec.minBits:
		return misfit("RFC 7518 §4.4, §4.7", "%s needs a %d-bit AES key (RFC 7518 §4.4, §4.7), but the secret has %d bits", alg, spec.minBits, bits)
	case spec.kty == "oct" && bits == 0:
		return misfit("RFC 7518 §3.2", "the secret is empty")
	}
	return nil
}

// ktyName spells a kty for people.
func ktyName(kty string) string {
	switch kty {
	case "oct":
		return "symmetric (oct) secret"
	case "OKP":
		return "Ed25519 (OKP)"
	}
	return kty
}

// defaultAlg picks the algorithm a key is most likely meant for.
func defaultAlg(key any) string {
	kty, crv := keyType(key)
	switch kty {
	case "RSA":
		return "RS256"
	case "EC":
		switch crv {
		case "P-384":
			return "ES384"
		case "P-521":
			return "ES512"
		}
		return "ES256"
	case "OKP":
		return "EdDSA"
	}
	return "HS256"
}

// defaultEncryptionAlg picks the JWE key-management algorithm a key is
// most likely meant for: RSA-OAEP-256 for RSA, ECDH-ES for EC, AES key wrap
// for a 16-, 24- or 32-byte secret; "" when it cannot tell (a secret of
// another size could be a dir key or a PBES2 password).
func defaultEncryptionAlg(key any) string {
	kty, _ := keyType(key)
	switch kty {
	case "RSA":
		return "RSA-OAEP-256"
	case "EC":
		return "ECDH-ES"
	case "oct":
		switch keyBits(key) {
		case 128:
			return "A128KW"
		case 192:
			return "A192KW"
		case 256:
			return "A256KW"
		}
	}
	return ""
}
