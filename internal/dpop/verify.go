package dpop

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// VerifyOptions describe the request a proof arrived with: the options of
// tokenlab's verify for a DPoP proof (docs/API.md), each field's json tag
// its JavaScript name. Every field is optional; a comparison without its
// expected value is skipped.
type VerifyOptions struct {
	// HTM is the request's HTTP method (§4.3 step 8); without it the
	// result is not Complete.
	HTM string `json:"htm"`
	// HTU is the request's URI (§4.3 step 9); without it the result is
	// not Complete.
	HTU string `json:"htu"`
	// AccessToken is the token sent with the proof (Authorization: DPoP
	// …): ath must be its hash, and when it is a JWT with cnf.jkt, the
	// proof's key must be the one it is bound to (§4.3 step 12, §7.1).
	AccessToken string `json:"accessToken"`
	// Nonce is the DPoP-Nonce the server sent (§4.3 step 10).
	Nonce string `json:"nonce"`
	// Now is the server's clock; zero means time.Now(). In JSON: Unix
	// seconds.
	Now time.Time `json:"now"`
	// Leeway is the clock skew allowed for iat. In JSON: seconds.
	Leeway time.Duration `json:"leeway"`
	// IATWindow is how old a proof may be (§4.3 step 11, §11.1); zero
	// means token.DefaultIATWindow (five minutes). In JSON: seconds.
	IATWindow time.Duration `json:"iatWindow"`
	// Algorithms, when not empty, is the allow-list of algorithms (§4.3
	// step 5: "supported by the application, and acceptable per local
	// policy").
	Algorithms []string `json:"algorithms"`
	// Key, when set, is the key the verifier expects the client to use
	// (as token.ImportKey takes it): the proof's jwk must be that key.
	// The signature is always checked with the proof's own jwk.
	Key token.KeyInput `json:"key"`
}

// UnmarshalJSON reads verify's JavaScript options for a DPoP proof: each
// field by its json name, now in Unix seconds, leeway and iatWindow in
// seconds.
func (o *VerifyOptions) UnmarshalJSON(b []byte) error {
	type fields VerifyOptions // the same fields, without this method
	return token.DecodeOptions(b, (*fields)(o),
		token.UnixSeconds("now", &o.Now),
		token.Seconds("leeway", "the allowed clock skew", &o.Leeway),
		token.Seconds("iatWindow", "how old a proof may be", &o.IATWindow))
}

// Verified is the outcome of Verify: token's verdict plus the proof key's
// thumbprint.
type Verified struct {
	token.Verified
	// JKT is the RFC 7638 thumbprint of the proof's jwk: what cnf.jkt of
	// an access token bound to this key is (§6.1). "" when jwk is unusable.
	JKT string `json:"jkt"`
}

// refs cite the checks.
const (
	refSyntax  = "RFC 9449 §4.2, §4.3 step 3"
	refTyp     = "RFC 9449 §4.3 step 4"
	refAlg     = "RFC 9449 §4.3 step 5"
	refSig     = "RFC 9449 §4.3 step 6"
	refJWK     = "RFC 9449 §4.2, §4.3 step 7"
	refHTM     = "RFC 9449 §4.3 step 8"
	refHTU     = "RFC 9449 §4.3 step 9"
	refNonce   = "RFC 9449 §4.3 step 10, §8"
	refIat     = "RFC 9449 §4.3 step 11, §11.1"
	refATH     = "RFC 9449 §4.2, §4.3 step 12"
	refBinding = "RFC 9449 §4.3 step 12, §6.1, §7.1"
)

// Verify checks a DPoP proof by RFC 9449 §4.3, each rule a check: typ
// dpop+jwt; an asymmetric alg (never none or an HMAC); a jwk header that
// is a public key, with which the signature verifies; jti present; htm
// and htu equal to the request's (htu compared without query and fragment,
// normalized per RFC 3986 §6.2.2–6.2.3); iat within the window; nonce,
// ath and the access token's cnf.jkt when the server's values are given.
// It is stateless: a replayed proof (a jti seen before) passes here and
// must be refused by the server, which remembers jtis (§11.1). Input that
// is not one compact JWS is an error.
func Verify(proof string, opts VerifyOptions) (*Verified, error) {
	proof = strings.TrimSpace(proof)
	if name, value, ok := strings.Cut(proof, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "dpop") {
		proof = strings.TrimSpace(value)
	}
	if strings.Contains(proof, ",") {
		return nil, fmt.Errorf("%w: the input holds more than one value (a comma): a request carries exactly one DPoP header holding one proof (RFC 9449 §4.3 steps 1–2)", token.ErrMalformed)
	}
	d, err := token.Decode(proof)
	if err != nil {
		return nil, err
	}
	if d.Format == token.FormatJWE {
		return nil, fmt.Errorf("%w: a DPoP proof is a signed JWT (JWS), not a JWE (RFC 9449 §4.2)", token.ErrMalformed)
	}
	v := &verifier{d: d, opts: opts, now: opts.Now, header: members(d.Header), claims: members(d.Payload)}
	if v.now.IsZero() {
		v.now = time.Now()
	}
	v.run(proof)
	o := token.Tally(vocab.DPoPProof.Name(), v.checks, v.missing)
	return &Verified{
		Verified: token.Verified{
			Valid: o.Valid, Complete: o.Complete, Missing: o.Missing, Verdict: o.Verdict, Summary: o.Summary,
			Kind: vocab.DPoPProof, Requested: vocab.DPoPProof, Strict: true, Header: d.Header, Payload: d.Payload, Checks: v.checks,
		},
		JKT: v.jkt,
	}, nil
}

// verifier accumulates the checks of one Verify call.
type verifier struct {
	d       *token.Decoded
	opts    VerifyOptions
	now     time.Time
	header  map[string]any
	claims  map[string]any
	jkt     string
	checks  []token.Check
	missing []string
}

func (v *verifier) add(id string, status token.Status, ref, format string, args ...any) {
	v.checks = append(v.checks, token.Check{ID: id, Status: status, OK: status != token.StatusFail, Message: fmt.Sprintf(format, args...), Ref: ref})
}

func (v *verifier) run(proof string) {
	v.checkTyp()
	jwk, keyOK := v.checkJWK()
	if v.checkAlg() && keyOK {
		v.checkSignature(proof, jwk)
	} else {
		v.add("signature", token.StatusSkip, refSig, "the signature was not checked: %s", map[bool]string{true: "the jwk header holds no usable public key", false: "the alg is not one a DPoP proof may use"}[v.algOK()])
	}
	v.checkJTI()
	v.checkHTM()
	v.checkHTU()
	v.checks = append(v.checks, token.CheckIssuedAt(v.d.Payload, "iat", refIat, v.now, v.opts.IATWindow, v.opts.Leeway))
	v.checkNonce()
	v.checkATH()
	v.checkBinding()
	v.checkExpectedKey()
}

// checkExpectedKey compares the proof's key with the one the verifier
// expects, when it gave one.
func (v *verifier) checkExpectedKey() {
	if v.opts.Key == "" {
		return
	}
	k, err := token.ImportKey(string(v.opts.Key), token.ImportOptions{})
	switch {
	case err != nil:
		v.add("key", token.StatusFail, refBinding, "the key given cannot be read, so it cannot be compared with the proof's: %s", strings.TrimPrefix(err.Error(), "token: "))
	case v.jkt == "":
		v.add("key", token.StatusFail, refBinding, "the proof carries no usable key to compare with the key given (thumbprint %s)", k.Thumbprint)
	case k.Thumbprint != v.jkt:
		v.add("key", token.StatusFail, refBinding, "the proof is signed with the key in its jwk (thumbprint %s), not with the key given (thumbprint %s): another client's proof", v.jkt, k.Thumbprint)
	default:
		v.add("key", token.StatusPass, refBinding, "the proof's jwk is the key given (thumbprint %s)", v.jkt)
	}
}

// checkTyp: typ dpop+jwt (§4.2), compared as a media type (RFC 7515
// §4.1.9: case-insensitive, "application/" optional).
func (v *verifier) checkTyp() {
	raw, present := v.header["typ"]
	typ, _ := raw.(string)
	if strings.EqualFold(strings.TrimPrefix(strings.ToLower(typ), "application/"), "dpop+jwt") {
		v.add("typ", token.StatusPass, refTyp, "typ is %q: the JWT declares itself a DPoP proof", typ)
		return
	}
	v.add("typ", token.StatusFail, refTyp, "typ is %s, not \"dpop+jwt\": a DPoP proof must be explicitly typed, so that no other JWT signed by the client's key passes for one", textOr(raw, present))
}

// algOK reports whether alg names an asymmetric JWS algorithm.
func (v *verifier) algOK() bool {
	alg, _ := v.header["alg"].(string)
	return alg != "" && !strings.EqualFold(alg, "none") && !strings.HasPrefix(alg, "HS") && alg != "dir" && !strings.Contains(alg, "KW") && !strings.HasPrefix(alg, "RSA") && !strings.HasPrefix(alg, "ECDH") && !strings.HasPrefix(alg, "PBES2")
}

// checkAlg fails none, MACs and JWE algorithms (§4.2, §4.3 step 5); a
// usable alg is judged by token.Verify with the signature.
func (v *verifier) checkAlg() bool {
	raw, present := v.header["alg"]
	alg, _ := raw.(string)
	switch {
	case v.algOK():
		return true
	case !present:
		v.add("alg", token.StatusFail, refAlg, "the header has no alg")
	case strings.EqualFold(alg, "none"):
		v.add("alg", token.StatusFail, refAlg, "alg is %q: the proof is unsigned, so it proves nothing; a DPoP proof must not use none", alg)
	case strings.HasPrefix(alg, "HS"):
		v.add("alg", token.StatusFail, refAlg, "alg is %s, a MAC with a shared secret; a DPoP proof is signed with an asymmetric key whose public half is in jwk, so the server needs no secret", alg)
	default:
		v.add("alg", token.StatusFail, refAlg, "alg is %s, not an asymmetric JWS signature algorithm", textOr(raw, present))
	}
	return false
}

// checkJWK: the header's jwk is a public key (§4.2, §4.3 step 7).
func (v *verifier) checkJWK() (string, bool) {
	raw, present := v.header["jwk"]
	obj, isObject := raw.(map[string]any)
	if !present || !isObject {
		v.add("jwk", token.StatusFail, refJWK, "the header has %s; a DPoP proof carries the client's public key as a JWK object in jwk", map[bool]string{true: "a jwk that is not a JSON object", false: "no jwk"}[present])
		return "", false
	}
	text, _ := json.Marshal(obj)
	k, err := token.ImportKey(string(text), token.ImportOptions{})
	if err != nil {
		v.add("jwk", token.StatusFail, refJWK, "jwk is not a usable public key: %s", strings.TrimPrefix(err.Error(), "token: "))
		return "", false
	}
	if k.Kty == "oct" {
		v.add("jwk", token.StatusFail, refJWK, "jwk is a symmetric (oct) key, which cannot verify a signature without being a secret shared with everyone who sees the proof")
		return "", false
	}
	v.jkt = k.Thumbprint
	if k.Private {
		v.add("jwk", token.StatusFail, refJWK, "jwk holds a private key (%s): the client published the secret half of its DPoP key, so anyone who saw this proof can make new ones. A jwk must hold only the public key", privateMembers(obj))
		return string(text), true
	}
	v.add("jwk", token.StatusPass, refJWK, "jwk is %s, RFC 7638 thumbprint %s", k.Description, k.Thumbprint)
	return string(text), true
}

// checkSignature verifies the proof with its own jwk through token.Verify,
// keeping its algorithm, signature and header checks.
func (v *verifier) checkSignature(proof, jwk string) {
	res, err := token.Verify(proof, token.VerifyOptions{Key: token.KeyInput(jwk), Now: v.now, Leeway: v.opts.Leeway, Kind: vocab.JWT, Algorithms: v.opts.Algorithms})
	if err != nil {
		v.add("signature", token.StatusFail, refSig, "the signature could not be checked: %s", strings.TrimPrefix(err.Error(), "token: "))
		return
	}
	for _, c := range res.Checks {
		switch c.ID {
		case "alg", "signature", "crit", "exp", "nbf":
			if c.ID == "signature" {
				c.Ref = refSig
				c.Message = strings.Replace(c.Message, "is valid for", "is valid for the proof's own jwk,", 1)
			}
			v.checks = append(v.checks, c)
		}
	}
}

func (v *verifier) checkJTI() {
	raw, present := v.claims["jti"]
	jti, isString := raw.(string)
	if !isString || jti == "" {
		v.add("jti", token.StatusFail, refSyntax, "jti is %s; every DPoP proof has a unique jti, by which a server detects a replayed proof", textOr(raw, present))
		return
	}
	v.add("jti", token.StatusPass, refSyntax, "jti is %q. A server must refuse a proof whose jti it has already accepted within the iat window (§11.1); tokenlab keeps no state, so it cannot see a replay", jti)
}

func (v *verifier) checkHTM() {
	raw, present := v.claims["htm"]
	htm, isString := raw.(string)
	want := v.opts.HTM
	switch {
	case !isString || htm == "":
		v.add("htm", token.StatusFail, refSyntax, "htm is %s; a DPoP proof names the HTTP method of its request", textOr(raw, present))
	case want == "":
		v.add("htm", token.StatusSkip, refHTM, "htm is %q; not compared: give the request's method", htm)
		v.missing = append(v.missing, "htm")
	case htm == want:
		v.add("htm", token.StatusPass, refHTM, "htm is %q, the request's method", htm)
	case strings.EqualFold(htm, want):
		v.add("htm", token.StatusFail, refHTM, "htm is %q but the request's method is %q: methods are case-sensitive (RFC 9110 §9.1)", htm, want)
	default:
		v.add("htm", token.StatusFail, refHTM, "htm is %q, but the request is %s: the proof was made for another request", htm, want)
	}
}

func (v *verifier) checkHTU() {
	raw, present := v.claims["htu"]
	htu, isString := raw.(string)
	want := v.opts.HTU
	got, ok := normalizeURI(htu)
	switch {
	case !isString || htu == "":
		v.add("htu", token.StatusFail, refSyntax, "htu is %s; a DPoP proof names the URI of its request", textOr(raw, present))
	case !ok:
		v.add("htu", token.StatusFail, refSyntax, "htu %q is not an absolute URI", htu)
	case want == "":
		v.add("htu", token.StatusSkip, refHTU, "htu is %q; not compared: give the request's URI", htu)
		v.missing = append(v.missing, "htu")
	default:
		expected, wantOK := normalizeURI(want)
		switch {
		case !wantOK:
			v.add("htu", token.StatusFail, refHTU, "the request URI given, %q, is not an absolute URI, so htu %q cannot match it", want, htu)
		case got != expected:
			v.add("htu", token.StatusFail, refHTU, "htu is %q, but the request is to %q (compared as %s and %s, without query and fragment): the proof was made for another URL", htu, want, got, expected)
		case htu != want:
			v.add("htu", token.StatusPass, refHTU, "htu %q matches the request URI %q once normalized (RFC 3986 §6.2.2–6.2.3) without query and fragment: both are %s", htu, want, got)
		default:
			v.add("htu", token.StatusPass, refHTU, "htu is %q, the request's URI", htu)
		}
	}
}

func (v *verifier) checkNonce() {
	raw, present := v.claims["nonce"]
	nonce, _ := raw.(string)
	want := v.opts.Nonce
	switch {
	case want == "" && present:
		v.add("nonce", token.StatusSkip, refNonce, "nonce is %s; not compared: give the DPoP-Nonce the server sent", textOr(raw, present))
	case want == "":
	case !present:
		v.add("nonce", token.StatusFail, refNonce, "the proof has no nonce, but the server sent %q: it answers with error use_dpop_nonce and the new nonce", want)
	case subtle.ConstantTimeCompare([]byte(nonce), []byte(want)) != 1:
		v.add("nonce", token.StatusFail, refNonce, "nonce is %s, but the server's is %q: a stale or foreign proof", textOr(raw, present), want)
	default:
		v.add("nonce", token.StatusPass, refNonce, "nonce is the one the server sent")
	}
}

func (v *verifier) checkATH() {
	raw, present := v.claims["ath"]
	ath, _ := raw.(string)
	switch {
	case v.opts.AccessToken == "" && present:
		v.add("ath", token.StatusSkip, refATH, "ath is %s; not compared: give the access token sent with the proof", textOr(raw, present))
	case v.opts.AccessToken == "":
	case !present:
		v.add("ath", token.StatusFail, refATH, "the proof has no ath, but an access token was sent with it: a proof for a protected resource must carry the hash of its access token")
	case ath != AccessTokenHash(v.opts.AccessToken):
		v.add("ath", token.StatusFail, refATH, "ath is %s, but the access token hashes to %q: the proof was made for another access token", textOr(raw, present), AccessTokenHash(v.opts.AccessToken))
	default:
		v.add("ath", token.StatusPass, refATH, "ath is the SHA-256 hash of the access token given")
	}
}

// checkBinding compares the access token's cnf.jkt with the proof key's
// thumbprint (§6.1, §7.1).
func (v *verifier) checkBinding() {
	if v.opts.AccessToken == "" {
		return
	}
	at, err := token.Decode(v.opts.AccessToken)
	if err != nil || at.Format != token.FormatJWS {
		v.add("jkt", token.StatusSkip, refBinding, "the access token is not a signed JWT, so its binding is known only to its authorization server (token introspection returns cnf.jkt, RFC 9449 §6.2); not compared")
		return
	}
	cnf, _ := members(at.Payload)["cnf"].(map[string]any)
	jkt, hasJKT := cnf["jkt"].(string)
	switch {
	case !hasJKT:
		v.add("jkt", token.StatusWarn, refBinding, "the access token has no cnf.jkt: it is not bound to a DPoP key, so a proof adds nothing, and whoever holds the token can use it (a bearer token)")
	case v.jkt == "":
		v.add("jkt", token.StatusFail, refBinding, "the access token is bound to the key with thumbprint %s, and the proof carries no usable key", jkt)
	case jkt != v.jkt:
		v.add("jkt", token.StatusFail, refBinding, "the access token is bound to the key with thumbprint %s, but the proof is signed with the key %s: someone else's proof, or a stolen token", jkt, v.jkt)
	default:
		v.add("jkt", token.StatusPass, refBinding, "the access token's cnf.jkt is the thumbprint of the proof's key: the client holds the key the token is bound to")
	}
}

// members decodes a JSON object; anything else gives no members.
func members(raw json.RawMessage) map[string]any {
	out := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&out) != nil || out == nil {
		return map[string]any{}
	}
	return out
}

// textOr renders a value for messages, or "absent".
func textOr(v any, present bool) string {
	if !present {
		return "absent"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "unprintable"
	}
	return string(b)
}

// privateMembers names a JWK's private members.
func privateMembers(jwk map[string]any) string {
	var names []string
	for _, m := range []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"} {
		if _, ok := jwk[m]; ok {
			names = append(names, m)
		}
	}
	return "it has " + strings.Join(names, ", ")
}
