package token

import (
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"math/bits"

	jose "github.com/go-jose/go-jose/v4"
)

// RSA key limits. RFC 7518 §3.3 and §4.2 require moduli of at least 2048
// bits; tokenlab refuses more than 8192 because checking a private key
// costs time that grows with the cube of its size: a pasted 1-Mbit key
// would stall the engine for minutes. The public exponent must be odd and
// from 3 to 2³²−1, which every real key (65537) is: e = 1 makes
// "encryption" the identity and signatures trivial to forge.
const (
	minRSABits = 2048
	maxRSABits = 8192
	maxRSAExp  = 1<<32 - 1
)

// init raises go-jose's limit on RSA moduli in JWKs (4096 bits by
// default) to tokenlab's, so that JWK and PEM keys have the same range.
// It is set once, before any parsing, as go-jose's documentation asks;
// tokenlab's own checks run before go-jose sees a key.
func init() { jose.MaxRSAModulusBits = maxRSABits }

// OIDs of the RSA key algorithms in SubjectPublicKeyInfo and PKCS #8.
var (
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}  // RFC 8017 §A.1
	oidRSAPSS        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10} // RFC 4055 §3.1
)

// checkRSAModulus applies the limits to a modulus of nBits bits and the
// exponent e; the error says what to do.
func checkRSAModulus(nBits int, e *big.Int) error {
	switch {
	case nBits > maxRSABits:
		return fmt.Errorf("%w: the RSA key has a %d-bit modulus; tokenlab handles 2048 to 8192 bits (larger keys take minutes to check and no issuer uses them)", ErrUnsupported, nBits)
	case nBits < minRSABits:
		return fmt.Errorf("%w: the RSA key has a %d-bit modulus, and RFC 7518 §3.3 requires at least 2048 bits: such a key can be factored. Use a 2048-bit or larger key", ErrBadKey, nBits)
	case e.BitLen() > 64:
		return fmt.Errorf("%w: the RSA public exponent e is a %d-bit number; it must be odd and from 3 to 2^32−1 (65537 in practice, RFC 8017 §3.1)", ErrBadKey, e.BitLen())
	case e.Bit(0) == 0 || e.Cmp(big.NewInt(3)) < 0 || e.Cmp(big.NewInt(maxRSAExp)) > 0:
		return fmt.Errorf("%w: the RSA public exponent e is %v; it must be odd and from 3 to 2^32−1 (65537 in practice, RFC 8017 §3.1). With e = 1 any signature is trivial to forge", ErrBadKey, e)
	}
	return nil
}

// checkRSAKey applies the limits to a parsed RSA key; other keys pass.
func checkRSAKey(key any) error {
	var pub *rsa.PublicKey
	switch k := key.(type) {
	case *rsa.PublicKey:
		pub = k
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	default:
		return nil
	}
	return checkRSAModulus(pub.N.BitLen(), big.NewInt(int64(pub.E)))
}

// precheckRSADER finds the modulus and exponent of RSA key DER (PKCS #1
// public or private, SubjectPublicKeyInfo or PKCS #8) by reading only the
// ASN.1 structure, and applies the limits before any parser does the
// expensive work: x509.ParsePKCS1PrivateKey validates the key with
// modular exponentiations that take half a minute for a 1-Mbit modulus.
// DER that is not an RSA key passes untouched, for its own parser to judge.
func precheckRSADER(der []byte) error {
	n, e, ok := rsaNumbers(der)
	if !ok {
		return nil
	}
	return checkRSAModulus(integerBits(n), new(big.Int).SetBytes(e))
}

// rsaNumbers returns the raw modulus and exponent INTEGER contents of
// RSA key DER in any of its four containers.
func rsaNumbers(der []byte) (n, e []byte, ok bool) {
	// PKCS #1 RSAPrivateKey (RFC 8017 §A.1.2): version, n, e, d, p, q, dP,
	// dQ, qInv (nine members, which tells it from a DSA key's six).
	var priv struct {
		Version                     int
		N, E, D, P, Q, DP, DQ, QInv asn1.RawValue
	}
	if rest, err := asn1.Unmarshal(der, &priv); err == nil && len(rest) == 0 && isInteger(priv.N) && isInteger(priv.E) {
		return priv.N.Bytes, priv.E.Bytes, true
	}
	// PKCS #1 RSAPublicKey (RFC 8017 §A.1.1): n, e.
	var pub struct{ N, E asn1.RawValue }
	if rest, err := asn1.Unmarshal(der, &pub); err == nil && len(rest) == 0 && isInteger(pub.N) && isInteger(pub.E) {
		return pub.N.Bytes, pub.E.Bytes, true
	}
	// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) around an RSAPublicKey.
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, err := asn1.Unmarshal(der, &spki); err == nil && len(rest) == 0 && isRSAOID(spki.Algorithm.Algorithm) {
		return rsaNumbers(spki.PublicKey.RightAlign())
	}
	// PKCS #8 PrivateKeyInfo (RFC 5208 §5) around an RSAPrivateKey.
	var p8 struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if rest, err := asn1.Unmarshal(der, &p8); err == nil && len(rest) == 0 && isRSAOID(p8.Algorithm.Algorithm) {
		return rsaNumbers(p8.PrivateKey)
	}
	return nil, nil, false
}

func isInteger(v asn1.RawValue) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == asn1.TagInteger && !v.IsCompound && len(v.Bytes) > 0
}

func isRSAOID(oid asn1.ObjectIdentifier) bool {
	return oid.Equal(oidRSAEncryption) || oid.Equal(oidRSAPSS)
}

// integerBits is the bit length of a DER INTEGER's big-endian contents
// (a negative one counts its full size, which the limits then refuse).
func integerBits(b []byte) int {
	for len(b) > 1 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0
	}
	return (len(b)-1)*8 + bits.Len8(b[0])
}
