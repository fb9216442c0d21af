package token

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// keySet is parsed key input: one key, or the keys of a JWKS.
type keySet struct {
	keys   []setKey
	source string // what the input was, for messages
	jwks   bool
}

// setKey is one key of a set: the JWK as go-jose parsed it, plus the
// key_ops member (RFC 7517 §4.3), which go-jose does not keep.
type setKey struct {
	jose.JSONWebKey
	ops []string
}

// purpose is what a key is about to be used for.
type purpose string

// Key purposes, named as the JWK key_ops values of RFC 7517 §4.3.
const (
	forSign    purpose = "sign"
	forVerify  purpose = "verify"
	forEncrypt purpose = "encrypt"
	forDecrypt purpose = "decrypt"
)

// opsFor are the key_ops values that allow a purpose: a JWE recipient key
// unwraps or derives the content key rather than decrypting with it.
var opsFor = map[purpose][]string{
	forSign:    {"sign"},
	forVerify:  {"verify"},
	forEncrypt: {"encrypt", "wrapKey", "deriveKey", "deriveBits"},
	forDecrypt: {"decrypt", "unwrapKey", "deriveKey", "deriveBits"},
}

// kty is the key's JWK key type.
func (k setKey) kty() string {
	kty, _ := keyType(k.Key)
	return kty
}

// usableFor explains why the key's own use or key_ops (RFC 7517 §4.2,
// §4.3) exclude a purpose, or returns nil. A key without either member
// may be used for anything its type allows; a use other than "sig" and
// "enc" restricts nothing tokenlab knows.
func (k setKey) usableFor(p purpose) error {
	kty := k.kty()
	wantUse := "sig"
	if p == forEncrypt || p == forDecrypt {
		wantUse = "enc"
	}
	if (k.Use == "sig" || k.Use == "enc") && k.Use != wantUse {
		what := map[string]string{"sig": "signatures", "enc": "encryption"}
		return &KeyFitError{KeyType: kty, Ref: "RFC 7517 §4.2", kind: ErrBadKey,
			Reason: fmt.Sprintf("%s says use %q: its owner published it for %s only, so it must not be used to %s. Use the issuer's key marked use %q (or with no use)", keyName(k), k.Use, what[k.Use], p, wantUse)}
	}
	if len(k.ops) > 0 && !slices.ContainsFunc(opsFor[p], func(op string) bool { return slices.Contains(k.ops, op) }) {
		return &KeyFitError{KeyType: kty, Ref: "RFC 7517 §4.3", kind: ErrBadKey,
			Reason: fmt.Sprintf("%s allows only the operations %s (its key_ops), not %s. Use a key whose key_ops include %s", keyName(k), quoteList(k.ops), p, strings.Join(opsFor[p], " or "))}
	}
	return nil
}

// usableForAlg explains why the key's use or key_ops exclude every
// purpose of alg (signing and verifying for a JWS algorithm, encrypting
// and decrypting for a JWE one), or returns nil.
func (k setKey) usableForAlg(alg string) error {
	purposes := []purpose{forVerify, forSign}
	if spec, _ := lookupAlg(alg); spec.jwe {
		purposes = []purpose{forDecrypt, forEncrypt}
	}
	err := k.usableFor(purposes[0])
	if err != nil && k.usableFor(purposes[1]) == nil {
		return nil
	}
	if err != nil {
		err.(*KeyFitError).Alg = alg
	}
	return err
}

// keyName names a key of a set in messages: "the JWK with kid "k1"".
func keyName(k setKey) string {
	if k.KeyID != "" {
		return fmt.Sprintf("the JWK with kid %q", k.KeyID)
	}
	return "the JWK"
}

// choose picks one key: by kid, then by alg, then the only key.
func (s *keySet) choose(kid, alg string) (setKey, error) {
	cands := s.candidates(kid, alg)
	switch {
	case len(cands) == 1 || (len(cands) > 1 && kid != ""):
		return cands[0], nil
	case len(cands) == 0 && kid != "":
		return setKey{}, fmt.Errorf("%w: no key in %s has kid %q (it has %s)", ErrBadKey, s.source, kid, s.kids())
	case len(cands) == 0:
		msg := fmt.Sprintf("no key in %s fits %s (it has %s)", s.source, alg, s.kids())
		var fit *KeyFitError
		if errors.As(fitKey(alg, s.keys[0].Key), &fit) {
			misfit := *fit
			misfit.Reason = msg + ": " + fit.Reason
			return setKey{}, &misfit
		}
		return setKey{}, fmt.Errorf("%w: %s", ErrBadKey, msg)
	}
	return setKey{}, fmt.Errorf("%w: %s has %d keys (%s); pass a kid or an alg to choose one", ErrBadKey, s.source, len(cands), s.kids())
}

// candidates are the keys that may verify or decrypt: those with the kid
// when one is given (RFC 7515 §4.1.4) and the set uses kids, else those
// that fit alg (RFC 7517 §4.4: a JWK's own alg must match).
func (s *keySet) candidates(kid, alg string) []setKey {
	if !s.jwks {
		return s.keys
	}
	var out []setKey
	if kid != "" {
		anyKid := false
		for _, k := range s.keys {
			anyKid = anyKid || k.KeyID != ""
			if k.KeyID == kid {
				out = append(out, k)
			}
		}
		if anyKid {
			return out
		}
		// A JWKS whose keys have no kids cannot be searched by kid.
	}
	for _, k := range s.keys {
		if alg == "" || ((k.Algorithm == "" || declaredAlgFits(k.Algorithm, alg)) && fitKey(alg, k.Key) == nil) {
			out = append(out, k)
		}
	}
	return out
}

// kids lists a key set's kids for messages.
func (s *keySet) kids() string {
	var names []string
	for _, k := range s.keys {
		kty, _ := keyType(k.Key)
		if k.KeyID != "" {
			names = append(names, fmt.Sprintf("%s kid %q", kty, k.KeyID))
		} else {
			names = append(names, kty+" without kid")
		}
	}
	return strings.Join(names, ", ")
}

// declaredAlgFits reports whether a key declared for alg declared (its JWK
// "alg") may be used for a token whose header says tokenAlg. RFC 9864 §2.2
// names the fully-specified "Ed25519" for what "EdDSA" means with an
// Ed25519 key, and WebCrypto exports Ed25519 keys with that name.
func declaredAlgFits(declared, tokenAlg string) bool {
	return declared == tokenAlg || (declared == "Ed25519" && tokenAlg == "EdDSA")
}
