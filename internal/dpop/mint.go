package dpop

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// MintOptions describe the request a proof is for: the options of
// tokenlab's mint for kind dpop_proof (docs/API.md), each field's json tag
// its JavaScript name.
type MintOptions struct {
	// Kind is vocab.DPoPProof or "": the kind a mint call names.
	Kind vocab.Kind `json:"kind"`
	// Key is the client's private DPoP key (asymmetric: EC, RSA or
	// Ed25519) as token.ImportKey takes it.
	Key token.KeyInput `json:"key"`
	// Alg is the JWS algorithm; default: the key's.
	Alg string `json:"alg"`
	// HTM is the request's HTTP method; default DefaultHTM.
	HTM string `json:"htm"`
	// HTU is the request's URI; its query and fragment are removed
	// (§4.2). Default DefaultHTU.
	HTU string `json:"htu"`
	// AccessToken, when set, adds ath, its hash (§4.2): a proof sent to a
	// resource server with that token.
	AccessToken string `json:"accessToken"`
	// Nonce, when set, is the server's DPoP-Nonce (§8, §9).
	Nonce string `json:"nonce"`
	// Now is iat; zero means time.Now(). In JSON: Unix seconds.
	Now time.Time `json:"now"`
}

// UnmarshalJSON reads mint's JavaScript options for a DPoP proof: each
// field by its json name, now in Unix seconds.
func (o *MintOptions) UnmarshalJSON(b []byte) error {
	type fields MintOptions // the same fields, without this method
	return token.DecodeOptions(b, (*fields)(o), token.UnixSeconds("now", &o.Now))
}

// Defaults of a proof without a request: the token request of RFC 9449
// §4.1.
const (
	DefaultHTM = "POST"
	DefaultHTU = "https://server.example.com/token"
)

// Mint makes a DPoP proof (RFC 9449 §4.2): header typ dpop+jwt, the
// asymmetric alg and jwk, the public key (only the members that define
// it, never a private one); payload jti (128 random bits), htm, htu, iat,
// and ath and nonce when given. A symmetric key is refused: the server
// verifies the proof with the key the proof carries.
func Mint(opts MintOptions) (*token.Minted, error) {
	if opts.Kind != "" && opts.Kind != vocab.DPoPProof {
		return nil, fmt.Errorf("%w: Mint makes kind dpop_proof, not %q", token.ErrBadRequest, opts.Kind)
	}
	if opts.Key == "" {
		return nil, fmt.Errorf("%w: a DPoP proof needs the client's private key (generate one with generateKey, e.g. ES256)", token.ErrBadRequest)
	}
	k, err := token.ImportKey(string(opts.Key), token.ImportOptions{Alg: opts.Alg})
	if err != nil {
		return nil, err
	}
	if k.Kty == "oct" {
		return nil, fmt.Errorf("%w: a DPoP proof is signed with an asymmetric key whose public half goes in the jwk header (RFC 9449 §4.2); a shared secret cannot be published that way. Use ES256, EdDSA or RS256", token.ErrBadKey)
	}
	htm, htu := opts.HTM, opts.HTU
	if htm == "" {
		htm = DefaultHTM
	}
	if htu == "" {
		htu = DefaultHTU
	}
	htu, _, _ = strings.Cut(htu, "#")
	htu, _, _ = strings.Cut(htu, "?")
	if _, ok := normalizeURI(htu); !ok {
		return nil, fmt.Errorf("%w: htu %q is not an absolute URI such as https://api.example.com/resource (RFC 9449 §4.2)", token.ErrBadRequest, htu)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return nil, fmt.Errorf("%w: no randomness for jti: %v", token.ErrUnsupported, err)
	}
	var payload bytes.Buffer
	fmt.Fprintf(&payload, `{"jti":%s,"htm":%s,"htu":%s,"iat":%s`, quote(base64.RawURLEncoding.EncodeToString(jti)), quote(htm), quote(htu), strconv.FormatInt(now.Unix(), 10))
	if opts.AccessToken != "" {
		fmt.Fprintf(&payload, `,"ath":%s`, quote(AccessTokenHash(opts.AccessToken)))
	}
	if opts.Nonce != "" {
		fmt.Fprintf(&payload, `,"nonce":%s`, quote(opts.Nonce))
	}
	payload.WriteByte('}')
	return token.Sign(token.SignOptions{Key: string(opts.Key), Alg: k.Alg, Header: json.RawMessage(`{"typ":"dpop+jwt"}`), Payload: payload.Bytes(), EmbedJWK: true})
}

// AccessTokenHash is ath: the base64url SHA-256 of the access token's
// ASCII text (RFC 9449 §4.2).
func AccessTokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// quote writes a JSON string without HTML escaping.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}
