package sdjwt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// VerifyOptions say what to verify an SD-JWT against: the options of
// tokenlab's verify for an SD-JWT (docs/API.md), each field's json tag its
// JavaScript name. Only Key is required; each other field adds the
// comparisons that use it.
type VerifyOptions struct {
	// Key is the issuer's public key as token.ImportKey takes it (a JWKS
	// is searched by kid).
	Key token.KeyInput `json:"key"`
	// Issuer is the expected iss (RFC 9901 §7.1 step 2.3).
	Issuer string `json:"issuer"`
	// Audience identifies the verifier: compared with the KB-JWT's aud
	// (§7.3 step 5.6), and with the issuer-signed JWT's aud when it has
	// one.
	Audience string `json:"audience"`
	// Nonce is the nonce the verifier sent for this presentation, compared
	// with the KB-JWT's (§7.3 step 5.6). Giving one requires key binding:
	// only a KB-JWT carries a nonce.
	Nonce string `json:"nonce"`
	// RequireKeyBinding makes a presentation without a KB-JWT fail (§7.3
	// steps 1–2). Without it, and without Nonce, a missing KB-JWT is a
	// warning when the issuer bound a holder key (cnf) and a skip when not.
	RequireKeyBinding bool `json:"requireKeyBinding"`
	// Now is the time to verify at; zero means time.Now(). In JSON: Unix
	// seconds.
	Now time.Time `json:"now"`
	// Leeway is the clock skew allowed for exp, nbf and iat. In JSON:
	// seconds.
	Leeway time.Duration `json:"leeway"`
	// IATWindow is how old a KB-JWT may be (§7.3 step 5.5); zero means
	// token.DefaultIATWindow (five minutes). In JSON: seconds.
	IATWindow time.Duration `json:"iatWindow"`
	// Algorithms, when not empty, is the allow-list of the issuer's JWS
	// algorithms (RFC 8725 §3.1).
	Algorithms []string `json:"algorithms"`
	// Kind names the result: vocab.SDJWT, vocab.SDJWTVC, or "" and
	// vocab.Auto for the kind the SD-JWT declares (see IsVC). RFC 9901's
	// rules apply to both; any other kind is refused.
	Kind vocab.Kind `json:"kind"`
}

// Verified is the outcome of Verify: token's verdict (valid, complete,
// missing, verdict, summary, kind, header and payload of the issuer-signed
// JWT, checks) plus what Decode shows.
type Verified struct {
	token.Verified
	SDAlg       string          `json:"sdAlg"`
	Disclosures []Disclosure    `json:"disclosures"`
	Processed   json.RawMessage `json:"processed"`
	Undisclosed int             `json:"undisclosed"`
	KB          *KB             `json:"kb,omitempty"`
}

// IsVC reports whether an SD-JWT is an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc
// §3.2): its header typ is dc+sd-jwt (or vc+sd-jwt, the earlier name), or
// its processed claims have vct, the credential type.
func IsVC(header json.RawMessage, processed map[string]any) bool {
	typ, _ := stringParam(header, "typ")
	typ = strings.TrimPrefix(strings.ToLower(typ), "application/")
	_, hasVCT := processed["vct"]
	return typ == "dc+sd-jwt" || typ == "vc+sd-jwt" || hasVCT
}

// claimChecks are token.Verify's checks of claims, which Verify applies to
// the processed payload instead of the issuer-signed JWT's.
var claimChecks = map[string]bool{"exp": true, "nbf": true, "iat": true, "iss": true, "aud": true}

// Check ids and citations of key binding (RFC 9901 §4.3, §7.3).
const (
	refKeyBinding = "RFC 9901 §7.3 steps 1–2, §9.5"
	refKBTyp      = "RFC 9901 §4.3, §7.3 step 5.4"
	refKBSig      = "RFC 9901 §4.3.2, §7.3 steps 5.1–5.3"
	refKBIat      = "RFC 9901 §7.3 step 5.5"
	refKBAudNonce = "RFC 9901 §4.3, §7.3 step 5.6"
	refSDHash     = "RFC 9901 §4.3.1, §7.3 step 5.7"
)

// Verify verifies an SD-JWT or SD-JWT+KB as RFC 9901 §7.1 and §7.3 say:
// the issuer-signed JWT with token.Verify (algorithm, signature, critical
// headers; issuer_key fails a shared-secret MAC, §4.1), the time claims, iss and aud of the processed payload (so a
// selectively disclosed exp counts, §7.1 step 6), then one check per rule
// of the SD-JWT: _sd_alg (sd_alg), unique digests (digests), every
// disclosure referenced once in a place its form fits (disclosures),
// reserved and repeated claim names (claim_names), and key binding
// (key_binding; with a KB-JWT: kb_typ, kb_alg, kb_signature by the key in
// cnf.jwk, kb_iat within IATWindow, kb_aud, kb_nonce, sd_hash). A check
// fails only when the SD-JWT contradicts something; a comparison without
// an expected value is skipped, and the result is not Complete without
// the issuer, audience and nonce a verifier must compare. Input that
// cannot be read, or a key that cannot be used, is an error.
func Verify(s string, opts VerifyOptions) (*Verified, error) {
	switch opts.Kind {
	case "", vocab.Auto, vocab.SDJWT, vocab.SDJWTVC:
	default:
		return nil, fmt.Errorf("%w: this is an SD-JWT (it has ~-separated disclosures, RFC 9901 §4); verify it with kind auto, sd_jwt or sd_jwt_vc, not %q", token.ErrBadRequest, opts.Kind)
	}
	if opts.Key == "" {
		return nil, fmt.Errorf("%w: verifying an SD-JWT needs the issuer's public key (key), to check the issuer-signed JWT", token.ErrBadRequest)
	}
	d, err := Decode(s)
	if err != nil {
		return nil, err
	}
	v := &sdVerifier{d: d, p: d.parsed, opts: opts, now: opts.Now, window: opts.IATWindow}
	if v.now.IsZero() {
		v.now = time.Now()
	}
	v.processed = claimsOf(d.Processed)
	if err := v.verifyIssuerJWT(); err != nil {
		return nil, err
	}
	v.ruleChecks()
	v.keyBinding()
	requested, kind := opts.Kind, opts.Kind
	if kind == "" || kind == vocab.Auto {
		requested, kind = vocab.Auto, vocab.SDJWT
		if IsVC(d.Header, v.processed) {
			kind = vocab.SDJWTVC
		}
	}
	o := token.Tally(kind.Name(), v.checks, v.missing)
	return &Verified{
		Verified: token.Verified{
			Valid: o.Valid, Complete: o.Complete, Missing: o.Missing, Verdict: o.Verdict, Summary: o.Summary,
			Kind: kind, Requested: requested, Strict: true, Header: d.Header, Payload: d.Payload, Checks: v.checks,
		},
		SDAlg: d.SDAlg, Disclosures: d.Disclosures, Processed: d.Processed, Undisclosed: d.Undisclosed, KB: d.KB,
	}, nil
}

// sdVerifier accumulates the checks of one Verify call.
type sdVerifier struct {
	d         *Decoded
	p         *parsed
	opts      VerifyOptions
	now       time.Time
	window    time.Duration
	processed map[string]any
	checks    []token.Check
	missing   []string
}

// miss notes mandatory comparisons that were not made, each once: aud
// may be missing from both the processed payload and the KB-JWT.
func (v *sdVerifier) miss(ids ...string) {
	for _, id := range ids {
		if !slices.Contains(v.missing, id) {
			v.missing = append(v.missing, id)
		}
	}
}

func (v *sdVerifier) add(id string, status token.Status, ref, format string, args ...any) {
	v.checks = append(v.checks, token.Check{ID: id, Status: status, OK: status != token.StatusFail, Message: fmt.Sprintf(format, args...), Ref: ref})
}

// verifyIssuerJWT applies the JWS rules to the issuer-signed JWT (§7.1
// step 2) and the claim rules to the processed payload (§7.1 step 6).
func (v *sdVerifier) verifyIssuerJWT() error {
	res, err := token.Verify(v.p.issuerJWT, token.VerifyOptions{Key: v.opts.Key, Now: v.now, Leeway: v.opts.Leeway, Kind: vocab.JWT, Algorithms: v.opts.Algorithms})
	if err != nil {
		return err
	}
	for _, c := range res.Checks {
		if !claimChecks[c.ID] {
			v.checks = append(v.checks, c)
		}
	}
	if alg, _ := stringParam(v.d.Header, "alg"); strings.HasPrefix(alg, "HS") {
		v.add("issuer_key", token.StatusFail, "RFC 9901 §4.1, §9.1", "the issuer-signed JWT is signed with %s, a shared secret: every verifier that can check it can also forge credentials. An SD-JWT must be signed with the issuer's private key", alg)
	}
	opts := token.VerifyOptions{Issuer: v.opts.Issuer, Now: v.now, Leeway: v.opts.Leeway}
	if _, hasAud := v.processed["aud"]; hasAud {
		opts.Audience = v.opts.Audience
	}
	checks, missing, err := token.CheckClaims(v.d.Processed, opts)
	if err != nil {
		return err
	}
	v.checks = append(v.checks, checks...)
	if _, hasIss := v.processed["iss"]; hasIss && v.opts.Issuer == "" {
		// RFC 9901 §7.1 step 2.3: validate the issuer and that the key is
		// its key; without an expected issuer that was not done.
		v.miss("iss")
	}
	v.miss(missing...)
	return nil
}

// ruleChecks reports each SD-JWT rule: the problems processing found, or
// a pass saying what holds.
func (v *sdVerifier) ruleChecks() {
	n := len(v.d.Disclosures)
	passes := map[string]string{
		checkSDAlg:       fmt.Sprintf("the digests are %s (%s)", v.d.SDAlg, orDefault(v.p.payload.has("_sd_alg"))),
		checkDigests:     fmt.Sprintf("every digest is unique; %d %s no disclosure in this presentation (claims not disclosed, or decoys)", v.d.Undisclosed, plural(v.d.Undisclosed, "digest has", "digests have")),
		checkDisclosures: fmt.Sprintf("each of the %d %s is referenced by exactly one digest of the issuer-signed JWT or of another presented disclosure, in a place its form fits", n, plural(n, "disclosure", "disclosures")),
		checkClaimNames:  "no disclosure uses a reserved claim name (_sd, ...) or one that is already there",
	}
	if n == 1 {
		passes[checkDisclosures] = "the one disclosure is referenced by exactly one digest of the issuer-signed JWT, in a place its form fits"
	}
	if n == 0 {
		passes[checkDisclosures] = "no disclosures were presented: the verifier sees only the claims the issuer signed in plain text"
	}
	for _, id := range []string{checkSDAlg, checkDigests, checkDisclosures, checkClaimNames} {
		failed := false
		for _, pr := range v.d.problems {
			if pr.check == id {
				v.add(id, token.StatusFail, refs[id], "%s", pr.message)
				failed = true
			}
		}
		if !failed {
			v.add(id, token.StatusPass, refs[id], "%s", passes[id])
		}
	}
}

func orDefault(explicit bool) string {
	if explicit {
		return "_sd_alg"
	}
	return "no _sd_alg: the default"
}

// keyBinding applies RFC 9901 §7.3: whether a KB-JWT is required, and
// with one, its type, signature by the holder's key, age, aud, nonce and
// sd_hash.
func (v *sdVerifier) keyBinding() {
	cnf, hasCnf := v.processed["cnf"].(map[string]any)
	required := v.opts.RequireKeyBinding || v.opts.Nonce != ""
	if v.p.kb == nil {
		why := "key binding is required (requireKeyBinding)"
		if !v.opts.RequireKeyBinding {
			why = fmt.Sprintf("a nonce (%q) was given, and only a KB-JWT carries one", v.opts.Nonce)
		}
		switch {
		case required:
			v.add("key_binding", token.StatusFail, refKeyBinding, "there is no Key Binding JWT (the presentation ends with ~), but %s: nothing proves that whoever presents this SD-JWT holds the holder's key", why)
		case hasCnf:
			v.add("key_binding", token.StatusWarn, refKeyBinding, "the issuer bound this SD-JWT to a holder key (cnf), but no Key Binding JWT was presented: the holder did not prove possession of that key, so a copied SD-JWT would pass. A verifier that relies on the binding requires a KB-JWT")
		default:
			v.add("key_binding", token.StatusSkip, refKeyBinding, "no Key Binding JWT, and the issuer bound no holder key (no cnf): whoever has this SD-JWT can present it")
		}
		return
	}
	v.add("key_binding", token.StatusPass, refKeyBinding, "a Key Binding JWT is present: the holder signed this presentation")
	kbClaims := claimsOf(v.d.KB.Payload)
	typ, _ := stringParam(v.d.KB.Header, "typ")
	if typ == "kb+jwt" {
		v.add("kb_typ", token.StatusPass, refKBTyp, "the KB-JWT's typ is \"kb+jwt\"")
	} else {
		v.add("kb_typ", token.StatusFail, refKBTyp, "the KB-JWT's typ is %s, not \"kb+jwt\": a KB-JWT must be typed so that no other JWT passes for one", headerText(v.d.KB.Header, "typ"))
	}
	jwk, hasJWK := cnf["jwk"]
	switch {
	case !hasCnf:
		v.add("kb_signature", token.StatusFail, refKBSig, "the issuer-signed JWT names no holder key (no cnf), so no key can verify this KB-JWT: it proves nothing")
	case !hasJWK:
		v.add("kb_signature", token.StatusSkip, refKBSig, "cnf names the holder's key by reference (%s), not by value as cnf.jwk: tokenlab cannot find the key to verify the KB-JWT", memberNames(cnf))
		v.miss("cnf")
	default:
		v.kbSignature(encodeGo(jwk))
	}
	v.checks = append(v.checks, token.CheckIssuedAt(v.d.KB.Payload, "kb_iat", refKBIat, v.now, v.window, v.opts.Leeway))
	v.compareKB("kb_aud", "aud", v.opts.Audience, kbClaims, "the audience (your verifier's identifier)")
	v.compareKB("kb_nonce", "nonce", v.opts.Nonce, kbClaims, "the nonce you sent")
	v.sdHash(kbClaims)
}

// kbSignature verifies the KB-JWT with the holder's key from cnf.jwk,
// keeping token.Verify's algorithm, signature and header checks.
func (v *sdVerifier) kbSignature(jwk string) {
	alg, _ := stringParam(v.d.KB.Header, "alg")
	if strings.HasPrefix(alg, "HS") {
		v.add("kb_alg", token.StatusFail, refKBSig, "the KB-JWT's alg is %s, a shared-secret MAC; a KB-JWT is signed with the holder's private key (RFC 9901 §4.3)", alg)
		return
	}
	res, err := token.Verify(v.p.kbJWT, token.VerifyOptions{Key: token.KeyInput(jwk), Now: v.now, Leeway: v.opts.Leeway, Kind: vocab.JWT})
	if err != nil {
		v.add("kb_signature", token.StatusFail, refKBSig, "cnf.jwk is not a usable key, so the KB-JWT cannot be verified: %s", strings.TrimPrefix(err.Error(), "token: "))
		return
	}
	for _, c := range res.Checks {
		switch c.ID {
		case "alg", "signature", "key_size", "crit", "exp", "nbf":
			c.ID = "kb_" + c.ID
			if c.ID == "kb_signature" {
				c.Ref = refKBSig
				c.Message = strings.Replace(c.Message, "is valid for", "is valid for the holder's key in cnf.jwk,", 1)
			}
			v.checks = append(v.checks, c)
		}
	}
}

// compareKB compares a required KB-JWT claim, a single string, with the
// verifier's expected value.
func (v *sdVerifier) compareKB(id, claim, want string, claims map[string]any, what string) {
	raw, present := claims[claim]
	got, isString := raw.(string)
	switch {
	case !present:
		v.add(id, token.StatusFail, refKBAudNonce, "the KB-JWT has no %s, which it must have (RFC 9901 §4.3): without it the presentation is not bound to one verifier and transaction", claim)
	case !isString:
		v.add(id, token.StatusFail, refKBAudNonce, "the KB-JWT's %s is %s, not a single string (RFC 9901 §4.3)", claim, encodeGo(raw))
	case want == "":
		v.add(id, token.StatusSkip, refKBAudNonce, "the KB-JWT's %s is %q; not compared: give %s to detect a presentation replayed from elsewhere", claim, got, what)
		v.miss(claim)
	case got != want:
		v.add(id, token.StatusFail, refKBAudNonce, "the KB-JWT's %s is %q, but %q was expected: the presentation was made for another verifier or transaction (a replay?)", claim, got, want)
	default:
		v.add(id, token.StatusPass, refKBAudNonce, "the KB-JWT's %s is %q, as expected", claim, got)
	}
}

// sdHash compares sd_hash with the hash of the presented SD-JWT: the
// issuer-signed JWT and the disclosures, each followed by ~ (§4.3.1).
func (v *sdVerifier) sdHash(claims map[string]any) {
	want := digest(v.p.hash, v.p.presented)
	raw, present := claims["sd_hash"]
	got, _ := raw.(string)
	switch {
	case !present:
		v.add("sd_hash", token.StatusFail, refSDHash, "the KB-JWT has no sd_hash, so it is not bound to this SD-JWT and its disclosures (RFC 9901 §4.3)")
	case got != want:
		v.add("sd_hash", token.StatusFail, refSDHash, "sd_hash is %s, but the presented SD-JWT hashes to %q (%s): the KB-JWT was signed for another presentation, or disclosures were added or removed after it was signed", encodeGo(raw), want, v.d.SDAlg)
	default:
		v.add("sd_hash", token.StatusPass, refSDHash, "sd_hash matches the %s hash of the presented SD-JWT and its %d %s", v.d.SDAlg, len(v.d.Disclosures), plural(len(v.d.Disclosures), "disclosure", "disclosures"))
	}
}

// claimsOf decodes a JSON object for the checks; a payload that is no
// object gives no claims.
func claimsOf(raw json.RawMessage) map[string]any {
	out := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil || out == nil {
		return map[string]any{}
	}
	return out
}

// stringParam reads a string member of a JSON object.
func stringParam(obj json.RawMessage, name string) (string, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return "", false
	}
	var s string
	if raw, ok := m[name]; ok && json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	return "", false
}

// headerText renders a header parameter for messages, or "absent".
func headerText(obj json.RawMessage, name string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil || m[name] == nil {
		return "absent"
	}
	return string(m[name])
}

// encodeGo writes a value decoded by encoding/json as compact JSON.
func encodeGo(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// memberNames lists an object's member names.
func memberNames(m map[string]any) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "no members"
	}
	return strings.Join(names, ", ")
}
