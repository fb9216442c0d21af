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
)

// MintOptions describe the request a proof is for.
type MintOptions struct {
	// Key is the client's private DPoP key (asymmetric: EC, RSA or
	// Ed25519) as token.ImportKey takes it.
	Key string
	// Alg is the JWS algorithm; default: the key's.
	Alg string
	// HTM is the request's HTTP method; default DefaultHTM.
	HTM string
	// HTU is the request's URI; its query and fragment are removed
	// (§4.2). Default DefaultHTU.
	HTU string
	// AccessToken, when set, adds ath, its hash (§4.2): a proof sent to a
	// resource server with that token.
	AccessToken string
	// Nonce, when set, is the server's DPoP-Nonce (§8, §9).
	Nonce string
	// Now is iat; zero means time.Now().
	Now time.Time
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
	if opts.Key == "" {
		return nil, fmt.Errorf("%w: a DPoP proof needs the client's private key (generate one with generateKey, e.g. ES256)", token.ErrBadRequest)
	}
	k, err := token.ImportKey(opts.Key, token.ImportOptions{Alg: opts.Alg})
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
	return token.Sign(token.SignOptions{Key: opts.Key, Alg: k.Alg, Header: json.RawMessage(`{"typ":"dpop+jwt"}`), Payload: payload.Bytes(), EmbedJWK: true})
}

// AccessTokenHash is ath: the base64url SHA-256 of the access token's
// ASCII text (RFC 9449 §4.2).
func AccessTokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// BindClaims adds cnf.jkt, the RFC 7638 thumbprint of the DPoP key's
// public key (RFC 9449 §6.1), to an access token's claims (a JSON object,
// or empty), after its other members. Claims that already have cnf are
// refused; a symmetric key has no public key to bind.
func BindClaims(claims json.RawMessage, dpopKey string) (json.RawMessage, error) {
	k, err := token.ImportKey(dpopKey, token.ImportOptions{})
	if err != nil {
		return nil, fmt.Errorf("the DPoP key: %w", err)
	}
	if k.Kty == "oct" {
		return nil, fmt.Errorf("%w: the DPoP key is a shared secret; an access token is bound to the thumbprint of an asymmetric public key (RFC 9449 §6.1)", token.ErrBadKey)
	}
	cnf := `"cnf":{"jkt":` + quote(k.Thumbprint) + `}`
	trimmed := bytes.TrimSpace(claims)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return json.RawMessage("{" + cnf + "}"), nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: claims must be a JSON object, e.g. {\"sub\":\"alice\"}", token.ErrBadRequest)
	}
	if _, has := members["cnf"]; has {
		return nil, fmt.Errorf("%w: the claims already have cnf; dpopKey sets cnf.jkt, so give one or the other", token.ErrBadRequest)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, trimmed); err != nil {
		return nil, fmt.Errorf("%w: claims are not valid JSON: %v", token.ErrBadRequest, err)
	}
	out := bytes.TrimSuffix(buf.Bytes(), []byte("}"))
	if len(members) > 0 {
		out = append(out, ',')
	}
	return append(append(out, cnf...), '}'), nil
}

// quote writes a JSON string without HTML escaping.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}
