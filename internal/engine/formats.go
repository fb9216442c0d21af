package engine

import (
	"encoding/json"
	"time"

	"tokenlab/internal/dpop"
	"tokenlab/internal/explain"
	"tokenlab/internal/sdjwt"
	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// The formats built on JWS: SD-JWT (RFC 9901, internal/sdjwt) and DPoP
// proofs (RFC 9449, internal/dpop). The methods of methods.go hand a token
// in those formats, or a kind of theirs, to this file; the options decode
// straight into those packages' option types, as the others do into
// internal/token's.

// inspectSDJWT decodes an SD-JWT once and explains it: the issuer-signed
// JWT, each disclosed claim where it lands, and what selective disclosure
// hides.
func inspectSDJWT(tok string, now time.Time) (*Inspection, error) {
	d, err := sdjwt.Decode(tok)
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
	return &Inspection{Decoded: d, Explanation: explain.ExplainSDJWT(in)}, nil
}

// verifySDJWT: verify(sdJwt, {key, issuer?, audience?, nonce?,
// requireKeyBinding?, now?, leeway?, iatWindow?, algorithms?, kind?}) →
// the verdict of RFC 9901 §7.1 and §7.3 plus {sdAlg, disclosures,
// processed, undisclosed, kb?}.
func (e *Engine) verifySDJWT(tok string, args []json.RawMessage) (any, error) {
	var opts sdjwt.VerifyOptions
	if err := optionsArg(args, 1, "verify(sdJwt, options)", &opts); err != nil {
		return nil, err
	}
	opts.Now = e.at(opts.Now)
	return sdjwt.Verify(tok, opts)
}

// verifyDPoP: verify(proof, {htm?, htu?, accessToken?, nonce?, key?, now?,
// leeway?, iatWindow?, algorithms?}) → the verdict of RFC 9449 §4.3 plus
// jkt. A DPoP proof needs no key, since it carries its own; a key given is
// compared with it. For kind auto, g is what the classifier said, and the
// result says it as token.Verify's results do.
func (e *Engine) verifyDPoP(tok string, args []json.RawMessage, g *token.Guess) (any, error) {
	var opts dpop.VerifyOptions
	if err := optionsArg(args, 1, "verify(proof, options)", &opts); err != nil {
		return nil, err
	}
	opts.Now = e.at(opts.Now)
	res, err := dpop.Verify(tok, opts)
	if err != nil || g == nil {
		return res, err
	}
	res.Requested, res.Guess = vocab.Auto, g
	return res, nil
}

// mintSDJWT: mint({kind: "sd_jwt" | "sd_jwt_vc", key, alg?, claims?,
// disclose?, decoys?, holderKey?, vct?, typ?, sdAlg?, lifetime?, now?}) →
// {token, header, payload, disclosures}.
func (e *Engine) mintSDJWT(args []json.RawMessage) (any, error) {
	var opts sdjwt.IssueOptions
	if err := optionsArg(args, 0, "mint(options)", &opts); err != nil {
		return nil, err
	}
	opts.Now = e.at(opts.Now)
	return sdjwt.Issue(opts)
}

// mintDPoP: mint({kind: "dpop_proof", key, alg?, htm?, htu?,
// accessToken?, nonce?, now?}) → {token, header, payload}.
func (e *Engine) mintDPoP(args []json.RawMessage) (any, error) {
	var opts dpop.MintOptions
	if err := optionsArg(args, 0, "mint(options)", &opts); err != nil {
		return nil, err
	}
	opts.Now = e.at(opts.Now)
	return dpop.Mint(opts)
}

// present: present(sdJwt, {disclose?, holderKey?, audience?, nonce?, now?})
// → {token, disclosures, kb?, warnings}: the SD-JWT with only the chosen
// disclosures (and those they depend on) and, with holderKey, a Key
// Binding JWT.
func (e *Engine) present(args []json.RawMessage) (any, error) {
	var opts sdjwt.PresentOptions
	tok, err := tokenArgs(args, "present", &opts)
	if err != nil {
		return nil, err
	}
	opts.Now = e.at(opts.Now)
	return sdjwt.Present(tok, opts)
}
