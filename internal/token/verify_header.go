package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"tokenlab/internal/vocab"

	"github.com/golang-jwt/jwt/v5"
)

// The header checks: alg, signature, key_size, crit and typ.

// checkAlg applies RFC 8725 §3.1 and returns the keys that fit the alg
// and may verify (their use and key_ops allow it, RFC 7517 §4.2–4.3).
func (v *verifier) checkAlg() ([]setKey, bool) {
	const ref = "RFC 8725 §3.1"
	raw, present := v.p.header["alg"]
	switch {
	case !present:
		v.add("alg", StatusFail, "RFC 7515 §4.1.1", "the header has no alg, so no algorithm can be checked; the signature was not checked")
		return nil, false
	case v.alg == "" && string(raw) != `""`:
		v.add("alg", StatusFail, "RFC 7515 §4.1.1", "alg is %s, not a string; the signature was not checked", raw)
		return nil, false
	case strings.EqualFold(v.alg, "none"):
		v.add("alg", StatusFail, ref, "alg is %q: the token is unsecured, so nothing proves who made it or that it was not changed. tokenlab never accepts alg none; the signature was not checked", v.alg)
		return nil, false
	}
	spec, known := lookupAlg(v.alg)
	if !known || spec.jwe {
		v.add("alg", StatusFail, "RFC 7518 §3.1", "alg %q is not a JWS signature algorithm tokenlab verifies (%s); the signature was not checked", v.alg, strings.Join(signingAlgs, ", "))
		return nil, false
	}
	if len(v.opts.Algorithms) > 0 && !slices.Contains(v.opts.Algorithms, v.alg) {
		v.add("alg", StatusFail, ref, "alg %s is not in the allowed list (%s); accept only the algorithms you expect from this issuer. The signature was not checked", v.alg, strings.Join(v.opts.Algorithms, ", "))
		return nil, false
	}
	if v.set == nil {
		v.add("alg", StatusFail, ref, "no key was given, so alg %s cannot be checked against one; the signature was not checked", v.alg)
		return nil, false
	}
	kid, _ := headerString(v.p.header, "kid")
	cands := v.set.candidates(kid, "")
	if len(cands) == 0 {
		// The kid names no key: the alg rule holds, the signature fails.
		v.add("alg", StatusPass, ref, "alg %s is a signature algorithm tokenlab accepts", v.alg)
		return nil, true
	}
	var fitting []setKey
	var firstErr error
	for _, k := range cands {
		err := fitKey(v.alg, k.Key)
		if err == nil && k.Algorithm != "" && !declaredAlgFits(k.Algorithm, v.alg) {
			err = &KeyFitError{Alg: v.alg, KeyType: k.kty(), Ref: "RFC 7517 §4.4", kind: ErrBadKey,
				Reason: "the key is declared for " + k.Algorithm + " (its JWK alg) but the token says " + v.alg + ": a key must be used only with its own algorithm"}
		}
		if err == nil {
			err = k.usableFor(forVerify)
		}
		if err == nil {
			fitting = append(fitting, k)
		} else if firstErr == nil {
			firstErr = err
		}
	}
	if len(fitting) == 0 {
		msg, msgRef := firstErr.Error(), ref+", RFC 7518 §3"
		var fit *KeyFitError
		if errors.As(firstErr, &fit) {
			msg, msgRef = fit.Reason, ref+", "+fit.Ref
			if fit.Confusion {
				msgRef = fit.Ref
			}
		}
		v.add("alg", StatusFail, msgRef, "%s. The signature was not checked", msg)
		return nil, false
	}
	v.add("alg", StatusPass, ref, "alg %s fits %s", v.alg, describeKey(fitting[0].Key))
	return fitting, true
}

// checkSignature verifies the JWS signature with golang-jwt's signing
// methods over the token's own signing input (RFC 7515 §5.2), then warns
// when an HMAC secret is shorter than the hash (RFC 7518 §3.2).
func (v *verifier) checkSignature(keys []setKey) {
	ref := v.ref("signature")
	if len(keys) == 0 {
		kid, _ := headerString(v.p.header, "kid")
		v.add("signature", StatusFail, ref, "no key in %s has kid %q (it has %s), so the signature cannot be verified: fetch the issuer's current JWKS", v.set.source, kid, v.set.kids())
		return
	}
	method := jwt.GetSigningMethod(v.alg)
	input := v.p.d.Parts[0] + "." + v.p.d.Parts[1]
	for _, k := range keys {
		if err := method.Verify(input, v.p.sig, verificationKey(k.Key)); err == nil {
			who := describeKey(k.Key)
			if k.KeyID != "" {
				who += " (kid " + quote(k.KeyID) + ")"
			}
			v.add("signature", StatusPass, ref, "the %s signature is valid for %s", v.alg, who)
			v.checkKeySize(k)
			return
		}
	}
	v.add("signature", StatusFail, ref, "the %s signature does not match %s: the token was changed after signing, or it was signed with another key. Check that this is the issuer's key (for a JWKS, its current one)", v.alg, describeKey(keys[0].Key))
}

// checkKeySize warns when the HMAC secret that verified the signature is
// shorter than the hash output, which RFC 7518 §3.2 forbids: such a secret
// can be found offline from any one token, and then anyone can mint
// tokens that verify.
func (v *verifier) checkKeySize(k setKey) {
	spec, _ := lookupAlg(v.alg)
	secret, isSecret := k.Key.([]byte)
	if !isSecret || 8*len(secret) >= spec.minBits {
		return
	}
	v.add("key_size", StatusWarn, "RFC 7518 §3.2", "the signature is valid, but the secret is only %d bytes (%d bits), and %s requires at least %d bytes (%d bits), the size of its hash: a secret this short can be guessed offline from any one token, and then anyone can mint tokens that verify. Use a random secret of %d bytes or more", len(secret), 8*len(secret), v.alg, spec.minBits/8, spec.minBits, spec.minBits/8)
}

// verificationKey is the key golang-jwt's Verify expects: the public half
// of a private key, the bytes of a secret.
func verificationKey(key any) any {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return &k.PublicKey
	case *ecdsa.PrivateKey:
		return &k.PublicKey
	case ed25519.PrivateKey:
		return k.Public()
	}
	return key
}

// checkCrit applies RFC 7515 §4.1.11: every critical extension must be
// understood. tokenlab implements none (not even RFC 7797 b64).
func (v *verifier) checkCrit() {
	raw, ok := v.p.header["crit"]
	if !ok {
		return
	}
	const ref = "RFC 7515 §4.1.11"
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil || len(names) == 0 {
		v.add("crit", StatusFail, ref, "crit must be a non-empty array of header parameter names, but it is %s", raw)
		return
	}
	for _, n := range names {
		if _, present := v.p.header[n]; !present {
			v.add("crit", StatusFail, ref, "crit lists %q, which the header does not contain", n)
			return
		}
	}
	v.add("crit", StatusFail, ref, "the header marks %s as critical, and tokenlab does not understand %s; a recipient must reject a JWS with critical parameters it does not implement", quoteList(names), plural(len(names), "it", "them"))
}

// typ is the header typ, lower-cased without "application/" (RFC 7515
// §4.1.9), or "" when absent.
func (v *verifier) typ() string {
	typ, _ := headerString(v.p.header, "typ")
	return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(typ)), "application/")
}

// checkTyp applies explicit typing: RFC 9068 §2.1/§4 for access tokens,
// Back-Channel Logout §2.4 for logout tokens, RFC 8725 §3.11 against
// cross-JWT confusion for ID tokens. A typ that declares another kind of
// JWT fails under any of them.
func (v *verifier) checkTyp() {
	if v.rules.generic {
		return
	}
	raw, has := headerString(v.p.header, "typ")
	typ, ref := v.typ(), v.ref("typ")
	foreign := strings.HasSuffix(typ, "+jwt") || strings.HasSuffix(typ, "+sd-jwt")
	switch v.rules.kind {
	case vocab.AccessToken, vocab.AccessTokenRFC9068:
		switch {
		case typ == "at+jwt":
			v.add("typ", StatusPass, ref, "typ is %q: the token declares itself an RFC 9068 JWT access token, so every rule of RFC 9068 applies to it", raw)
		case foreign:
			v.add("typ", StatusFail, ref, "typ is %q, which declares another kind of JWT: accepting it as an access token is the cross-JWT confusion RFC 8725 §3.11 warns about", raw)
		default:
			v.require("typ", ref, "typ is %s, not \"at+jwt\": this is the issuer's own access-token format rather than an RFC 9068 JWT access token (by default Entra ID, Auth0 and Keycloak type theirs \"JWT\"; Okta and Cognito send no typ). The issuer's own APIs accept it; a resource server that follows RFC 9068 §4 must refuse it", orAbsent(raw, has))
		}
	case vocab.LogoutToken:
		switch {
		case typ == "logout+jwt":
			v.add("typ", StatusPass, ref, "typ is %q, the explicit type of a logout token", raw)
		case foreign:
			v.add("typ", StatusFail, ref, "typ is %q, which declares another kind of JWT, not a logout token (\"logout+jwt\")", raw)
		default:
			v.add("typ", StatusWarn, ref, "typ is %s; explicit typing with \"logout+jwt\" is recommended (Back-Channel Logout §2.4, RFC 8725 §3.11) so a logout token cannot be taken for another JWT", orAbsent(raw, has))
		}
	case vocab.IDToken:
		switch {
		case foreign:
			v.add("typ", StatusFail, ref, "typ is %q, so this is not an ID token: accepting it as one is the cross-JWT confusion RFC 8725 §3.11 warns about", raw)
		case has && typ != "jwt":
			v.add("typ", StatusWarn, ref, "typ is %q, which is unusual for an ID token (issuers send \"JWT\" or none); check that this token really is one", raw)
		case has:
			v.add("typ", StatusPass, ref, "typ is %q, which does not mark another token kind", raw)
		}
	}
}
