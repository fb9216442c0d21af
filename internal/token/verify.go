package token

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"tokenlab/internal/vocab"
)

// VerifyOptions say what to verify a token against. Only Key is required;
// each other field adds the checks that compare against it.
type VerifyOptions struct {
	// Key is the key as ImportKey takes it. A JWKS is searched by the
	// token's kid, else by its alg. Only an unsecured (alg none) token may
	// be given without a key, and it still fails.
	Key KeyInput `json:"key"`
	// Issuer is the expected iss, compared exactly (OIDC Core 3.1.3.7 step
	// 2, RFC 9068 §4).
	Issuer string `json:"issuer"`
	// Audience is the expected aud: the client ID for an ID token, the API
	// (resource) for an access token.
	Audience string `json:"audience"`
	// Nonce is the nonce the client sent (OIDC Core 3.1.3.7 step 11).
	Nonce string `json:"nonce"`
	// ClientID is the client the token was issued to: compared with azp of
	// ID tokens and client_id (or the vendor's equivalent) of access
	// tokens, and used as the ID token audience when Audience is empty.
	ClientID string `json:"clientId"`
	// Now is the time to verify at; zero means time.Now(). In JSON: Unix
	// seconds.
	Now time.Time `json:"now"`
	// Leeway is the clock skew allowed for exp, nbf and iat. In JSON:
	// seconds.
	Leeway time.Duration `json:"leeway"`
	// Kind selects the rule set: "" means vocab.JWT; vocab.Auto asks
	// Classify.
	Kind vocab.Kind `json:"kind"`
	// Classify is a classifier Verify asks, when Kind is vocab.Auto, which
	// kind the token resembles. It is given the header's typ and the
	// claims as Verify decoded them (the token is decoded once; numbers are
	// json.Number, nil when the payload is no JSON object). The guessed
	// kind's rules apply when its Confidence reaches its Threshold and
	// Verify has rules for that kind; otherwise the vocab.JWT rules apply
	// and the result says what the token resembles. A confident guess
	// marked Elsewhere stops Verify with ErrRulesElsewhere before any check
	// and before the key is read. Nil means the generic rules. Not a
	// JavaScript option: internal/engine sets it to internal/explain's
	// classifier.
	Classify func(typ string, claims map[string]any) Guess `json:"-"`
	// Algorithms, when not empty, is the allow-list of JWS algorithms
	// (RFC 8725 §3.1). "none" is never allowed.
	Algorithms []string `json:"algorithms"`
	// AccessToken is checked against at_hash when the ID token carries it
	// (OIDC Core 3.2.2.9).
	AccessToken string `json:"accessToken"`
	// Code is checked against c_hash when the ID token carries it (OIDC
	// Core 3.3.2.11).
	Code string `json:"code"`
}

// Guess is what a classifier said about a token's kind (see
// VerifyOptions.Classify). In a Verified result its fields appear at the top
// level of the JSON: resembles, confidence, threshold.
type Guess struct {
	// Resembles is the kind the classifier decided, which may be one
	// Verify has no rules for (e.g. "dpop_proof") or "unknown".
	Resembles vocab.Kind `json:"resembles"`
	// Confidence is how sure the classifier is, from 0 to 1.
	Confidence float64 `json:"confidence"`
	// Threshold is the confidence from which the guess is trusted enough
	// to apply that kind's rules.
	Threshold float64 `json:"threshold"`
	// Elsewhere says that the rules of the guessed kind live in another
	// package (a DPoP proof's in internal/dpop): when the guess is
	// confident, Verify returns ErrRulesElsewhere so that the caller
	// verifies the token there. Not part of a result.
	Elsewhere bool `json:"-"`
}

// Status is the outcome of one check.
type Status string

// Check outcomes. Only StatusFail makes a token invalid.
const (
	// StatusPass: the token meets the rule.
	StatusPass Status = "pass"
	// StatusFail: the token contradicts something: its signature, the
	// allow-list or the key's type, the clock, a value the caller said to
	// expect, a rule its own declared type makes mandatory, or a rule of a
	// profile the caller chose.
	StatusFail Status = "fail"
	// StatusWarn: the token departs from a profile or best practice but
	// contradicts nothing (an Entra access token without client_id).
	StatusWarn Status = "warn"
	// StatusSkip: the rule was not applied, e.g. a comparison for which no
	// expected value was given. Never read as "passed".
	StatusSkip Status = "skip"
)

// Check is one rule Verify applied.
type Check struct {
	// ID names the rule: signature, alg, key_size, crit, typ, exp, nbf,
	// iat, iss, aud, azp, nonce, at_hash, c_hash, sub, client_id, jti or
	// events.
	ID string `json:"id"`
	// Status is pass, fail, warn or skip.
	Status Status `json:"status"`
	// OK is true unless Status is fail; kept for callers that predate
	// Status.
	OK bool `json:"ok"`
	// Message says in plain words what was found and, when something is
	// wrong or missing, what to do.
	Message string `json:"message"`
	// Ref cites the rule, e.g. "OIDC Core 3.1.3.7 step 9".
	Ref string `json:"ref"`
}

// Verdict sums a result up in one word.
type Verdict string

// Verdicts, from best to worst.
const (
	// VerdictValid: no check failed and every comparison the kind's
	// specification makes mandatory was made.
	VerdictValid Verdict = "valid"
	// VerdictIncomplete: no check failed, but a mandatory comparison was
	// not made (Missing lists it): the signature holds, yet the token may
	// be meant for someone else.
	VerdictIncomplete Verdict = "incomplete"
	// VerdictInvalid: at least one check failed.
	VerdictInvalid Verdict = "invalid"
)

// Verified is the outcome of Verify.
type Verified struct {
	// Valid is true when no check failed.
	Valid bool `json:"valid"`
	// Complete is false when a comparison the kind's specification makes
	// mandatory was skipped for want of an expected value: issuer and
	// audience for ID tokens (OIDC Core 3.1.3.7 steps 2–3), access tokens
	// (RFC 9068 §4) and logout tokens (Back-Channel Logout 1.0 §2.6); for
	// other JWTs an aud that is present but was not compared (RFC 7519
	// §4.1.3).
	Complete bool `json:"complete"`
	// Missing lists the ids of those skipped comparisons ("iss", "aud");
	// never nil.
	Missing []string `json:"missing"`
	// Verdict is valid, incomplete or invalid.
	Verdict Verdict `json:"verdict"`
	// Summary says the verdict in one sentence, e.g. "Not valid: 2 of 9
	// checks failed (exp, aud)".
	Summary string `json:"summary"`
	// Kind is the rule set applied: jwt, id_token, access_token,
	// access_token_rfc9068, logout_token or refresh_token (whose rules are
	// those of jwt).
	Kind vocab.Kind `json:"kind"`
	// Requested is the kind the caller asked for: auto or a rule set.
	Requested vocab.Kind `json:"requested"`
	// Strict is true when the kind's rules about claims the token lacks
	// can fail: the caller chose the kind (access_token excepted, which
	// keeps RFC 9068 as warnings) or the token declared it (typ at+jwt,
	// typ logout+jwt, a logout event). When the kind was guessed, a
	// missing claim is a warning.
	Strict bool `json:"strict"`
	// Guess, for kind auto, is what the classifier said: the kind the
	// token resembles, the confidence and the threshold. Nil otherwise.
	*Guess
	// Header and Payload are as Decode returns them.
	Header  json.RawMessage `json:"header"`
	Payload json.RawMessage `json:"payload"`
	// Checks lists every rule applied, in order.
	Checks []Check `json:"checks"`
}

// Verify checks a compact JWS against a key and reports each rule as a
// Check: the algorithm (RFC 8725 §3.1: never none, allowed by
// opts.Algorithms, fitting the key — a public key offered as an HMAC
// secret is the algorithm-confusion attack of RFC 8725 §2.1 — and allowed
// by the key's use and key_ops, RFC 7517 §4.2–4.3), the signature
// (RFC 7515 §5.2; any payload, JSON or not) and the secret's length
// (RFC 7518 §3.2), critical headers (RFC 7515 §4.1.11), then the rules of
// the kind: OIDC Core 1.0 §3.1.3.7 for ID tokens, RFC 9068 §4 for access
// tokens (as warnings for the issuer's own format), OIDC Back-Channel
// Logout 1.0 §2.6 for logout tokens, RFC 7519 §7.2 otherwise. A check
// fails only when the token contradicts something; a comparison without an
// expected value is skipped, and Complete says whether a mandatory one was.
// When the alg check fails the signature is not checked. A token that
// fails a rule returns Valid false and no error; only input that cannot be
// processed (a malformed token, an unusable key, a JWE: decrypt it first)
// is an error. Verify never modifies or re-signs the token.
func Verify(token string, opts VerifyOptions) (*Verified, error) {
	if err := checkVerifyKind(opts.Kind); err != nil {
		return nil, err
	}
	p, err := parse(token)
	if err != nil {
		return nil, err
	}
	if p.d.Format == FormatJWE {
		return nil, fmt.Errorf("%w: this is an encrypted token (JWE); decrypt it first, then verify the signed token inside", ErrUnsupported)
	}
	v := &verifier{p: p, opts: opts, now: opts.Now, claims: map[string]any{}}
	if v.now.IsZero() {
		v.now = time.Now()
	}
	dec := json.NewDecoder(bytes.NewReader(p.payload))
	dec.UseNumber()
	v.isClaims = dec.Decode(&v.claims) == nil && v.claims != nil
	if !v.isClaims {
		v.claims = map[string]any{}
	}
	if err := v.chooseRules(); err != nil {
		return nil, err
	}
	if opts.Key != "" {
		if v.set, err = parseKeyInput(string(opts.Key)); err != nil {
			return nil, err
		}
	} else if p.d.Format != FormatUnsecured {
		return nil, fmt.Errorf("%w: verify needs a key: the issuer's public key (JWK, JWKS or PEM) or the shared HMAC secret", ErrBadRequest)
	}
	v.run()
	return v.result(), nil
}

// verifier accumulates the checks of one Verify call.
type verifier struct {
	p        *parsed
	opts     VerifyOptions
	set      *keySet
	now      time.Time
	alg      string
	claims   map[string]any
	isClaims bool // the payload is a JSON object

	requested vocab.Kind
	rules     *rules // the rule set applied
	strict    bool   // missing claims fail rather than warn
	guess     *Guess

	checks  []Check
	missing []string
}

// chooseRules resolves the requested kind to a rule set and decides
// whether its rules about missing claims fail or warn. A confident guess
// whose rules live elsewhere is ErrRulesElsewhere.
func (v *verifier) chooseRules() error {
	v.requested = v.opts.Kind
	kind := v.opts.Kind
	switch kind {
	case "":
		v.requested, kind = vocab.JWT, vocab.JWT
	case vocab.Auto:
		kind = vocab.JWT
		if v.opts.Classify != nil {
			var claims map[string]any
			if v.isClaims {
				claims = v.claims
			}
			typ, _ := headerString(v.p.header, "typ")
			g := v.opts.Classify(typ, claims)
			v.guess = &g
			switch confident := g.Confidence >= g.Threshold; {
			case confident && g.Elsewhere:
				return fmt.Errorf("%w: %s", ErrRulesElsewhere, g.Resembles.Noun())
			case confident && ruleSets[g.Resembles] != nil:
				kind = g.Resembles
			}
		}
	}
	v.rules = ruleSets[kind]
	if v.rules == nil {
		v.rules = ruleSets[vocab.JWT]
	}
	chosen := v.requested != vocab.Auto && v.rules.strictWhenChosen
	v.strict = chosen || v.rules.declared(v)
	return nil
}

func (v *verifier) run() {
	v.alg, _ = headerString(v.p.header, "alg")
	if keys, ok := v.checkAlg(); ok {
		v.checkSignature(keys)
	}
	v.checkCrit()
	v.checkTyp()
	if !v.isClaims && v.rules.generic {
		return // a JWS of any content: signature only (RFC 7515 §3)
	}
	v.checkTimes()
	v.checkIssuer()
	v.checkAudience()
	for _, check := range v.rules.claimChecks {
		check(v)
	}
}

// add records a check.
func (v *verifier) add(id string, status Status, ref, format string, args ...any) {
	v.checks = append(v.checks, Check{ID: id, Status: status, OK: status != StatusFail, Message: fmt.Sprintf(format, args...), Ref: ref})
}

// require records a rule of the kind's profile that the token breaks by
// lacking or misusing a claim: a failure when the rules are strict, else a
// warning.
func (v *verifier) require(id, ref, format string, args ...any) {
	status := StatusWarn
	if v.strict {
		status = StatusFail
	}
	v.add(id, status, ref, format, args...)
}

// notCompared records a comparison skipped for want of an expected value,
// and notes it in Missing when the kind's specification makes it mandatory.
func (v *verifier) notCompared(id string, status Status, ref, format string, args ...any) {
	v.add(id, status, ref, format, args...)
	if v.rules.mandatory(id, v) {
		v.missing = append(v.missing, id)
	}
}

// ref is the citation of a check under the rules applied.
func (v *verifier) ref(id string) string { return v.rules.ref(id) }

// result sums the checks up (see Tally).
func (v *verifier) result() *Verified {
	o := Tally(v.rules.kind.Name(), v.checks, v.missing)
	return &Verified{
		Valid: o.Valid, Complete: o.Complete, Missing: o.Missing, Verdict: o.Verdict, Summary: o.Summary,
		Kind: v.rules.kind, Requested: v.requested, Strict: v.strict, Guess: v.guess,
		Header: v.p.d.Header, Payload: v.p.d.Payload, Checks: v.checks,
	}
}
