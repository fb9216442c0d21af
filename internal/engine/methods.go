package engine

import (
	"encoding/json"
	"errors"
	"slices"
	"time"

	"tokenlab/internal/explain"
	"tokenlab/internal/sdjwt"
	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// The methods decode their options straight into the option types of
// internal/token (and, for SD-JWTs and DPoP proofs, of internal/sdjwt and
// internal/dpop, see formats.go), whose json tags are the JavaScript names
// (docs/API.md), so an option cannot be forgotten between the page and
// the core (options_test.go holds every field to that).

// decode: decode(token) → {format, header, payload, signature, parts,
// warnings}; for an SD-JWT also {sdAlg, disclosures, processed,
// undisclosed, kb?}.
func (e *Engine) decode(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "decode(token): the token")
	if err != nil {
		return nil, err
	}
	if sdjwt.LooksLikeSDJWT(tok) {
		return sdjwt.Decode(tok)
	}
	return token.Decode(tok)
}

// Inspection is what inspect returns: a token decoded once and explained.
type Inspection struct {
	// Decoded is what decode returns: a *token.Decoded, or for an SD-JWT
	// a *sdjwt.Decoded; null for an opaque token, which has nothing to
	// decode.
	Decoded any `json:"decoded"`
	// Explanation is what explain returns.
	Explanation explain.Explanation `json:"explanation"`
}

// explainOptions are the options of explain and inspect.
type explainOptions struct {
	// Now is the time relative dates and time findings are judged at;
	// zero means the engine's clock. In JSON: Unix seconds.
	Now time.Time `json:"now"`
}

// UnmarshalJSON reads now in Unix seconds (see token.UnixTime).
func (o *explainOptions) UnmarshalJSON(b []byte) error {
	type fields explainOptions // the same fields, without this method
	return token.DecodeOptions(b, (*fields)(o), token.UnixSeconds("now", &o.Now))
}

// inspect: inspect(token, {now?}) → {decoded, explanation}: decode and
// explain from one decode, so a page makes one call per paste. A string
// that is not a JWT but has the shape of an opaque access token (RFC 6749
// §1.4) has decoded null and is explained; an SD-JWT (RFC 9901) is decoded
// and explained as one; a damaged JWT fails with code malformed, as decode
// does.
func (e *Engine) inspect(args []json.RawMessage) (any, error) {
	return e.inspection(args, "inspect")
}

// explain: explain(token, {now?}) → {kind, format, headline, certainty,
// resembles?, confidence, ruleKind, signals, encryption?, opaque?, purpose,
// claims, findings}: inspect's explanation.
func (e *Engine) explain(args []json.RawMessage) (any, error) {
	in, err := e.inspection(args, "explain")
	if err != nil {
		return nil, err
	}
	return in.Explanation, nil
}

// inspection decodes a token once and explains it.
func (e *Engine) inspection(args []json.RawMessage, method string) (*Inspection, error) {
	var opts explainOptions
	tok, err := tokenArgs(args, method, &opts)
	if err != nil {
		return nil, err
	}
	if x, ok := explain.ExplainOpaque(tok); ok {
		return &Inspection{Explanation: x}, nil
	}
	if sdjwt.LooksLikeSDJWT(tok) {
		return inspectSDJWT(tok, e.at(opts.Now))
	}
	d, err := token.Decode(tok)
	if err != nil {
		return nil, err
	}
	x := explain.Explain(explain.Input{Format: string(d.Format), Header: d.Header, Payload: d.Payload, Now: e.at(opts.Now), Token: tok})
	return &Inspection{Decoded: d, Explanation: x}, nil
}

// guide: guide() → every token kind's purpose guide, in vocabulary order,
// each with the kind's title for people.
func (e *Engine) guide(args []json.RawMessage) (any, error) {
	return explain.Purposes(), nil
}

// presets: presets() → {placeholders, presets: [{name, title, url, kinds:
// [{kind, source, header, claims, departures, note}], notIssued}]}: every
// shape mint can issue, so a page can fill its mint form without minting.
func (e *Engine) presets(args []json.RawMessage) (any, error) {
	return token.AllPresets(), nil
}

// defaults: defaults() → {key: {alg, rsaBits, crv, dirBits}, enc,
// lifetime, leeway, kind, preset, identities: {issuer, subject, clientId,
// audience, nonce, scope, sessionId}}: every value the engine uses when an
// option is left out, so a page's forms start from the same values.
func (e *Engine) defaults(args []json.RawMessage) (any, error) {
	return token.AllDefaults(), nil
}

// generateKey: generateKey({alg?, bits?, crv?, kid?}) → key.
func (e *Engine) generateKey(args []json.RawMessage) (any, error) {
	var opts token.GenerateOptions
	if err := optionsArg(args, 0, "generateKey(options)", &opts); err != nil {
		return nil, err
	}
	return token.GenerateKey(opts)
}

// importKey: importKey(input, {alg?, kid?}) → key.
func (e *Engine) importKey(args []json.RawMessage) (any, error) {
	var input token.KeyInput
	if len(args) > 0 {
		if err := decodeArg(args[0], "importKey(input)", &input); err != nil {
			return nil, err
		}
	}
	if input == "" {
		return nil, badRequest("importKey(input) needs the key: a JWK, a JWKS, a PEM or a secret")
	}
	var opts token.ImportOptions
	if err := optionsArg(args, 1, "importKey(input, options)", &opts); err != nil {
		return nil, err
	}
	return token.ImportKey(string(input), opts)
}

// mint: mint({kind, key, alg?, claims?, header?, lifetime?, preset?,
// accessToken?, code?, dpopKey?, encrypt?: {key?, alg?, enc?, pbes2Count?},
// now?}) → {token, header, payload, nested?}; kinds sd_jwt and sd_jwt_vc
// take sdjwt.IssueOptions and return {token, header, payload,
// disclosures}, kind dpop_proof takes dpop.MintOptions.
func (e *Engine) mint(args []json.RawMessage) (any, error) {
	if len(args) == 0 || isNull(args[0]) {
		return nil, badRequest("mint(options) needs options with a kind and a key")
	}
	var choice kindOption
	if err := optionsArg(args, 0, "mint(options)", &choice); err != nil {
		return nil, err
	}
	switch kind := choice.Kind; {
	case kind == vocab.SDJWT || kind == vocab.SDJWTVC:
		return e.mintSDJWT(args)
	case kind == vocab.DPoPProof:
		return e.mintDPoP(args)
	case kind == "":
		return nil, badRequest("mint(options) needs a kind: %s", vocab.OrList(mintKinds()))
	case !slices.Contains(mintKinds(), kind):
		return nil, badRequest("mint(options): kind %q; mint %s", kind, vocab.OrList(mintKinds()))
	}
	var opts token.MintOptions
	if err := optionsArg(args, 0, "mint(options)", &opts); err != nil {
		return nil, err
	}
	opts.Now = e.at(opts.Now)
	return token.Mint(opts)
}

// kindOption is the kind option of mint and verify alone, read first to
// choose the option type the whole options object decodes into.
type kindOption struct {
	Kind vocab.Kind `json:"kind"`
}

// mintKinds are the kinds mint issues: internal/token's, then the SD-JWT
// kinds and the DPoP proof.
func mintKinds() []vocab.Kind {
	return append(token.MintKinds(), vocab.SDJWT, vocab.SDJWTVC, vocab.DPoPProof)
}

// verify: verify(token, {key, issuer?, audience?, nonce?, clientId?, now?,
// leeway?, kind?, algorithms?, accessToken?, code?}) → {valid, complete,
// missing, verdict, summary, kind, requested, strict, resembles?,
// confidence?, threshold?, header, payload, checks}. kind "auto" (the
// default) applies the rules of the kind explain's classifier decides when
// its confidence reaches explain.ConfidenceThreshold, else the generic jwt
// rules; the result says what the token resembles. The token is decoded
// once, by token.Verify, which hands its decoded claims to the classifier.
// An SD-JWT (any input in SD-JWT form, or kind sd_jwt or sd_jwt_vc) and a
// DPoP proof (kind dpop_proof, or kind auto when the classifier is
// confident) take their own options and rules (formats.go).
func (e *Engine) verify(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "verify(token, options): the token")
	if err != nil {
		return nil, err
	}
	var choice kindOption
	if err := optionsArg(args, 1, "verify(token, options)", &choice); err != nil {
		return nil, err
	}
	switch {
	case sdjwt.LooksLikeSDJWT(tok) || choice.Kind == vocab.SDJWT || choice.Kind == vocab.SDJWTVC:
		return e.verifySDJWT(tok, args)
	case choice.Kind == vocab.DPoPProof:
		return e.verifyDPoP(tok, args, nil)
	}
	var opts token.VerifyOptions
	if err := optionsArg(args, 1, "verify(token, options)", &opts); err != nil {
		return nil, err
	}
	opts.Now = e.at(opts.Now)
	var g token.Guess
	if opts.Kind == "" || opts.Kind == vocab.Auto {
		opts.Kind = vocab.Auto
		opts.Classify = func(typ string, claims map[string]any) token.Guess {
			g = guess(typ, claims)
			return g
		}
	}
	res, err := token.Verify(tok, opts)
	if errors.Is(err, token.ErrRulesElsewhere) {
		return e.verifyDPoP(tok, args, &g)
	}
	return res, err
}

// guess is verify's classifier for kind auto: explain's classification of
// the claims token.Verify decoded, or for an unclear token the kind it
// resembles. Verify applies that kind's rules only when it has rules of
// its own (workload tokens and assertions get the generic JWT rules) and
// the guess is confident; a confident DPoP proof is handed back, marked
// Elsewhere, for internal/dpop's rules.
func guess(typ string, claims map[string]any) token.Guess {
	c := explain.ClassifyClaims(typ, claims)
	resembles := c.Kind
	if c.Resembles != "" {
		resembles = c.Resembles
	}
	return token.Guess{Resembles: resembles, Confidence: c.Confidence, Threshold: explain.ConfidenceThreshold, Elsewhere: c.RuleKind == vocab.DPoPProof}
}

// decrypt: decrypt(token, {key}) → {header, plaintext, payload?, nested?}.
func (e *Engine) decrypt(args []json.RawMessage) (any, error) {
	var opts token.DecryptOptions
	tok, err := tokenArgs(args, "decrypt", &opts)
	if err != nil {
		return nil, err
	}
	return token.Decrypt(tok, opts)
}
