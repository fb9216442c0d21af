package engine

import (
	"encoding/json"
	"time"

	"tokenlab/internal/explain"
	"tokenlab/internal/sdjwt"
	"tokenlab/internal/token"
)

// explain: explain(token, {now?}) → {kind, format, headline, certainty,
// resembles?, confidence, ruleKind, signals, encryption?, opaque?, purpose,
// claims, findings}. A string that is not a JWT but has the shape of an
// opaque access token (RFC 6749 §1.4) is explained, not rejected; a
// damaged JWT still fails with code malformed.
func (e *Engine) explain(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "explain(token): the token")
	if err != nil {
		return nil, err
	}
	var opts struct {
		Now *float64 `json:"now"`
	}
	if err := optionsArg(args, 1, "explain(token, options)", &opts); err != nil {
		return nil, err
	}
	if sdjwt.LooksLikeSDJWT(tok) {
		return explainSDJWT(tok, e.clock(opts.Now))
	}
	if x, ok := explain.ExplainOpaque(tok); ok {
		return x, nil
	}
	d, err := decodeToken(tok)
	if err != nil {
		return nil, err
	}
	return explain.Explain(explain.Input{Format: string(d.Format), Header: d.Header, Payload: d.Payload, Now: e.clock(opts.Now), Token: tok}), nil
}

// guide: guide() → every token kind's purpose guide, for comparisons.
func (e *Engine) guide(args []json.RawMessage) (any, error) {
	return explain.Purposes(), nil
}

// presets: presets() → {placeholders, presets: [{name, title, url, kinds:
// [{kind, source, header, claims, departures, note}], notIssued}]}: every
// shape mint can issue, so a page can fill its mint form without minting.
func (e *Engine) presets(args []json.RawMessage) (any, error) {
	return token.AllPresets(), nil
}

// generateKey: generateKey({alg, bits?, crv?, kid?}) → key.
func (e *Engine) generateKey(args []json.RawMessage) (any, error) {
	var opts struct {
		Alg  string `json:"alg"`
		Bits int    `json:"bits"`
		Crv  string `json:"crv"`
		Kid  string `json:"kid"`
	}
	if len(args) == 0 || isNull(args[0]) {
		return nil, badRequest("generateKey(options) needs options with an alg, e.g. {alg: \"ES256\"}")
	}
	if err := optionsArg(args, 0, "generateKey(options)", &opts); err != nil {
		return nil, err
	}
	return token.GenerateKey(token.GenerateOptions{Alg: opts.Alg, Bits: opts.Bits, Crv: opts.Crv, Kid: opts.Kid})
}

// importKey: importKey(input, {alg?, kid?}) → key.
func (e *Engine) importKey(args []json.RawMessage) (any, error) {
	if len(args) == 0 {
		return nil, badRequest("importKey(input) needs the key: a JWK, a JWKS, a PEM or a secret")
	}
	input, err := keyText(args[0], "importKey(input)")
	if err != nil {
		return nil, err
	}
	var opts struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := optionsArg(args, 1, "importKey(input, options)", &opts); err != nil {
		return nil, err
	}
	return token.ImportKey(input, token.ImportOptions{Alg: opts.Alg, Kid: opts.Kid})
}

// mintOptions are mint's JavaScript options.
type mintOptions struct {
	Kind        string          `json:"kind"`
	Key         json.RawMessage `json:"key"`
	Alg         string          `json:"alg"`
	Claims      json.RawMessage `json:"claims"`
	Header      json.RawMessage `json:"header"`
	Lifetime    int64           `json:"lifetime"`
	Preset      string          `json:"preset"`
	AccessToken string          `json:"accessToken"`
	Code        string          `json:"code"`
	Now         *float64        `json:"now"`
	Encrypt     *struct {
		Key json.RawMessage `json:"key"`
		Alg string          `json:"alg"`
		Enc string          `json:"enc"`
	} `json:"encrypt"`
}

// mint: mint({kind, key, alg?, claims?, header?, lifetime?, preset?, accessToken?, code?, encrypt?, dpopKey?, now?}) → {token, header, payload};
// kinds sd_jwt, sd_jwt_vc and dpop_proof are minted by mintFormat.
func (e *Engine) mint(args []json.RawMessage) (any, error) {
	res, args, handled, err := e.mintFormat(args)
	if handled {
		return res, err
	}
	var opts mintOptions
	if len(args) == 0 || isNull(args[0]) {
		return nil, badRequest("mint(options) needs options with a kind and a key")
	}
	if err := optionsArg(args, 0, "mint(options)", &opts); err != nil {
		return nil, err
	}
	key, err := keyText(opts.Key, "mint: the signing key (options.key)")
	if err != nil {
		return nil, err
	}
	req := token.MintOptions{
		Kind: token.Kind(opts.Kind), Key: key, Alg: opts.Alg, Claims: opts.Claims, Header: opts.Header,
		Lifetime: opts.Lifetime, Preset: opts.Preset, AccessToken: opts.AccessToken, Code: opts.Code,
		Now: e.clock(opts.Now),
	}
	if opts.Encrypt != nil {
		encKey, err := keyText(opts.Encrypt.Key, "mint: the encryption key (options.encrypt.key)")
		if err != nil {
			return nil, err
		}
		req.Encrypt = &token.EncryptOptions{Key: encKey, Alg: opts.Encrypt.Alg, Enc: opts.Encrypt.Enc}
	}
	return token.Mint(req)
}

// verifyOptions are verify's JavaScript options.
type verifyOptions struct {
	Key         json.RawMessage `json:"key"`
	Issuer      string          `json:"issuer"`
	Audience    string          `json:"audience"`
	Nonce       string          `json:"nonce"`
	ClientID    string          `json:"clientId"`
	Now         *float64        `json:"now"`
	Leeway      float64         `json:"leeway"`
	Kind        string          `json:"kind"`
	Algorithms  []string        `json:"algorithms"`
	AccessToken string          `json:"accessToken"`
	Code        string          `json:"code"`
}

// verify: verify(token, {key, issuer?, audience?, nonce?, clientId?, now?, leeway?, kind?, algorithms?, accessToken?, code?})
// → {valid, complete, missing, verdict, summary, kind, requested, strict, resembles?, confidence?, threshold?, header, payload, checks}.
// kind "auto" (the default) applies the rules of the kind explain's
// classifier decides when its confidence reaches explain.ConfidenceThreshold,
// else the generic jwt rules; the result says what the token resembles.
func (e *Engine) verify(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "verify(token, options): the token")
	if err != nil {
		return nil, err
	}
	if res, handled, err := e.verifyFormat(tok, args); handled {
		return res, err
	}
	var opts verifyOptions
	if err := optionsArg(args, 1, "verify(token, options)", &opts); err != nil {
		return nil, err
	}
	key, err := keyText(opts.Key, "verify: the key (options.key)")
	if err != nil {
		return nil, err
	}
	if opts.Leeway < 0 {
		return nil, badRequest("verify: leeway must be zero or more seconds")
	}
	d, err := decodeToken(tok)
	if err != nil {
		return nil, err
	}
	req := token.VerifyOptions{
		Key: key, Issuer: opts.Issuer, Audience: opts.Audience, Nonce: opts.Nonce, ClientID: opts.ClientID,
		Now: e.clock(opts.Now), Leeway: time.Duration(opts.Leeway * float64(time.Second)),
		Kind: token.Kind(opts.Kind), Algorithms: opts.Algorithms, AccessToken: opts.AccessToken, Code: opts.Code,
	}
	if req.Kind == "" || req.Kind == token.KindAuto {
		// The classifier's kind, or for an unclear token the kind it
		// resembles: Verify applies that kind's rules only when it has
		// rules of its own (workload tokens, DPoP proofs and assertions
		// get the generic JWT rules) and the guess is confident.
		c := explain.Classify(d.Header, d.Payload)
		resembles := c.Kind
		if c.Resembles != "" {
			resembles = c.Resembles
		}
		req.Kind = token.KindAuto
		req.Guess = &token.Guess{Resembles: resembles, Confidence: c.Confidence, Threshold: explain.ConfidenceThreshold}
	}
	return token.Verify(tok, req)
}

// decrypt: decrypt(token, {key}) → {header, plaintext, payload, nested}.
func (e *Engine) decrypt(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "decrypt(token, options): the token")
	if err != nil {
		return nil, err
	}
	var opts struct {
		Key json.RawMessage `json:"key"`
	}
	if err := optionsArg(args, 1, "decrypt(token, options)", &opts); err != nil {
		return nil, err
	}
	key, err := keyText(opts.Key, "decrypt: the key (options.key)")
	if err != nil {
		return nil, err
	}
	if _, err := decodeToken(tok); err != nil {
		return nil, err
	}
	res, err := token.Decrypt(tok, token.DecryptOptions{Key: key})
	if err != nil {
		return nil, err
	}
	if err := checkDecrypted(res.Payload, res.Nested); err != nil {
		return nil, err
	}
	return res, nil
}
