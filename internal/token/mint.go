package token

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"tokenlab/internal/vocab"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// MintOptions describe the token Mint issues.
type MintOptions struct {
	// Kind is id_token, access_token, logout_token, refresh_token or jwt.
	Kind vocab.Kind `json:"kind"`
	// Key is the signing key as ImportKey takes it (a JWKS must hold one
	// key for Alg). A private key or a secret is needed.
	Key KeyInput `json:"key"`
	// Alg defaults to the key's alg. A JWE key-management algorithm
	// (RSA-OAEP, ECDH-ES, A256KW, dir, …) makes Mint encrypt the claims to
	// Key instead of signing them (RFC 7519 §5, an encrypted JWT).
	Alg string `json:"alg"`
	// Claims are merged over the defaults of Kind (and Preset); a member
	// set to JSON null removes that claim.
	Claims json.RawMessage `json:"claims"`
	// Header holds extra header parameters; typ and kid may be replaced or
	// removed (null), alg may not.
	Header json.RawMessage `json:"header"`
	// Lifetime is seconds from iat to exp; 0 means DefaultLifetime.
	Lifetime int64 `json:"lifetime"`
	// Preset shapes the header and claims (presets.json): "standard" (the
	// default: what the specifications require, typ at+jwt for access
	// tokens), or a vendor's tokens as it issues them: entra, auth0, okta,
	// keycloak, google or cognito. Vendor presets keep the vendor's header
	// (Entra and Auth0 typ JWT, Okta and Cognito no typ), not RFC 9068's.
	Preset string `json:"preset"`
	// AccessToken, for an ID token, adds at_hash (OIDC Core 3.2.2.9).
	AccessToken string `json:"accessToken"`
	// Code, for an ID token, adds c_hash (OIDC Core 3.3.2.11).
	Code string `json:"code"`
	// DPoPKey, for an access token, binds it to a DPoP key (RFC 9449
	// §6.1): the claim cnf.jkt is the RFC 7638 thumbprint of the key's
	// public key, so that an API accepts the token only with a DPoP proof
	// signed by that key. The key is the client's, as ImportKey takes it;
	// its public half suffices. A symmetric key is refused.
	DPoPKey KeyInput `json:"dpopKey"`
	// Encrypt, when set, signs with Key and then encrypts the JWS into a
	// JWE with cty "JWT" (a nested JWT, RFC 7519 §5.2). When Alg is itself
	// a JWE algorithm, an Encrypt without Key only chooses Enc and
	// PBES2Count.
	Encrypt *EncryptOptions `json:"encrypt"`
	// Now is the issue time; zero means time.Now(). In JSON: Unix seconds.
	Now time.Time `json:"now"`
}

// EncryptOptions choose how Mint encrypts (RFC 7516).
type EncryptOptions struct {
	// Key is the recipient's key as ImportKey takes it: an RSA or EC public
	// key, an AES key, a dir content-encryption key or a PBES2 password.
	Key KeyInput `json:"key"`
	// Alg is the key-management algorithm; default: the key's JWE alg, else
	// RSA-OAEP-256 for RSA, ECDH-ES for EC, A128KW/A192KW/A256KW for 16-,
	// 24- and 32-byte secrets.
	Alg string `json:"alg"`
	// Enc is the content encryption; default DefaultEnc (for dir: the one that
	// fits the key size).
	Enc string `json:"enc"`
	// PBES2Count is the PBES2 iteration count (RFC 7518 §4.8.1.2); 0 uses
	// go-jose's default of 600000.
	PBES2Count int `json:"pbes2Count"`
}

// Minted is a new token.
type Minted struct {
	// Token is the compact JWS or JWE.
	Token string `json:"token"`
	// Header is the token's (outer) header, as Decode shows it.
	Header json.RawMessage `json:"header"`
	// Payload is the claims.
	Payload json.RawMessage `json:"payload"`
	// Nested is the signed inner token when Encrypt was used.
	Nested *Minted `json:"nested,omitempty"`
}

// Mint issues a token of opts.Kind: an ID token (OIDC Core 1.0 §2: iss,
// sub, aud = client ID, exp, iat, auth_time, nonce, at_hash/c_hash when
// AccessToken/Code are given), an access token (RFC 9068 §2: typ at+jwt;
// iss, sub, aud = the API, exp, iat, jti, client_id, scope), a logout token
// (OIDC Back-Channel Logout 1.0 §2.4: typ logout+jwt, events, sid, jti, no
// nonce), a refresh token or a plain JWT, signed with golang-jwt's signing
// methods (RFC 7518 §3) or, for a JWE alg or with Encrypt, encrypted with
// go-jose (RFC 7516); an access token with DPoPKey carries cnf.jkt (RFC
// 9449 §6.1). It never produces alg none.
func Mint(opts MintOptions) (*Minted, error) {
	if opts.Kind == "" {
		return nil, fmt.Errorf("%w: mint needs a kind: %s", ErrBadRequest, vocab.OrList(MintKinds()))
	}
	if err := checkMintKind(opts.Kind); err != nil {
		return nil, err
	}
	if opts.Key == "" {
		return nil, fmt.Errorf("%w: mint needs a key: a private key or a secret (generate one with GenerateKey)", ErrBadRequest)
	}
	if opts.Lifetime < 0 {
		return nil, fmt.Errorf("%w: lifetime must be positive seconds", ErrBadRequest)
	}
	set, err := parseKeyInput(string(opts.Key))
	if err != nil {
		return nil, err
	}
	chosen, err := set.choose("", opts.Alg)
	if err != nil {
		return nil, err
	}
	jwk := chosen.JSONWebKey
	alg := opts.Alg
	if alg == "" {
		alg = jwk.Algorithm
	}
	if alg == "" {
		alg = defaultAlg(jwk.Key)
	}
	if alg == "none" {
		return nil, fmt.Errorf("%w: tokenlab does not mint unsecured (alg none) tokens (RFC 8725 §3.1); decode shows how they look", ErrUnsupported)
	}
	if err := fitKey(alg, jwk.Key); err != nil {
		return nil, err
	}
	spec, _ := lookupAlg(alg)
	use := forSign
	if spec.jwe {
		use = forEncrypt
	}
	if err := chosen.usableFor(use); err != nil {
		return nil, err
	}
	shape, err := presetKind(opts.Preset, opts.Kind)
	if err != nil {
		return nil, err
	}
	kid := jwk.KeyID
	if kid == "" {
		kid, _ = thumbprint(jwk)
	}
	vals, err := newTemplateValues(opts, alg, kid)
	if err != nil {
		return nil, err
	}
	claims, err := buildClaims(opts, shape, vals, alg, spec.jwe)
	if err != nil {
		return nil, err
	}
	payload, err := claims.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("%w: the claims cannot be encoded: %v", ErrBadRequest, err)
	}
	header, err := fromTemplate(shape.Header, vals, "header")
	if err != nil {
		return nil, err
	}
	typ := ""
	if raw, ok := header.vals["typ"]; ok {
		_ = json.Unmarshal(raw, &typ)
	}
	if spec.jwe {
		eo := &EncryptOptions{Alg: alg}
		if opts.Encrypt != nil {
			if opts.Encrypt.Key != "" {
				return nil, fmt.Errorf("%w: alg %s already encrypts to the key; to sign and then encrypt, give a signing alg and put %s in encrypt.alg", ErrBadRequest, alg, alg)
			}
			eo.Enc, eo.PBES2Count = opts.Encrypt.Enc, opts.Encrypt.PBES2Count
		}
		token, err := encryptJWE(payload, jwk, eo, typ, "", opts.Header)
		if err != nil {
			return nil, err
		}
		return finish(token, payload)
	}
	if err := header.merge(opts.Header, "header"); err != nil {
		return nil, err
	}
	if raw, ok := header.vals["alg"]; !ok || string(raw) != string(marshal(alg)) {
		return nil, fmt.Errorf("%w: set the algorithm with the alg option, not in header", ErrBadRequest)
	}
	headerJSON, _ := header.MarshalJSON()
	token, err := signJWS(alg, jwk.Key, headerJSON, payload)
	if err != nil {
		return nil, err
	}
	signed := &Minted{Token: token, Header: headerJSON, Payload: payload}
	if opts.Encrypt == nil {
		return signed, nil
	}
	encSet, err := parseKeyInput(string(opts.Encrypt.Key))
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	encKey, err := encSet.choose("", opts.Encrypt.Alg)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	if err := encKey.usableFor(forEncrypt); err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	outer, err := encryptJWE([]byte(token), encKey.JSONWebKey, opts.Encrypt, "", "JWT", nil)
	if err != nil {
		return nil, err
	}
	m, err := finish(outer, payload)
	if err != nil {
		return nil, err
	}
	m.Nested = signed
	return m, nil
}

// finish wraps a JWE token with its header.
func finish(token string, payload json.RawMessage) (*Minted, error) {
	d, err := Decode(token)
	if err != nil {
		return nil, err
	}
	return &Minted{Token: token, Header: d.Header, Payload: payload}, nil
}

// newTemplateValues fixes the times and the random jti of a new token.
func newTemplateValues(opts MintOptions, alg, kid string) (templateValues, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	lifetime := opts.Lifetime
	if lifetime == 0 {
		lifetime = DefaultLifetime
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return templateValues{}, fmt.Errorf("%w: no randomness for jti: %v", ErrUnsupported, err)
	}
	return templateValues{iat: now.Unix(), exp: now.Unix() + lifetime, jti: base64.RawURLEncoding.EncodeToString(jti), alg: alg, kid: kid}, nil
}

// buildClaims fills the preset's claims, adds at_hash/c_hash, then merges
// the caller's claims over them.
func buildClaims(opts MintOptions, shape *PresetKind, vals templateValues, alg string, jwe bool) (*claimSet, error) {
	claims, err := fromTemplate(shape.Claims, vals, "claims")
	if err != nil {
		return nil, err
	}
	for _, h := range []struct{ claim, value, what string }{{"at_hash", opts.AccessToken, "an access token"}, {"c_hash", opts.Code, "a code"}} {
		if h.value == "" {
			continue
		}
		if opts.Kind != vocab.IDToken {
			return nil, fmt.Errorf("%w: %s is an ID token claim; pass %s only when minting an id_token", ErrBadRequest, h.claim, h.what)
		}
		if jwe {
			return nil, fmt.Errorf("%w: %s uses the hash of the signing algorithm; sign the ID token (and encrypt it with the encrypt option) to include it", ErrBadRequest, h.claim)
		}
		sum, err := halfHash(alg, h.value)
		if err != nil {
			return nil, err
		}
		claims.set(h.claim, sum)
	}
	if err := claims.merge(opts.Claims, "claims"); err != nil {
		return nil, err
	}
	if opts.DPoPKey != "" {
		if err := bindDPoPKey(claims, opts); err != nil {
			return nil, err
		}
	}
	return claims, nil
}

// bindDPoPKey adds cnf.jkt, the RFC 7638 thumbprint of the DPoP key's
// public key (RFC 9449 §6.1), to an access token's claims.
func bindDPoPKey(claims *claimSet, opts MintOptions) error {
	if opts.Kind != vocab.AccessToken {
		return fmt.Errorf("%w: dpopKey binds an access token to a DPoP key (cnf.jkt, RFC 9449 §6.1); use it with kind access_token, not %s", ErrBadRequest, opts.Kind)
	}
	if _, has := claims.vals["cnf"]; has {
		return fmt.Errorf("%w: the claims already have cnf, and dpopKey sets cnf.jkt: give one or the other", ErrBadRequest)
	}
	set, err := parseKeyInput(string(opts.DPoPKey))
	if err != nil {
		return fmt.Errorf("the DPoP key (dpopKey): %w", err)
	}
	k, err := set.choose("", "")
	if err != nil {
		return fmt.Errorf("the DPoP key (dpopKey): %w", err)
	}
	if _, secret := k.Key.([]byte); secret {
		return fmt.Errorf("%w: the DPoP key (dpopKey) is a shared secret; an access token is bound to the thumbprint of the client's asymmetric public key (RFC 9449 §6.1)", ErrBadKey)
	}
	jkt, err := thumbprint(jose.JSONWebKey{Key: verificationKey(k.Key)})
	if err != nil {
		return fmt.Errorf("%w: the DPoP key's thumbprint: %v", ErrBadKey, err)
	}
	claims.set("cnf", map[string]string{"jkt": jkt})
	return nil
}

// signJWS makes a compact JWS (RFC 7515 §7.1) over exactly these header
// and payload bytes with golang-jwt's signing method for alg.
func signJWS(alg string, key any, header, payload []byte) (string, error) {
	if !isPrivate(key) {
		return "", fmt.Errorf("%w: signing with %s needs the private key, but this is %s; the public key only verifies", ErrBadKey, alg, describeKey(key))
	}
	method := jwt.GetSigningMethod(alg)
	if method == nil {
		return "", fmt.Errorf("%w: signing algorithm %q", ErrUnsupported, alg)
	}
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sig, err := method.Sign(input, key)
	if err != nil {
		return "", fmt.Errorf("%w: signing with %s failed: %v", ErrBadKey, alg, err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// encryptionAlg picks the key-management algorithm for a key.
func encryptionAlg(jwk jose.JSONWebKey, want string) (string, error) {
	if want != "" {
		return want, nil
	}
	if spec, ok := lookupAlg(jwk.Algorithm); ok && spec.jwe {
		return jwk.Algorithm, nil
	}
	if alg := defaultEncryptionAlg(jwk.Key); alg != "" {
		return alg, nil
	}
	if kty, _ := keyType(jwk.Key); kty == "oct" {
		return "", fmt.Errorf("%w: a %d-byte secret could be a dir key or a PBES2 password; say which with the encryption alg", ErrBadRequest, keyBits(jwk.Key)/8)
	}
	return "", fmt.Errorf("%w: %s cannot encrypt; JWE takes RSA, EC (ECDH-ES) and symmetric keys", ErrBadKey, describeKey(jwk.Key))
}
