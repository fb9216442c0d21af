package sdjwt

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"sort"
	"strconv"
	"strings"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// IssueOptions describe the SD-JWT Issue makes: the options of tokenlab's
// mint for kinds sd_jwt and sd_jwt_vc (docs/API.md), each field's json tag
// its JavaScript name.
type IssueOptions struct {
	// Kind is vocab.SDJWT (the default) or vocab.SDJWTVC, which adds vct
	// (DefaultVCT unless VCT is given) and so the typ dc+sd-jwt.
	Kind vocab.Kind `json:"kind"`
	// Key is the issuer's private key as token.ImportKey takes it; an
	// HMAC secret is refused (RFC 9901 §4.1: the issuer signs with its
	// private key, so that verifiers cannot forge).
	Key token.KeyInput `json:"key"`
	// Alg is the JWS algorithm; default: the key's.
	Alg string `json:"alg"`
	// Claims is the claims set, a JSON object, merged over iss
	// (DefaultIssuer), iat (Now) and exp (Now + Lifetime); a member set to
	// null removes that claim. Empty means the user data of RFC 9901 §5.1
	// (sub, given_name, family_name, email, phone_number,
	// phone_number_verified, address, birthdate, updated_at,
	// nationalities).
	Claims json.RawMessage `json:"claims"`
	// Disclose names the claims to make selectively disclosable: a
	// top-level claim name ("given_name"), or a JSON Pointer (RFC 6901)
	// into the claims for a nested property or an array element
	// ("/address/street_address", "/nationalities/0"). Pointers may nest
	// ("/address" and "/address/street_address": recursive disclosures,
	// §4.2.6). Nil (absent in JSON) means every top-level claim but iss,
	// iat, nbf, exp, sub, cnf, vct and status; an empty list means none.
	Disclose []string `json:"disclose"`
	// Decoys is how many decoy digests (§4.2.5) to add to each _sd array,
	// the top level's included: 0 to 100.
	Decoys int `json:"decoys"`
	// HolderKey, when set, binds the SD-JWT to the holder: cnf.jwk is its
	// public JWK (§4.1.2), and presentations need a KB-JWT it signs.
	HolderKey token.KeyInput `json:"holderKey"`
	// VCT, when set, adds the vct claim of an SD-JWT VC and makes the
	// default typ dc+sd-jwt.
	VCT string `json:"vct"`
	// Typ is the header typ; default "example+sd-jwt" as in RFC 9901's
	// examples (§9.11), or "dc+sd-jwt" with a vct.
	Typ string `json:"typ"`
	// SDAlg is _sd_alg: sha-256 (the default), sha-384 or sha-512.
	SDAlg string `json:"sdAlg"`
	// Lifetime is seconds from iat to exp; 0 means DefaultLifetime.
	Lifetime int64 `json:"lifetime"`
	// Now is the issue time; zero means time.Now(). In JSON: Unix seconds.
	Now time.Time `json:"now"`
}

// DefaultIssuer is an issued SD-JWT's iss unless the claims set one: the
// issuer of RFC 9901's examples.
const DefaultIssuer = "https://issuer.example.com"

// DefaultVCT is the vct of an SD-JWT VC issued without one: the credential
// type of the SD-JWT VC specification's examples.
const DefaultVCT = "https://credentials.example.com/identity_credential"

// DefaultLifetime is an issued SD-JWT's lifetime when none is given: a
// year, as credentials are long-lived (revocation goes through a status
// list rather than expiry).
const DefaultLifetime = 365 * 24 * 3600

// Issued is a new SD-JWT in the form the issuer gives the holder: the
// issuer-signed JWT followed by every disclosure (RFC 9901 §4).
type Issued struct {
	Token   string          `json:"token"`
	Header  json.RawMessage `json:"header"`
	Payload json.RawMessage `json:"payload"`
	// Disclosures are all the disclosures, with the path each discloses.
	Disclosures []Disclosure `json:"disclosures"`
}

// exampleClaims is the user data of RFC 9901 §5.1.
const exampleClaims = `{"sub":"user_42","given_name":"John","family_name":"Doe","email":"johndoe@example.com","phone_number":"+1-202-555-0101","phone_number_verified":true,"address":{"street_address":"123 Main St","locality":"Anytown","region":"Anystate","country":"US"},"birthdate":"1940-01-01","updated_at":1570000000,"nationalities":["US","DE"]}`

// alwaysVisible are the claims the default disclose list leaves in plain
// text: what a verifier needs to validate the SD-JWT at all (RFC 9901
// §9.7) and the SD-JWT VC claims that may not be hidden.
var alwaysVisible = map[string]bool{"iss": true, "iat": true, "nbf": true, "exp": true, "sub": true, "cnf": true, "vct": true, "status": true}

// Issue issues an SD-JWT (RFC 9901 §4): for each claim to disclose, a
// disclosure [salt, name, value] or [salt, value] with a random 128-bit
// salt (§4.2.1, §9.3), its digest in the parent's _sd array or in place of
// the array element (§4.2.4), each _sd array sorted so that it does not
// reveal the claims' order (§4.2.4.1), decoys when asked (§4.2.5), the
// holder's key in cnf.jwk, then the payload signed with token.Sign. Bad
// options fail with token.ErrBadRequest, keys with token.ErrBadKey.
func Issue(opts IssueOptions) (*Issued, error) {
	switch opts.Kind {
	case "", vocab.SDJWT:
	case vocab.SDJWTVC:
		if opts.VCT == "" {
			opts.VCT = DefaultVCT
		}
	default:
		return nil, fmt.Errorf("%w: Issue makes kind sd_jwt or sd_jwt_vc, not %q", token.ErrBadRequest, opts.Kind)
	}
	if opts.Key == "" {
		return nil, fmt.Errorf("%w: issuing an SD-JWT needs the issuer's private key (generate one with generateKey, e.g. ES256)", token.ErrBadRequest)
	}
	if opts.Decoys < 0 || opts.Decoys > 100 {
		return nil, fmt.Errorf("%w: decoys must be 0 to 100 per _sd array", token.ErrBadRequest)
	}
	if opts.Lifetime < 0 {
		return nil, fmt.Errorf("%w: lifetime must be positive seconds", token.ErrBadRequest)
	}
	issuer, err := token.ImportKey(string(opts.Key), token.ImportOptions{Alg: opts.Alg})
	if err != nil {
		return nil, err
	}
	if issuer.Kty == "oct" {
		return nil, fmt.Errorf("%w: an SD-JWT is signed with the issuer's private key (RFC 9901 §4.1), so that holders and verifiers check it with the public key; with a shared secret every verifier could forge credentials. Use an asymmetric key such as ES256", token.ErrBadKey)
	}
	alg := opts.SDAlg
	if alg == "" {
		alg = DefaultHashAlg
	}
	h, err := hashFor(alg)
	if err != nil {
		return nil, fmt.Errorf("%w (sdAlg)", err)
	}
	claims, err := issueClaims(opts)
	if err != nil {
		return nil, err
	}
	selected, err := selectPaths(claims, opts.Disclose)
	if err != nil {
		return nil, err
	}
	is := &concealer{hash: h, selected: selected, decoys: opts.Decoys}
	concealed, err := is.conceal(claims, "")
	if err != nil {
		return nil, err
	}
	payload := concealed.(*object)
	payload.members = append(payload.members, member{"_sd_alg", alg})
	typ := opts.Typ
	switch {
	case typ != "":
	case opts.VCT != "":
		typ = "dc+sd-jwt"
	default:
		typ = "example+sd-jwt"
	}
	signed, err := token.Sign(token.SignOptions{Key: string(opts.Key), Alg: issuer.Alg, Header: encodeJSON(&object{[]member{{"typ", typ}}}), Payload: encodeJSON(payload), Kid: true})
	if err != nil {
		return nil, err
	}
	sdjwt := signed.Token + "~"
	for _, d := range is.made {
		sdjwt += d + "~"
	}
	d, err := Decode(sdjwt)
	if err != nil {
		return nil, err
	}
	return &Issued{Token: sdjwt, Header: signed.Header, Payload: signed.Payload, Disclosures: d.Disclosures}, nil
}

// issueClaims builds the claims: iss, iat, exp, then the caller's claims
// (or RFC 9901's example), vct and cnf.
func issueClaims(opts IssueOptions) (*object, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	lifetime := opts.Lifetime
	if lifetime == 0 {
		lifetime = DefaultLifetime
	}
	claims := &object{members: []member{
		{"iss", DefaultIssuer},
		{"iat", json.Number(strconv.FormatInt(now.Unix(), 10))},
		{"exp", json.Number(strconv.FormatInt(now.Unix()+lifetime, 10))},
	}}
	given := opts.Claims
	if len(strings.TrimSpace(string(given))) == 0 || string(given) == "null" {
		given = json.RawMessage(exampleClaims)
	}
	v, err := decodeJSON(given)
	if err != nil {
		return nil, fmt.Errorf("%w: claims are not valid JSON: %v", token.ErrBadRequest, err)
	}
	obj, ok := v.(*object)
	if !ok {
		return nil, fmt.Errorf("%w: claims must be a JSON object, e.g. {\"given_name\":\"Alice\"}", token.ErrBadRequest)
	}
	for _, m := range obj.members {
		claims.set(m.name, m.value)
	}
	if opts.VCT != "" {
		claims.set("vct", opts.VCT)
	}
	if opts.HolderKey != "" {
		if claims.has("cnf") {
			return nil, fmt.Errorf("%w: the claims already have cnf; give the holder's key either as holderKey or in cnf, not both", token.ErrBadRequest)
		}
		jwk, err := publicJWK(string(opts.HolderKey), "the holder key (holderKey)")
		if err != nil {
			return nil, err
		}
		claims.set("cnf", &object{[]member{{"jwk", jwk}}})
	}
	if err := checkReserved(claims, ""); err != nil {
		return nil, err
	}
	return claims, nil
}

// set replaces, adds or (for null) removes a member.
func (o *object) set(name string, v any) {
	for i, m := range o.members {
		if m.name == name {
			if v == nil {
				o.members = append(o.members[:i], o.members[i+1:]...)
			} else {
				o.members[i].value = v
			}
			return
		}
	}
	if v != nil {
		o.members = append(o.members, member{name, v})
	}
}

// checkReserved refuses claims that use the names SD-JWT reserves for
// digests (RFC 9901 §4.1 rule 7, §4.1.1).
func checkReserved(v any, path string) error {
	switch x := v.(type) {
	case *object:
		for _, m := range x.members {
			if m.name == "_sd" || m.name == "_sd_alg" || m.name == "..." {
				return fmt.Errorf("%w: claims may not use %q (at %s): SD-JWT reserves it for digests (RFC 9901 §4.1)", token.ErrBadRequest, m.name, at(path))
			}
			if err := checkReserved(m.value, path+"/"+pointerToken(m.name)); err != nil {
				return err
			}
		}
	case []any:
		for i, el := range x {
			if err := checkReserved(el, path+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// publicJWK is the public JWK of a key with only the members that define
// it, as cnf.jwk carries it.
func publicJWK(key, what string) (*object, error) {
	k, err := token.ImportKey(key, token.ImportOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(k.PublicJWK) == 0 {
		return nil, fmt.Errorf("%w: %s is %s; key binding needs an asymmetric key pair (ES256, EdDSA …), whose public half goes in cnf.jwk", token.ErrBadKey, what, k.Description)
	}
	v, err := decodeJSON(k.PublicJWK)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", token.ErrBadKey, what, err)
	}
	jwk := v.(*object)
	out := &object{}
	for _, m := range jwk.members {
		if m.name != "kid" && m.name != "alg" && m.name != "use" && m.name != "key_ops" {
			out.members = append(out.members, m)
		}
	}
	return out, nil
}

// selectPaths resolves the disclose list into the JSON Pointers of the
// claims to make selectively disclosable.
func selectPaths(claims *object, disclose []string) (map[string]bool, error) {
	selected := map[string]bool{}
	if disclose == nil {
		for _, m := range claims.members {
			if !alwaysVisible[m.name] {
				selected["/"+pointerToken(m.name)] = true
			}
		}
		return selected, nil
	}
	for _, d := range disclose {
		p, err := resolve(claims, d)
		if err != nil {
			return nil, fmt.Errorf("%w: disclose %q: %v", token.ErrBadRequest, d, err)
		}
		if p == "/cnf" || strings.HasPrefix(p, "/cnf/") {
			return nil, fmt.Errorf("%w: disclose %q: cnf holds the holder's key, which a verifier must always see to check key binding", token.ErrBadRequest, d)
		}
		selected[p] = true
	}
	return selected, nil
}

// resolve turns a claim name or JSON Pointer into the pointer of a member
// or element that exists in v, in canonical form.
func resolve(v any, ref string) (string, error) {
	if ref == "" || ref == "/" {
		return "", fmt.Errorf("name a claim, not the whole claims set")
	}
	if !strings.HasPrefix(ref, "/") {
		ref = "/" + pointerToken(ref)
	}
	tokens, err := splitPointer(ref)
	if err != nil {
		return "", err
	}
	path := ""
	for _, t := range tokens {
		switch x := v.(type) {
		case *object:
			child, ok := x.get(t)
			if !ok {
				return "", fmt.Errorf("there is no claim %q at %s", t, at(path))
			}
			v, path = child, path+"/"+pointerToken(t)
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != t {
				return "", fmt.Errorf("%s is an array of %d elements; %q is not an index in it", at(path), len(x), t)
			}
			v, path = x[i], path+"/"+t
		default:
			return "", fmt.Errorf("%s is %s, which has no members", at(path), jsonShape(v))
		}
	}
	return path, nil
}

// concealer builds the disclosures of one SD-JWT.
type concealer struct {
	hash     func() hash.Hash
	selected map[string]bool
	decoys   int
	made     []string // the disclosures, in the order made
}

// conceal replaces each selected claim below v by its digest, children
// before parents, so that a selected member of a selected object is a
// recursive disclosure (§4.2.6).
func (is *concealer) conceal(v any, path string) (any, error) {
	switch x := v.(type) {
	case *object:
		out := &object{}
		var digests []string
		for _, m := range x.members {
			p := path + "/" + pointerToken(m.name)
			child, err := is.conceal(m.value, p)
			if err != nil {
				return nil, err
			}
			if !is.selected[p] {
				out.members = append(out.members, member{m.name, child})
				continue
			}
			d, err := is.disclose([]any{m.name, child})
			if err != nil {
				return nil, err
			}
			digests = append(digests, d)
		}
		if len(digests) > 0 || path == "" {
			for range is.decoys {
				d, err := is.decoy()
				if err != nil {
					return nil, err
				}
				digests = append(digests, d)
			}
		}
		if len(digests) > 0 {
			sort.Strings(digests)
			list := make([]any, len(digests))
			for i, d := range digests {
				list[i] = d
			}
			out.members = append([]member{{"_sd", list}}, out.members...)
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			p := path + "/" + strconv.Itoa(i)
			child, err := is.conceal(el, p)
			if err != nil {
				return nil, err
			}
			if !is.selected[p] {
				out[i] = child
				continue
			}
			d, err := is.disclose([]any{child})
			if err != nil {
				return nil, err
			}
			out[i] = &object{[]member{{"...", d}}}
		}
		return out, nil
	}
	return v, nil
}

// disclose makes the disclosure [salt, …rest] and returns its digest.
func (is *concealer) disclose(rest []any) (string, error) {
	salt, err := randomText()
	if err != nil {
		return "", err
	}
	text := base64.RawURLEncoding.EncodeToString(encodeJSON(append([]any{salt}, rest...)))
	is.made = append(is.made, text)
	return digest(is.hash, text), nil
}

// decoy is the digest of random bytes (§4.2.5).
func (is *concealer) decoy() (string, error) {
	r, err := randomText()
	if err != nil {
		return "", err
	}
	return digest(is.hash, r), nil
}

// randomText is 128 random bits, base64url: a salt (§9.3) or a nonce.
func randomText() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("%w: no randomness: %v", token.ErrUnsupported, err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
