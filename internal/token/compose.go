package token

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"tokenlab/internal/vocab"
)

// This file holds the pieces that formats built on JWS (SD-JWT, RFC 9901;
// DPoP, RFC 9449) share with Verify and Mint, so that those formats sign,
// check claims and sum up verdicts exactly as plain JWTs are.

// SignOptions say what Sign signs.
type SignOptions struct {
	// Key is the private signing key as ImportKey takes it.
	Key string
	// Alg is the JWS algorithm; default: the key's alg, else the usual one
	// for its type (ES256 for P-256, RS256 for RSA, EdDSA for Ed25519).
	Alg string
	// Header holds the header parameters after alg (and kid, jwk), in the
	// order given: a JSON object, or empty. It may not set alg.
	Header json.RawMessage
	// Payload is signed byte for byte; it must be JSON.
	Payload []byte
	// Kid adds the key's kid, or its RFC 7638 thumbprint, as Mint does.
	Kid bool
	// EmbedJWK puts the signing key's public JWK in the header as jwk
	// (RFC 7515 §4.1.3) with only the members that define the key (kty
	// and its key members), as a DPoP proof carries it (RFC 9449 §4.2).
	EmbedJWK bool
}

// Sign makes a compact JWS (RFC 7515 §7.1) over exactly the payload given
// and the header {"alg":…, kid?, jwk?, …Header}, with golang-jwt's
// signing methods as Mint does. It never signs with alg none or with a
// public key; a key whose use or key_ops exclude signing is refused.
func Sign(opts SignOptions) (*Minted, error) {
	if opts.Key == "" {
		return nil, fmt.Errorf("%w: signing needs a private key or a secret (generate one with GenerateKey)", ErrBadRequest)
	}
	if !json.Valid(opts.Payload) {
		return nil, fmt.Errorf("%w: the payload to sign is not JSON", ErrBadRequest)
	}
	set, err := parseKeyInput(opts.Key)
	if err != nil {
		return nil, err
	}
	chosen, err := set.choose("", opts.Alg)
	if err != nil {
		return nil, err
	}
	alg := opts.Alg
	if alg == "" {
		alg = chosen.Algorithm
	}
	if alg == "" {
		alg = defaultAlg(chosen.Key)
	}
	if spec, ok := lookupAlg(alg); !ok || spec.jwe || alg == "none" {
		return nil, fmt.Errorf("%w: %q is not a JWS signing algorithm tokenlab signs with (%s)", ErrUnsupported, alg, strings.Join(signingAlgs, ", "))
	}
	if err := fitKey(alg, chosen.Key); err != nil {
		return nil, err
	}
	if err := chosen.usableFor(forSign); err != nil {
		return nil, err
	}
	header := newClaimSet()
	header.set("alg", alg)
	if opts.Kid {
		kid := chosen.KeyID
		if kid == "" {
			kid, _ = thumbprint(chosen.JSONWebKey)
		}
		header.set("kid", kid)
	}
	if opts.EmbedJWK {
		pub := verificationKey(chosen.Key)
		if _, secret := pub.([]byte); secret {
			return nil, fmt.Errorf("%w: a jwk header carries a public key, and %s has none: use an asymmetric key (ES256, EdDSA, RS256 …)", ErrBadKey, describeKey(chosen.Key))
		}
		raw, err := (&jose.JSONWebKey{Key: pub}).MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("%w: cannot write the public JWK: %v", ErrBadKey, err)
		}
		header.set("jwk", json.RawMessage(raw))
	}
	if err := header.merge(opts.Header, "header"); err != nil {
		return nil, err
	}
	if raw, ok := header.vals["alg"]; !ok || string(raw) != string(marshal(alg)) {
		return nil, fmt.Errorf("%w: set the algorithm with the alg option, not in header", ErrBadRequest)
	}
	headerJSON, _ := header.MarshalJSON()
	token, err := signJWS(alg, chosen.Key, headerJSON, opts.Payload)
	if err != nil {
		return nil, err
	}
	return &Minted{Token: token, Header: headerJSON, Payload: compactJSON(opts.Payload)}, nil
}

// Outcome is what a list of checks adds up to (see Verified).
type Outcome struct {
	Valid    bool
	Complete bool
	Missing  []string
	Verdict  Verdict
	Summary  string
}

// Tally sums checks up the way Verify does: valid when none failed,
// complete when no mandatory comparison is missing, and a one-sentence
// summary naming the failed checks, or the comparisons not made, or
// "Valid ‹name›: every check passed". name spells the token kind for
// people ("SD-JWT", "DPoP proof").
func Tally(name string, checks []Check, missing []string) Outcome {
	out := Outcome{Complete: len(missing) == 0, Missing: append([]string{}, missing...)}
	var failed []string
	warnings, skipped := 0, 0
	for _, c := range checks {
		switch c.Status {
		case StatusFail:
			failed = append(failed, c.ID)
		case StatusWarn:
			warnings++
		case StatusSkip:
			skipped++
		}
	}
	out.Valid = len(failed) == 0
	switch {
	case !out.Valid:
		out.Verdict = VerdictInvalid
		out.Summary = fmt.Sprintf("Not valid: %d of %d checks failed (%s)", len(failed), len(checks), joinIDs(failed))
	case !out.Complete:
		out.Verdict = VerdictIncomplete
		out.Summary = fmt.Sprintf("Signature verified — %s not compared", missingWords(out.Missing))
	default:
		out.Verdict = VerdictValid
		out.Summary = fmt.Sprintf("Valid %s: every check passed", name)
		var notes []string
		if warnings > 0 {
			notes = append(notes, fmt.Sprintf("%d %s", warnings, plural(warnings, "warning", "warnings")))
		}
		if skipped > 0 {
			notes = append(notes, fmt.Sprintf("%d not compared", skipped))
		}
		if len(notes) > 0 {
			out.Summary = fmt.Sprintf("Valid %s: no check failed, %s", name, strings.Join(notes, ", "))
		}
	}
	return out
}

// CheckClaims applies the claim checks of the generic JWT rules to a
// claims set that is not itself a compact token: exp, nbf and iat at
// opts.Now with opts.Leeway (RFC 7519 §4.1.4–§4.1.6), iss against
// opts.Issuer and aud against opts.Audience (§4.1.1, §4.1.3), worded and
// judged exactly as Verify judges them. It serves the processed payload of
// an SD-JWT, whose selectively disclosed claims (an exp among them, RFC
// 9901 §7.1 step 6, §9.7) the issuer-signed JWT does not show. It returns
// the checks and the mandatory comparisons skipped (an aud present but not
// compared). claims must be a JSON object.
func CheckClaims(claims json.RawMessage, opts VerifyOptions) ([]Check, []string, error) {
	v := &verifier{opts: opts, now: opts.Now, rules: jwtRules, requested: vocab.JWT}
	if v.now.IsZero() {
		v.now = time.Now()
	}
	dec := json.NewDecoder(bytes.NewReader(claims))
	dec.UseNumber()
	if err := dec.Decode(&v.claims); err != nil || v.claims == nil {
		return nil, nil, fmt.Errorf("%w: the claims are not a JSON object", ErrMalformed)
	}
	v.isClaims = true
	v.checkTimes()
	v.checkIssuer()
	v.checkAudience()
	return v.checks, v.missing, nil
}

// DefaultIATWindow is how old a token made fresh for one use (a DPoP
// proof, an SD-JWT Key Binding JWT) may be when the caller sets no window:
// five minutes, long enough for clocks that differ a little, short
// enough that a captured proof soon stops working. RFC 9449 §4.3 and
// RFC 9901 §7.3 leave the window to the receiver.
const DefaultIATWindow = 5 * time.Minute

// CheckIssuedAt is the check that a token made fresh for one use was
// issued recently: its iat (RFC 7519 §4.1.6) lies no more than window
// before now and not in the future, each with leeway for clock skew, as
// DPoP proofs (RFC 9449 §4.3 step 11) and SD-JWT Key Binding JWTs (RFC
// 9901 §7.3 step 5.5) must. Those profiles require iat, so a missing or
// unusable one fails. id and ref name the check; a zero window means
// DefaultIATWindow.
func CheckIssuedAt(claims json.RawMessage, id, ref string, now time.Time, window, leeway time.Duration) Check {
	if window == 0 {
		window = DefaultIATWindow
	}
	var members map[string]any
	dec := json.NewDecoder(bytes.NewReader(claims))
	dec.UseNumber()
	_ = dec.Decode(&members)
	check := func(status Status, format string, args ...any) Check {
		return Check{ID: id, Status: status, OK: status != StatusFail, Message: fmt.Sprintf(format, args...), Ref: ref}
	}
	raw, present := members["iat"]
	if !present {
		return check(StatusFail, "the token has no iat, so nothing says when it was made; it must have one, and a receiver accepts it only within a short window")
	}
	iat, problem := vocab.NumericDate(raw)
	if problem != "" {
		return check(StatusFail, "iat is not a usable NumericDate (seconds since 1970-01-01 UTC): %s", problem)
	}
	switch age := now.Sub(iat); {
	case age < -leeway:
		return check(StatusFail, "iat is %s, %s in the future%s: the signer's clock is off, or the token was made in advance for later use", vocab.Timestamp(iat), vocab.Duration(age), leewayNote(leeway))
	case age > window+leeway:
		return check(StatusFail, "iat is %s, %s ago: older than the window of %s a receiver accepts%s. It is made fresh for each use, so an old one may be a replay", vocab.Timestamp(iat), vocab.Duration(age), vocab.Duration(window), leewayNote(leeway))
	case age < 0:
		return check(StatusPass, "iat is %s, %s in the future, within the allowed clock skew of %s", vocab.Timestamp(iat), vocab.Duration(age), vocab.Duration(leeway))
	}
	return check(StatusPass, "iat is %s, %s ago: within the window of %s", vocab.Timestamp(iat), vocab.Duration(now.Sub(iat)), vocab.Duration(window))
}

// DecodeSegment decodes one base64url segment without padding (RFC 7515
// §2), as Decode does, with an error naming the first character that is
// not base64url or saying why the length is impossible.
func DecodeSegment(seg string) ([]byte, error) { return decodeSegment(seg) }
