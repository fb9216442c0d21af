package token

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// VerifyOptions say what to verify a token against. Only Key is required;
// each other field adds the checks that compare against it.
type VerifyOptions struct {
	// Key is key input text as ImportKey takes it. A JWKS is searched by
	// the token's kid, else by its alg. Only an unsecured (alg none) token
	// may be given without a key, and it still fails.
	Key string
	// Issuer is the expected iss, compared exactly (OIDC Core 3.1.3.7 step
	// 2, RFC 9068 §4).
	Issuer string
	// Audience is the expected aud: the client ID for an ID token, the API
	// (resource) for an access token.
	Audience string
	// Nonce is the nonce the client sent (OIDC Core 3.1.3.7 step 11).
	Nonce string
	// ClientID is the client the token was issued to: compared with azp of
	// ID tokens and client_id of access tokens, and used as the ID token
	// audience when Audience is empty.
	ClientID string
	// Now is the time to verify at; zero means time.Now().
	Now time.Time
	// Leeway is the clock skew allowed for exp, nbf and iat.
	Leeway time.Duration
	// Kind selects the rule set; "", jwt or unknown apply the generic rules.
	Kind Kind
	// Algorithms, when not empty, is the allow-list of JWS algorithms
	// (RFC 8725 §3.1). "none" is never allowed.
	Algorithms []string
	// AccessToken and Code are checked against at_hash and c_hash when the
	// ID token carries them (OIDC Core 3.2.2.9, 3.3.2.11).
	AccessToken, Code string
}

// Check is one rule Verify applied.
type Check struct {
	// ID names the rule: signature, alg, crit, typ, exp, nbf, iat, iss, aud,
	// azp, nonce, at_hash, c_hash, sub, client_id, jti or events.
	ID string `json:"id"`
	// OK is true when the token passes the rule.
	OK bool `json:"ok"`
	// Message says in plain words what was found.
	Message string `json:"message"`
	// Ref cites the rule, e.g. "OIDC Core 3.1.3.7 step 9".
	Ref string `json:"ref"`
}

// Verified is the outcome of Verify.
type Verified struct {
	// Valid is true only when every check is OK.
	Valid bool `json:"valid"`
	// Kind is the rule set applied ("jwt" when none was given).
	Kind Kind `json:"kind"`
	// Header and Payload are as Decode returns them.
	Header  json.RawMessage `json:"header"`
	Payload json.RawMessage `json:"payload"`
	// Checks lists every rule applied, in order.
	Checks []Check `json:"checks"`
}

// Verify checks a compact JWS against a key and reports each rule as a
// Check: the algorithm (RFC 8725 §3.1: never none, allowed by
// opts.Algorithms, fitting the key — an RSA or EC public key offered as an
// HMAC secret is the algorithm-confusion attack of RFC 8725 §2.1), the
// signature (RFC 7515 §5.2; any payload, JSON or not), critical headers
// (RFC 7515 §4.1.11), then the rules of the kind: OIDC Core 1.0 §3.1.3.7
// for ID tokens, RFC 9068 §4 for access tokens, OIDC Back-Channel Logout
// 1.0 §2.6 for logout tokens, RFC 7519 §7.2 otherwise. When the alg check
// fails the signature is not checked. A token that fails a rule returns
// Valid false and no error; only input that cannot be processed (a
// malformed token, an unusable key, a JWE: decrypt it first) is an error.
// Verify never modifies or re-signs the token.
func Verify(token string, opts VerifyOptions) (*Verified, error) {
	if err := checkKind(opts.Kind); err != nil {
		return nil, err
	}
	p, err := parse(token)
	if err != nil {
		return nil, err
	}
	if p.d.Format == FormatJWE {
		return nil, fmt.Errorf("%w: this is an encrypted token (JWE); decrypt it first, then verify the signed token inside", ErrUnsupported)
	}
	var set *keySet
	if opts.Key != "" {
		if set, err = parseKeyInput(opts.Key); err != nil {
			return nil, err
		}
	} else if p.d.Format != FormatUnsecured {
		return nil, fmt.Errorf("%w: verify needs a key: the issuer's public key (JWK, JWKS or PEM) or the shared HMAC secret", ErrBadRequest)
	}
	kind := opts.Kind
	if kind == "" || kind == KindUnknown {
		kind = KindJWT
	}
	v := &verifier{p: p, opts: opts, kind: kind, set: set, now: opts.Now}
	if v.now.IsZero() {
		v.now = time.Now()
	}
	v.run()
	out := &Verified{Valid: true, Kind: kind, Header: p.d.Header, Payload: p.d.Payload, Checks: v.checks}
	for _, c := range v.checks {
		out.Valid = out.Valid && c.OK
	}
	return out, nil
}

// verifier accumulates checks.
type verifier struct {
	p      *parsed
	opts   VerifyOptions
	kind   Kind
	set    *keySet
	now    time.Time
	alg    string
	claims jwt.MapClaims
	checks []Check
}

func (v *verifier) add(id string, ok bool, ref, format string, args ...any) {
	v.checks = append(v.checks, Check{ID: id, OK: ok, Message: fmt.Sprintf(format, args...), Ref: ref})
}

// ref picks the citation for the kind.
func (v *verifier) ref(id, at, logout, generic string) string {
	switch v.kind {
	case KindIDToken:
		return id
	case KindAccessToken:
		return at
	case KindLogoutToken:
		return logout
	}
	return generic
}

func (v *verifier) run() {
	v.alg, _ = headerString(v.p.header, "alg")
	if keys, ok := v.checkAlg(); ok {
		v.checkSignature(keys)
	}
	v.checkCrit()
	v.checkTyp()
	v.claims = jwt.MapClaims{}
	dec := json.NewDecoder(bytes.NewReader(v.p.payload))
	dec.UseNumber()
	payloadIsClaims := dec.Decode(&v.claims) == nil && v.claims != nil
	if !payloadIsClaims {
		v.claims = jwt.MapClaims{}
		if v.kind == KindJWT || v.kind == KindRefreshToken {
			return // a JWS of any content: signature only (RFC 7515 §3)
		}
	}
	v.checkTimes()
	v.checkIssuer()
	v.checkAudience()
	switch v.kind {
	case KindIDToken:
		v.checkAzp()
		v.checkNonce()
		v.checkHash("at_hash", v.opts.AccessToken, "access token", "OIDC Core 3.2.2.9, 3.1.3.8")
		v.checkHash("c_hash", v.opts.Code, "authorization code", "OIDC Core 3.3.2.11")
		v.checkSub()
	case KindAccessToken:
		v.checkSub()
		v.checkClientID()
		v.checkJTI()
	case KindLogoutToken:
		v.checkSub()
		v.checkEvents()
		v.checkNonce()
		v.checkJTI()
	}
}

// checkAlg applies RFC 8725 §3.1 and returns the keys that fit.
func (v *verifier) checkAlg() ([]jose.JSONWebKey, bool) {
	const ref = "RFC 8725 §3.1"
	raw, present := v.p.header["alg"]
	switch {
	case !present:
		v.add("alg", false, "RFC 7515 §4.1.1", "the header has no alg, so no algorithm can be checked; the signature was not checked")
		return nil, false
	case v.alg == "" && string(raw) != `""`:
		v.add("alg", false, "RFC 7515 §4.1.1", "alg is %s, not a string; the signature was not checked", raw)
		return nil, false
	case strings.EqualFold(v.alg, "none"):
		v.add("alg", false, ref, "alg is %q: the token is unsecured, so nothing proves who made it or that it was not changed. tokenlab never accepts alg none; the signature was not checked", v.alg)
		return nil, false
	}
	spec, known := lookupAlg(v.alg)
	if !known || spec.jwe {
		v.add("alg", false, "RFC 7518 §3.1", "alg %q is not a JWS signature algorithm tokenlab verifies (%s); the signature was not checked", v.alg, strings.Join(signingAlgs, ", "))
		return nil, false
	}
	if len(v.opts.Algorithms) > 0 && !slices.Contains(v.opts.Algorithms, v.alg) {
		v.add("alg", false, ref, "alg %s is not in the allowed list (%s); accept only the algorithms you expect from this issuer. The signature was not checked", v.alg, strings.Join(v.opts.Algorithms, ", "))
		return nil, false
	}
	if v.set == nil {
		v.add("alg", false, ref, "no key was given, so alg %s cannot be checked against one", v.alg)
		return nil, false
	}
	kid, _ := headerString(v.p.header, "kid")
	cands := v.set.candidates(kid, "")
	if len(cands) == 0 {
		// The kid names no key: the alg rule holds, the signature fails.
		v.add("alg", true, ref, "alg %s is a signature algorithm tokenlab accepts", v.alg)
		return nil, true
	}
	var fitting []jose.JSONWebKey
	var firstErr error
	for _, k := range cands {
		err := fitKey(v.alg, k.Key)
		if err == nil && k.Algorithm != "" && !declaredAlgFits(k.Algorithm, v.alg) {
			err = fmt.Errorf("%w: the key is declared for %s (its JWK alg, RFC 7517 §4.4) but the token says %s", ErrBadKey, k.Algorithm, v.alg)
		}
		if err == nil {
			fitting = append(fitting, k)
		} else if firstErr == nil {
			firstErr = err
		}
	}
	if len(fitting) == 0 {
		msg := strings.TrimPrefix(strings.TrimPrefix(firstErr.Error(), ErrBadKey.Error()+": "), ErrUnsupported.Error()+": ")
		r := ref + ", RFC 7518 §3"
		if strings.Contains(msg, "algorithm-confusion") {
			r = "RFC 8725 §2.1, §3.1"
		}
		v.add("alg", false, r, "%s. The signature was not checked", msg)
		return nil, false
	}
	msg := fmt.Sprintf("alg %s fits %s", v.alg, describeKey(fitting[0].Key))
	if spec.kty == "oct" {
		if n := keyBits(fitting[0].Key); n < spec.minBits {
			msg += fmt.Sprintf("; note that the secret has %d bits, less than the %d RFC 7518 §3.2 requires, so it can be guessed", n, spec.minBits)
		}
	}
	v.add("alg", true, ref, "%s", msg)
	return fitting, true
}

// checkSignature verifies the JWS signature with golang-jwt's signing
// methods over the token's own signing input (RFC 7515 §5.2).
func (v *verifier) checkSignature(keys []jose.JSONWebKey) {
	ref := v.ref("OIDC Core 3.1.3.7 step 6", "RFC 9068 §4", "OIDC Back-Channel Logout 1.0 §2.6", "RFC 7515 §5.2")
	if len(keys) == 0 {
		kid, _ := headerString(v.p.header, "kid")
		v.add("signature", false, ref, "no key in %s has kid %q (it has %s), so the signature cannot be verified: fetch the issuer's current JWKS", v.set.source, kid, v.set.kids())
		return
	}
	method := jwt.GetSigningMethod(v.alg)
	input := v.p.d.Parts[0] + "." + v.p.d.Parts[1]
	for _, k := range keys {
		if err := method.Verify(input, v.p.sig, verificationKey(k.Key)); err == nil {
			who := describeKey(k.Key)
			if k.KeyID != "" {
				who += fmt.Sprintf(" (kid %q)", k.KeyID)
			}
			v.add("signature", true, ref, "the %s signature is valid for %s", v.alg, who)
			return
		}
	}
	v.add("signature", false, ref, "the %s signature does not match %s: the token was changed after signing, or it was signed with another key", v.alg, describeKey(keys[0].Key))
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
		v.add("crit", false, ref, "crit must be a non-empty array of header parameter names, but it is %s", raw)
		return
	}
	for _, n := range names {
		if _, present := v.p.header[n]; !present {
			v.add("crit", false, ref, "crit lists %q, which the header does not contain", n)
			return
		}
	}
	v.add("crit", false, ref, "the header marks %s as critical, and tokenlab does not understand %s; a recipient must reject a JWS with critical parameters it does not implement", quoteList(names), plural(len(names), "it", "them"))
}

// checkTyp applies explicit typing: RFC 9068 §2.1/§4 for access tokens,
// Back-Channel Logout §2.4 for logout tokens, RFC 8725 §3.11 against
// cross-JWT confusion for ID tokens.
func (v *verifier) checkTyp() {
	typ, has := headerString(v.p.header, "typ")
	norm := strings.TrimPrefix(strings.ToLower(typ), "application/")
	switch v.kind {
	case KindAccessToken:
		ok := norm == "at+jwt"
		switch {
		case ok:
			v.add("typ", true, "RFC 9068 §2.1, §4", "typ is %q, the explicit type of a JWT access token", typ)
		case !has:
			v.add("typ", false, "RFC 9068 §2.1, §4", "the header has no typ; an RFC 9068 access token must say typ \"at+jwt\" so it cannot be mistaken for another kind of JWT")
		default:
			v.add("typ", false, "RFC 9068 §2.1, §4", "typ is %q; an RFC 9068 access token must be typed \"at+jwt\" (an ID token offered as an access token is a known attack)", typ)
		}
	case KindLogoutToken:
		switch {
		case norm == "logout+jwt":
			v.add("typ", true, "OIDC Back-Channel Logout 1.0 §2.4", "typ is %q, the explicit type of a logout token", typ)
		case !has || norm == "jwt":
			v.add("typ", true, "OIDC Back-Channel Logout 1.0 §2.4", "typ is %s; explicit typing with \"logout+jwt\" is recommended but not required", orAbsent(typ, has))
		default:
			v.add("typ", false, "OIDC Back-Channel Logout 1.0 §2.4", "typ is %q; a logout token is typed \"logout+jwt\"", typ)
		}
	case KindIDToken:
		if norm == "at+jwt" || norm == "logout+jwt" {
			v.add("typ", false, "RFC 8725 §3.11", "typ is %q, so this is not an ID token: accepting it as one is the cross-JWT confusion RFC 8725 §3.11 warns about", typ)
		} else if has {
			v.add("typ", true, "RFC 8725 §3.11", "typ is %q, which does not mark another token kind", typ)
		}
	}
}

// checkTimes applies exp, nbf and iat with golang-jwt's validator
// (RFC 7519 §4.1.4–§4.1.6), honouring Now and Leeway. Each value must first
// be a usable NumericDate (RFC 7519 §2, see numericDate): one that is not
// fails its check, and only the usable ones reach the validator, whose
// float-to-int64 conversion would otherwise wrap a huge value to a date in
// year 292277026596 (or before 1970) and pass or fail it by accident.
func (v *verifier) checkTimes() {
	type date struct {
		at              time.Time
		present, usable bool
	}
	dates := map[string]date{}
	usable := jwt.MapClaims{}
	for _, name := range []string{"exp", "nbf", "iat"} {
		value, present := v.claims[name]
		at, problem := numericDate(value)
		dates[name] = date{at: at, present: present, usable: present && problem == ""}
		if dates[name].usable {
			usable[name] = value
		}
	}
	validator := jwt.NewValidator(jwt.WithTimeFunc(func() time.Time { return v.now }), jwt.WithLeeway(v.opts.Leeway), jwt.WithIssuedAt())
	verr := validator.Validate(usable)
	leeway := ""
	if v.opts.Leeway > 0 {
		leeway = fmt.Sprintf(" (leeway %s)", v.opts.Leeway)
	}
	requireExp := v.kind == KindIDToken || v.kind == KindAccessToken || v.kind == KindLogoutToken
	expRef := v.ref("OIDC Core 3.1.3.7 step 9", "RFC 9068 §4", "OIDC Back-Channel Logout 1.0 §2.6", "RFC 7519 §4.1.4")
	switch exp := dates["exp"]; {
	case exp.present && !exp.usable:
		v.addUnusableDate("exp", expRef)
	case !exp.present:
		if requireExp {
			v.add("exp", false, expRef, "the token has no exp claim, but a %s must say when it expires", kindName(v.kind))
		}
	case errors.Is(verr, jwt.ErrTokenExpired):
		v.add("exp", false, expRef, "the token expired at %s, %s before now (%s)%s", stamp(exp.at), span(v.now.Sub(exp.at)), stamp(v.now), leeway)
	default:
		v.add("exp", true, expRef, "the token expires at %s, %s from now%s", stamp(exp.at), span(exp.at.Sub(v.now)), leeway)
	}
	switch nbf := dates["nbf"]; {
	case nbf.present && !nbf.usable:
		v.addUnusableDate("nbf", "RFC 7519 §4.1.5")
	case !nbf.present:
	case errors.Is(verr, jwt.ErrTokenNotValidYet):
		v.add("nbf", false, "RFC 7519 §4.1.5", "the token is not valid before %s, %s after now (%s)%s", stamp(nbf.at), span(nbf.at.Sub(v.now)), stamp(v.now), leeway)
	default:
		v.add("nbf", true, "RFC 7519 §4.1.5", "the token became valid at %s%s", stamp(nbf.at), leeway)
	}
	iatRef := v.ref("OIDC Core 3.1.3.7 step 10", "RFC 9068 §2.2", "OIDC Back-Channel Logout 1.0 §2.4", "RFC 7519 §4.1.6")
	switch iat := dates["iat"]; {
	case iat.present && !iat.usable:
		v.addUnusableDate("iat", iatRef)
	case !iat.present:
		if requireExp {
			v.add("iat", false, iatRef, "the token has no iat claim, but a %s must say when it was issued", kindName(v.kind))
		}
	case errors.Is(verr, jwt.ErrTokenUsedBeforeIssued):
		v.add("iat", false, iatRef, "the token claims to be issued at %s, %s in the future%s: the issuer's clock is off or the token is forged", stamp(iat.at), span(iat.at.Sub(v.now)), leeway)
	default:
		v.add("iat", true, iatRef, "the token was issued at %s, %s ago", stamp(iat.at), span(v.now.Sub(iat.at)))
	}
}

// addUnusableDate fails the check of a time claim whose value is not a
// usable NumericDate, saying what the value is and why.
func (v *verifier) addUnusableDate(name, ref string) {
	_, problem := numericDate(v.claims[name])
	if problem == notANumber {
		v.add(name, false, ref, "%s is %s, not a NumericDate (seconds since 1970)", name, v.claimText(name))
		return
	}
	v.add(name, false, ref+", RFC 7519 §2", "%s is %s, which is not a usable NumericDate (a number of seconds since 1970-01-01 UTC): %s", name, v.claimText(name), problem)
}

// maxNumericDate is 9999-12-31T23:59:59Z, the last instant RFC 3339 (and
// so every message here) can write.
const maxNumericDate = 253402300799

// numericDate converts a decoded claim value to a time when it is a usable
// NumericDate (RFC 7519 §2: seconds since 1970-01-01T00:00:00Z UTC, possibly
// fractional): a finite JSON number from 0 to maxNumericDate. Otherwise
// problem says why not; it is notANumber for a string, null or the like.
func numericDate(value any) (at time.Time, problem string) {
	n, isNumber := value.(json.Number)
	if !isNumber {
		return time.Time{}, notANumber
	}
	f, err := n.Float64()
	switch {
	case err != nil || math.IsInf(f, 0) || math.IsNaN(f):
		return time.Time{}, "it is too large to be a number of seconds at all"
	case f < 0:
		return time.Time{}, "it is before 1970, so no issuer can have meant it"
	case f > maxNumericDate:
		return time.Time{}, "it is after 9999-12-31T23:59:59Z (253402300799), the last date a timestamp can express"
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), ""
}

// notANumber is numericDate's problem with a value that is no number.
const notANumber = "it is not a number"

// checkIssuer compares iss exactly (OIDC Core 3.1.3.7 step 2, RFC 9068 §4).
func (v *verifier) checkIssuer() {
	ref := v.ref("OIDC Core 3.1.3.7 step 2", "RFC 9068 §4", "OIDC Back-Channel Logout 1.0 §2.6", "RFC 7519 §4.1.1")
	iss, err := v.claims.GetIssuer()
	_, present := v.claims["iss"]
	switch {
	case err != nil:
		v.add("iss", false, ref, "iss is %s, not a string", v.claimText("iss"))
	case !present:
		if v.opts.Issuer != "" || v.kind != KindJWT {
			v.add("iss", false, ref, "the token has no iss claim, so nothing says who issued it")
		}
	case v.opts.Issuer == "":
		if v.kind != KindJWT {
			v.add("iss", true, ref, "the issuer is %q; pass the expected issuer to compare it", iss)
		}
	case errors.Is(jwt.NewValidator(jwt.WithIssuer(v.opts.Issuer)).Validate(v.claims), jwt.ErrTokenInvalidIssuer):
		v.add("iss", false, ref, "the issuer is %q, but %q was expected; the comparison is exact, so a trailing slash or http/https difference matters", iss, v.opts.Issuer)
	default:
		v.add("iss", true, ref, "the issuer is %q, as expected", iss)
	}
}

// expectedAudience is the audience to compare: Audience, or for ID tokens
// the client ID (OIDC Core 3.1.3.7 step 3).
func (v *verifier) expectedAudience() string {
	if v.opts.Audience == "" && v.kind == KindIDToken {
		return v.opts.ClientID
	}
	return v.opts.Audience
}

// checkAudience requires aud to contain the expected audience.
func (v *verifier) checkAudience() {
	ref := v.ref("OIDC Core 3.1.3.7 step 3", "RFC 9068 §4", "OIDC Back-Channel Logout 1.0 §2.6", "RFC 7519 §4.1.3")
	want := v.expectedAudience()
	aud, err := v.claims.GetAudience()
	_, present := v.claims["aud"]
	switch {
	case err != nil:
		v.add("aud", false, ref, "aud is %s, not a string or an array of strings", v.claimText("aud"))
	case !present:
		if want != "" || (v.kind != KindJWT && v.kind != KindRefreshToken) {
			v.add("aud", false, ref, "the token has no aud claim, so nothing says who it is meant for")
		}
	case want == "":
		if v.kind != KindJWT {
			v.add("aud", true, ref, "the audience is %s; pass the expected audience to compare it", quoteList(aud))
		}
	case errors.Is(jwt.NewValidator(jwt.WithAudience(want)).Validate(v.claims), jwt.ErrTokenInvalidAudience):
		v.add("aud", false, ref, "the token is meant for %s, not for %q: a token for someone else must be refused", quoteList(aud), want)
	default:
		v.add("aud", true, ref, "the audience %s includes %q", quoteList(aud), want)
	}
}

// checkAzp applies OIDC Core 3.1.3.7 steps 4–5.
func (v *verifier) checkAzp() {
	const ref = "OIDC Core 3.1.3.7 steps 4–5"
	aud, _ := v.claims.GetAudience()
	raw, present := v.claims["azp"]
	azp, isString := raw.(string)
	clientID := v.opts.ClientID
	if clientID == "" {
		clientID = v.opts.Audience
	}
	switch {
	case present && !isString:
		v.add("azp", false, ref, "azp is %s, not a string", v.claimText("azp"))
	case !present && len(aud) > 1:
		v.add("azp", false, ref, "the token has %d audiences but no azp saying which client it was issued to", len(aud))
	case !present:
	case clientID != "" && azp != clientID:
		v.add("azp", false, ref, "azp is %q, but this client is %q: the token was issued to another client", azp, clientID)
	case clientID != "":
		v.add("azp", true, ref, "azp is %q, this client", azp)
	default:
		v.add("azp", true, ref, "azp is %q; pass the client ID to compare it", azp)
	}
}

// checkNonce compares the ID token nonce (OIDC Core 3.1.3.7 step 11); a
// logout token must have none (Back-Channel Logout §2.4).
func (v *verifier) checkNonce() {
	raw, present := v.claims["nonce"]
	if v.kind == KindLogoutToken {
		if present {
			v.add("nonce", false, "OIDC Back-Channel Logout 1.0 §2.4, §2.6", "a logout token must not contain a nonce, to prevent it being used as an ID token")
		} else {
			v.add("nonce", true, "OIDC Back-Channel Logout 1.0 §2.4, §2.6", "no nonce, as a logout token requires")
		}
		return
	}
	if v.opts.Nonce == "" {
		return
	}
	const ref = "OIDC Core 3.1.3.7 step 11"
	nonce, _ := raw.(string)
	switch {
	case !present:
		v.add("nonce", false, ref, "the token has no nonce, but the client sent %q: it may be a replay of a token from another login", v.opts.Nonce)
	case subtle.ConstantTimeCompare([]byte(nonce), []byte(v.opts.Nonce)) != 1:
		v.add("nonce", false, ref, "the nonce is %s, but the client sent %q: the token belongs to another login (a replay?)", v.claimText("nonce"), v.opts.Nonce)
	default:
		v.add("nonce", true, ref, "the nonce matches the one the client sent")
	}
}

// checkHash compares at_hash or c_hash with the given token or code when
// both are present (OIDC Core 3.1.3.6, 3.2.2.9, 3.3.2.11). It is skipped
// when alg names no hash (none, unknown): the alg check fails then.
func (v *verifier) checkHash(id, given, what, ref string) {
	raw, present := v.claims[id]
	if given == "" || !present {
		return
	}
	claimed, _ := raw.(string)
	want, err := halfHash(v.alg, given)
	switch {
	case err != nil:
		// No hash for this alg: the alg check has already failed.
	case claimed != want:
		v.add(id, false, ref, "%s is %s, but the %s given hashes to %q: they were not issued together", id, v.claimText(id), what, want)
	default:
		v.add(id, true, ref, "%s matches the %s given", id, what)
	}
}

// halfHash is the left half of the hash of s, with the hash of the JWS
// alg (OIDC Core 3.1.3.6; SHA-512 for EdDSA with Ed25519), base64url.
func halfHash(alg, s string) (string, error) {
	var h crypto.Hash
	switch {
	case alg == "EdDSA":
		h = crypto.SHA512
	case strings.HasSuffix(alg, "256"):
		h = crypto.SHA256
	case strings.HasSuffix(alg, "384"):
		h = crypto.SHA384
	case strings.HasSuffix(alg, "512"):
		h = crypto.SHA512
	default:
		return "", fmt.Errorf("%w: no hash is defined for alg %q", ErrUnsupported, alg)
	}
	d := h.New()
	d.Write([]byte(s))
	sum := d.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), nil
}

// checkSub requires a subject (OIDC Core §2, RFC 9068 §2.2); a logout
// token needs sub, sid or both (Back-Channel Logout §2.4).
func (v *verifier) checkSub() {
	sub, _ := v.claims["sub"].(string)
	switch v.kind {
	case KindLogoutToken:
		sid, _ := v.claims["sid"].(string)
		if sub == "" && sid == "" {
			v.add("sub", false, "OIDC Back-Channel Logout 1.0 §2.4", "a logout token must name the user (sub), the session (sid) or both, and this one has neither")
		} else {
			v.add("sub", true, "OIDC Back-Channel Logout 1.0 §2.4", "the logout names %s", joinNonEmpty("sub "+quoteIf(sub), "sid "+quoteIf(sid)))
		}
	default:
		ref := v.ref("OIDC Core 1.0 §2", "RFC 9068 §2.2", "", "RFC 7519 §4.1.2")
		if sub == "" {
			v.add("sub", false, ref, "the token has no sub (subject) string, which every %s requires", kindName(v.kind))
		} else {
			v.add("sub", true, ref, "the subject is %q", sub)
		}
	}
}

// checkClientID requires client_id in an access token (RFC 9068 §2.2)
// and compares it with ClientID when given.
func (v *verifier) checkClientID() {
	const ref = "RFC 9068 §2.2"
	cid, _ := v.claims["client_id"].(string)
	switch {
	case cid == "":
		v.add("client_id", false, ref, "the access token has no client_id naming the client it was issued to")
	case v.opts.ClientID != "" && cid != v.opts.ClientID:
		v.add("client_id", false, ref, "client_id is %q, but %q was expected", cid, v.opts.ClientID)
	default:
		v.add("client_id", true, ref, "client_id is %q", cid)
	}
}

// checkJTI requires a token ID (RFC 9068 §2.2, Back-Channel Logout §2.4).
func (v *verifier) checkJTI() {
	ref := v.ref("", "RFC 9068 §2.2", "OIDC Back-Channel Logout 1.0 §2.4", "RFC 7519 §4.1.7")
	if jti, _ := v.claims["jti"].(string); jti == "" {
		v.add("jti", false, ref, "the token has no jti (a unique ID that lets a receiver detect replays), which every %s requires", kindName(v.kind))
	} else {
		v.add("jti", true, ref, "the token ID is %q; a receiver may remember it to refuse replays", jti)
	}
}

// backchannelLogoutEvent is the events member of a logout token.
const backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// checkEvents requires the logout event (Back-Channel Logout §2.4).
func (v *verifier) checkEvents() {
	const ref = "OIDC Back-Channel Logout 1.0 §2.4"
	events, _ := v.claims["events"].(map[string]any)
	if _, ok := events[backchannelLogoutEvent].(map[string]any); ok {
		v.add("events", true, ref, "events contains the back-channel logout event")
	} else {
		v.add("events", false, ref, "a logout token must have an events claim with the member %q whose value is a JSON object", backchannelLogoutEvent)
	}
}

// claimText renders a claim value for messages.
func (v *verifier) claimText(name string) string {
	b, err := json.Marshal(v.claims[name])
	if err != nil {
		return "unprintable"
	}
	return string(b)
}

// kindName spells a kind for people.
func kindName(k Kind) string {
	switch k {
	case KindIDToken:
		return "ID token"
	case KindAccessToken:
		return "access token"
	case KindLogoutToken:
		return "logout token"
	case KindRefreshToken:
		return "refresh token"
	}
	return "JWT"
}

// stamp formats a time as RFC 3339 UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// span renders a duration in its largest units, e.g. "3d 4h", "12m 5s".
func span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	switch {
	case days >= 365:
		return fmt.Sprintf("%dy %dd", days/365, days%365)
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm %ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

// quoteList renders strings as "a", "b".
func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func quoteIf(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("%q", s)
}

// joinNonEmpty joins "label value" pairs whose value is set.
func joinNonEmpty(pairs ...string) string {
	var out []string
	for _, p := range pairs {
		if !strings.HasSuffix(p, " ") {
			out = append(out, p)
		}
	}
	return strings.Join(out, " and ")
}

func orAbsent(s string, has bool) string {
	if !has {
		return "absent"
	}
	return fmt.Sprintf("%q", s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// declaredAlgFits reports whether a key declared for alg declared (its JWK
// "alg") may verify a token signed with tokenAlg. RFC 9864 §2.2 names the
// fully-specified "Ed25519" for what "EdDSA" means with an Ed25519 key, and
// WebCrypto exports Ed25519 keys with that name.
func declaredAlgFits(declared, tokenAlg string) bool {
	return declared == tokenAlg || (declared == "Ed25519" && tokenAlg == "EdDSA")
}
