package sdjwt

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tokenlab/internal/token"
)

// PresentOptions say what a holder presents: the options of tokenlab's
// present (docs/API.md), each field's json tag its JavaScript name.
type PresentOptions struct {
	// Disclose names what to disclose: top-level claim names or JSON
	// Pointers into the processed payload ("/address/street_address",
	// "/nationalities/0"). Each selects the disclosure at that place, the
	// disclosures beneath it (its whole value) and those it depends on
	// (the disclosures of its parents, RFC 9901 §4.2.6). Empty discloses
	// nothing.
	Disclose []string `json:"disclose"`
	// HolderKey, when set, signs a Key Binding JWT (RFC 9901 §4.3) with
	// the holder's private key: the key in the SD-JWT's cnf.jwk.
	HolderKey token.KeyInput `json:"holderKey"`
	// Audience is the KB-JWT's aud; default DefaultAudience.
	Audience string `json:"audience"`
	// Nonce is the KB-JWT's nonce, the one the verifier sent; default: a
	// random one.
	Nonce string `json:"nonce"`
	// Now is the KB-JWT's iat; zero means time.Now(). In JSON: Unix
	// seconds.
	Now time.Time `json:"now"`
}

// DefaultAudience is a KB-JWT's aud when PresentOptions.Audience is empty:
// the verifier of RFC 9901's examples.
const DefaultAudience = "https://verifier.example.org"

// Presented is what a holder sends a verifier: an SD-JWT with the chosen
// disclosures, or an SD-JWT+KB.
type Presented struct {
	Token string `json:"token"`
	// Disclosures are the disclosures kept, in the issued order.
	Disclosures []Disclosure `json:"disclosures"`
	// KB is the Key Binding JWT appended, when HolderKey was given.
	KB *KB `json:"kb,omitempty"`
	// Warnings say what the presentation will not prove (a holder key
	// that is not the one in cnf, a claim that is always visible).
	Warnings []string `json:"warnings"`
}

// Present makes a presentation of an SD-JWT as issued (RFC 9901 §7.2):
// the issuer-signed JWT, the chosen disclosures, and, with HolderKey, a
// KB-JWT whose sd_hash covers exactly them (§4.3.1), typ kb+jwt, iat, aud
// and nonce. An SD-JWT that already ends with a KB-JWT, or that breaks a
// rule of RFC 9901, is refused, as a holder must (§7.2).
func Present(s string, opts PresentOptions) (*Presented, error) {
	d, err := Decode(s)
	if err != nil {
		return nil, err
	}
	if d.KB != nil {
		return nil, fmt.Errorf("%w: this SD-JWT already ends with a Key Binding JWT, so it is a presentation; present the SD-JWT as issued (ending with ~) instead (RFC 9901 §7.2)", token.ErrBadRequest)
	}
	if len(d.problems) > 0 {
		return nil, fmt.Errorf("%w: the SD-JWT breaks RFC 9901 (%s), and a holder must not present it (§7.2)", token.ErrMalformed, d.problems[0].message)
	}
	processed, err := decodeJSON(d.Processed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", token.ErrMalformed, err)
	}
	out := &Presented{Disclosures: []Disclosure{}, Warnings: []string{}}
	keep := make([]bool, len(d.Disclosures))
	for _, ref := range opts.Disclose {
		p, err := resolve(processed, ref)
		if err != nil {
			return nil, fmt.Errorf("%w: disclose %q: %v", token.ErrBadRequest, ref, err)
		}
		found := false
		for i, disc := range d.Disclosures {
			if disc.Path == p || strings.HasPrefix(disc.Path, p+"/") || strings.HasPrefix(p, disc.Path+"/") {
				keep[i], found = true, true
			}
		}
		if !found {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s is not selectively disclosable: the issuer signed it in plain text, so every presentation shows it", p))
		}
	}
	out.Token = d.parsed.issuerJWT + "~"
	for i, disc := range d.Disclosures {
		if keep[i] {
			out.Token += disc.Disclosure + "~"
			out.Disclosures = append(out.Disclosures, disc)
		}
	}
	if opts.HolderKey == "" {
		return out, nil
	}
	kb, warnings, err := keyBindingJWT(out.Token, d, opts)
	if err != nil {
		return nil, err
	}
	out.Token += kb.Token
	out.KB = &KB{Header: kb.Header, Payload: kb.Payload, Parts: strings.Split(kb.Token, ".")}
	out.KB.Signature = out.KB.Parts[2]
	out.Warnings = append(out.Warnings, warnings...)
	return out, nil
}

// keyBindingJWT signs the KB-JWT over the presented SD-JWT.
func keyBindingJWT(presented string, d *Decoded, opts PresentOptions) (*token.Minted, []string, error) {
	holder, err := token.ImportKey(string(opts.HolderKey), token.ImportOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("the holder key: %w", err)
	}
	if holder.Kty == "oct" {
		return nil, nil, fmt.Errorf("%w: a KB-JWT is signed with the holder's private key (RFC 9901 §4.3); a shared secret cannot be in cnf.jwk", token.ErrBadKey)
	}
	var warnings []string
	processed := claimsOf(d.Processed)
	cnf, _ := processed["cnf"].(map[string]any)
	switch jwk, ok := cnf["jwk"]; {
	case !ok:
		warnings = append(warnings, "the issuer bound no holder key (no cnf.jwk), so a verifier has no key to check this KB-JWT with")
	default:
		bound, err := token.ImportKey(encodeGo(jwk), token.ImportOptions{})
		if err == nil && bound.Thumbprint != holder.Thumbprint {
			warnings = append(warnings, fmt.Sprintf("the holder key (thumbprint %s) is not the key in cnf.jwk (thumbprint %s): verification will fail kb_signature", holder.Thumbprint, bound.Thumbprint))
		}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	aud, nonce := opts.Audience, opts.Nonce
	if aud == "" {
		aud = DefaultAudience
	}
	if nonce == "" {
		if nonce, err = randomText(); err != nil {
			return nil, nil, err
		}
	}
	payload := &object{[]member{
		{"nonce", nonce}, {"aud", aud},
		{"iat", json.Number(strconv.FormatInt(now.Unix(), 10))},
		{"sd_hash", digest(d.parsed.hash, presented)},
	}}
	kb, err := token.Sign(token.SignOptions{Key: string(opts.HolderKey), Alg: holder.Alg, Header: json.RawMessage(`{"typ":"kb+jwt"}`), Payload: encodeJSON(payload)})
	if err != nil {
		return nil, nil, err
	}
	return kb, warnings, nil
}
