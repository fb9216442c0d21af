package engine

import (
	"encoding/json"
	"time"

	"tokenlab/internal/dpop"
	"tokenlab/internal/explain"
	"tokenlab/internal/sdjwt"
	"tokenlab/internal/token"
)

// The formats built on JWS: SD-JWT (RFC 9901, package sdjwt) and DPoP
// proofs (RFC 9449, package dpop). Each method hands a token in those
// formats to this file; everything else takes the JWS/JWE path.

// Kinds these formats add to verify and mint.
const (
	kindSDJWT     = string(sdjwt.KindSDJWT)
	kindSDJWTVC   = string(sdjwt.KindSDJWTVC)
	kindDPoPProof = string(dpop.Kind)
)

// decodeSDJWT is sdjwt.Decode plus the engine's depth bound on every JSON
// value it returns.
func decodeSDJWT(tok string) (*sdjwt.Decoded, error) {
	d, err := sdjwt.Decode(tok)
	if err != nil {
		return nil, err
	}
	values := map[string]json.RawMessage{"the header": d.Header, "the payload": d.Payload, "the processed payload": d.Processed}
	if d.KB != nil {
		values["the Key Binding JWT's header"], values["the Key Binding JWT's payload"] = d.KB.Header, d.KB.Payload
	}
	for what, v := range values {
		if msg := tooDeep(what, v); msg != "" {
			return nil, &Error{Code: CodeMalformed, Message: msg}
		}
	}
	return d, nil
}

// explainSDJWT: explain(sdJwt) → the explanation of the issuer-signed JWT
// with kind sd_jwt or sd_jwt_vc, each disclosed claim (where
// "disclosure", path) and findings on what selective disclosure hides.
func explainSDJWT(tok string, now time.Time) (any, error) {
	d, err := decodeSDJWT(tok)
	if err != nil {
		return nil, err
	}
	in := explain.SDInput{Input: explain.Input{Format: d.Format, Header: d.Header, Payload: d.Payload, Now: now, Token: tok}, Undisclosed: d.Undisclosed}
	for _, disc := range d.Disclosures {
		name := ""
		if disc.Name != nil {
			name = *disc.Name
		}
		in.Disclosed = append(in.Disclosed, explain.Disclosed{Name: name, Path: disc.Path, Value: disc.Value})
	}
	if d.KB != nil {
		in.KBPayload = d.KB.Payload
	}
	return explain.ExplainSDJWT(in), nil
}

// formatVerifyOptions are verify's options for SD-JWTs and DPoP proofs.
type formatVerifyOptions struct {
	Key               json.RawMessage `json:"key"`
	Issuer            string          `json:"issuer"`
	Audience          string          `json:"audience"`
	Nonce             string          `json:"nonce"`
	Now               *float64        `json:"now"`
	Leeway            float64         `json:"leeway"`
	Kind              string          `json:"kind"`
	Algorithms        []string        `json:"algorithms"`
	AccessToken       string          `json:"accessToken"`
	HTM               string          `json:"htm"`
	HTU               string          `json:"htu"`
	RequireKeyBinding bool            `json:"requireKeyBinding"`
	IATWindow         float64         `json:"iatWindow"`
}

// verifyFormat verifies an SD-JWT (any input in SD-JWT form, or kind
// sd_jwt/sd_jwt_vc) or a DPoP proof (kind dpop_proof, or kind auto for a
// token explain confidently calls a DPoP proof). A DPoP proof needs no
// key, since it carries its own; a key given is compared with it.
// handled is false for every other token.
func (e *Engine) verifyFormat(tok string, args []json.RawMessage) (result any, handled bool, err error) {
	var opts formatVerifyOptions
	if err := optionsArg(args, 1, "verify(token, options)", &opts); err != nil {
		return nil, true, err
	}
	auto := opts.Kind == "" || opts.Kind == string(token.KindAuto)
	switch {
	case sdjwt.LooksLikeSDJWT(tok) || opts.Kind == kindSDJWT || opts.Kind == kindSDJWTVC:
		if !auto && opts.Kind != kindSDJWT && opts.Kind != kindSDJWTVC {
			return nil, true, badRequest("verify: this is an SD-JWT (it has ~-separated disclosures); verify it with kind auto, sd_jwt or sd_jwt_vc, not %q", opts.Kind)
		}
		res, err := e.verifySDJWT(tok, opts)
		return res, true, err
	case opts.Kind == kindDPoPProof:
	case auto:
		d, err := decodeToken(tok)
		if err != nil {
			return nil, false, nil
		}
		if c := explain.Classify(d.Header, d.Payload); c.RuleKind != kindDPoPProof || !c.Confident() {
			return nil, false, nil
		}
	default:
		return nil, false, nil
	}
	res, err := e.verifyDPoP(tok, opts)
	return res, true, err
}

// durations checks and converts leeway and iatWindow.
func durations(opts formatVerifyOptions) (leeway, window time.Duration, err error) {
	if opts.Leeway < 0 || opts.IATWindow < 0 {
		return 0, 0, badRequest("verify: leeway and iatWindow must be zero or more seconds")
	}
	return time.Duration(opts.Leeway * float64(time.Second)), time.Duration(opts.IATWindow * float64(time.Second)), nil
}

func (e *Engine) verifySDJWT(tok string, opts formatVerifyOptions) (any, error) {
	key, err := keyText(opts.Key, "verify: the issuer's key (options.key)")
	if err != nil {
		return nil, err
	}
	leeway, window, err := durations(opts)
	if err != nil {
		return nil, err
	}
	d, err := decodeSDJWT(tok)
	if err != nil {
		return nil, err
	}
	kind := sdjwt.KindSDJWT
	if opts.Kind == kindSDJWTVC || explain.Classify(d.Header, d.Payload).Kind == explain.KindSDJWTVC {
		kind = sdjwt.KindSDJWTVC
	}
	return sdjwt.Verify(tok, sdjwt.VerifyOptions{
		Key: key, Issuer: opts.Issuer, Audience: opts.Audience, Nonce: opts.Nonce, RequireKeyBinding: opts.RequireKeyBinding,
		Now: e.clock(opts.Now), Leeway: leeway, IATWindow: window, Algorithms: opts.Algorithms, Kind: kind,
	})
}

func (e *Engine) verifyDPoP(tok string, opts formatVerifyOptions) (any, error) {
	leeway, window, err := durations(opts)
	if err != nil {
		return nil, err
	}
	key := ""
	if !isNull(opts.Key) {
		if key, err = keyText(opts.Key, "verify: the client's key (options.key)"); err != nil {
			return nil, err
		}
	}
	res, err := dpop.Verify(tok, dpop.VerifyOptions{
		HTM: opts.HTM, HTU: opts.HTU, AccessToken: opts.AccessToken, Nonce: opts.Nonce, Key: key,
		Now: e.clock(opts.Now), Leeway: leeway, IATWindow: window, Algorithms: opts.Algorithms,
	})
	if err != nil {
		return nil, err
	}
	for what, v := range map[string]json.RawMessage{"the header": res.Header, "the payload": res.Payload} {
		if msg := tooDeep(what, v); msg != "" {
			return nil, &Error{Code: CodeMalformed, Message: msg}
		}
	}
	return res, nil
}

// formatMintOptions are mint's options for SD-JWTs and DPoP proofs.
type formatMintOptions struct {
	Kind        string          `json:"kind"`
	Key         json.RawMessage `json:"key"`
	Alg         string          `json:"alg"`
	Claims      json.RawMessage `json:"claims"`
	Disclose    []string        `json:"disclose"`
	Decoys      int             `json:"decoys"`
	HolderKey   json.RawMessage `json:"holderKey"`
	VCT         string          `json:"vct"`
	Typ         string          `json:"typ"`
	SDAlg       string          `json:"sdAlg"`
	Lifetime    int64           `json:"lifetime"`
	HTM         string          `json:"htm"`
	HTU         string          `json:"htu"`
	AccessToken string          `json:"accessToken"`
	Nonce       string          `json:"nonce"`
	DPoPKey     json.RawMessage `json:"dpopKey"`
	Now         *float64        `json:"now"`
}

// mintFormat mints an SD-JWT (kind sd_jwt or sd_jwt_vc) or a DPoP proof
// (kind dpop_proof). For an access token with dpopKey it returns the
// arguments with cnf.jkt added to the claims, for the JWS path to mint.
// handled is false for every other kind.
func (e *Engine) mintFormat(args []json.RawMessage) (result any, rest []json.RawMessage, handled bool, err error) {
	var opts formatMintOptions
	if len(args) == 0 || isNull(args[0]) {
		return nil, args, false, nil
	}
	if err := optionsArg(args, 0, "mint(options)", &opts); err != nil {
		return nil, nil, true, err
	}
	if !isNull(opts.DPoPKey) && opts.Kind != string(token.KindAccessToken) {
		return nil, nil, true, badRequest("mint: dpopKey binds an access token to a DPoP key (cnf.jkt, RFC 9449 §6.1); use it with kind access_token")
	}
	switch opts.Kind {
	case kindSDJWT, kindSDJWTVC:
		res, err := e.mintSDJWT(opts)
		return res, nil, true, err
	case kindDPoPProof:
		key, err := keyText(opts.Key, "mint: the client's DPoP key (options.key)")
		if err != nil {
			return nil, nil, true, err
		}
		res, err := dpop.Mint(dpop.MintOptions{Key: key, Alg: opts.Alg, HTM: opts.HTM, HTU: opts.HTU, AccessToken: opts.AccessToken, Nonce: opts.Nonce, Now: e.clock(opts.Now)})
		return res, nil, true, err
	case string(token.KindAccessToken):
		if isNull(opts.DPoPKey) {
			return nil, args, false, nil
		}
		dpopKey, err := keyText(opts.DPoPKey, "mint: the DPoP key (options.dpopKey)")
		if err != nil {
			return nil, nil, true, err
		}
		claims, err := dpop.BindClaims(opts.Claims, dpopKey)
		if err != nil {
			return nil, nil, true, err
		}
		var members map[string]json.RawMessage
		_ = json.Unmarshal(args[0], &members)
		members["claims"] = claims
		delete(members, "dpopKey")
		rewritten, _ := json.Marshal(members)
		return nil, append([]json.RawMessage{rewritten}, args[1:]...), false, nil
	}
	return nil, args, false, nil
}

func (e *Engine) mintSDJWT(opts formatMintOptions) (any, error) {
	key, err := keyText(opts.Key, "mint: the issuer's signing key (options.key)")
	if err != nil {
		return nil, err
	}
	holder := ""
	if !isNull(opts.HolderKey) {
		if holder, err = keyText(opts.HolderKey, "mint: the holder's key (options.holderKey)"); err != nil {
			return nil, err
		}
	}
	vct := opts.VCT
	if opts.Kind == kindSDJWTVC && vct == "" {
		vct = "https://credentials.example.com/identity_credential"
	}
	return sdjwt.Issue(sdjwt.IssueOptions{
		Key: key, Alg: opts.Alg, Claims: opts.Claims, Disclose: opts.Disclose, Decoys: opts.Decoys, HolderKey: holder,
		VCT: vct, Typ: opts.Typ, SDAlg: opts.SDAlg, Lifetime: opts.Lifetime, Now: e.clock(opts.Now),
	})
}

// present: present(sdJwt, {disclose?, holderKey?, audience?, nonce?, now?})
// → {token, disclosures, kb?, warnings}: the SD-JWT with only the chosen
// disclosures (and those they depend on) and, with holderKey, a KB-JWT.
func (e *Engine) present(args []json.RawMessage) (any, error) {
	tok, err := stringArg(args, 0, "present(sdJwt, options): the SD-JWT")
	if err != nil {
		return nil, err
	}
	var opts struct {
		Disclose  []string        `json:"disclose"`
		HolderKey json.RawMessage `json:"holderKey"`
		Audience  string          `json:"audience"`
		Nonce     string          `json:"nonce"`
		Now       *float64        `json:"now"`
	}
	if err := optionsArg(args, 1, "present(sdJwt, options)", &opts); err != nil {
		return nil, err
	}
	holder := ""
	if !isNull(opts.HolderKey) {
		if holder, err = keyText(opts.HolderKey, "present: the holder's key (options.holderKey)"); err != nil {
			return nil, err
		}
	}
	if _, err := decodeSDJWT(tok); err != nil {
		return nil, err
	}
	return sdjwt.Present(tok, sdjwt.PresentOptions{Disclose: opts.Disclose, HolderKey: holder, Audience: opts.Audience, Nonce: opts.Nonce, Now: e.clock(opts.Now)})
}
