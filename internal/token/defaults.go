package token

import (
	"encoding/json"
	"sync"

	"tokenlab/internal/vocab"
)

// The values tokenlab uses when a caller leaves an option out. They are
// defined here once; AllDefaults hands them, with the example identities,
// to the page (the engine's defaults() method), so the page's forms start
// from the same values the engine uses.
const (
	// DefaultAlg is the algorithm of a key made without one: GenerateKey
	// with no Alg, and the key the page makes when it has none to sign
	// with. ES256 (RFC 7518 §3.4) is what identity providers recommend
	// today and is fast to generate.
	DefaultAlg = "ES256"
	// DefaultRSABits is the size of a generated RSA key: the minimum of
	// RFC 7518 §3.3 and §4.2, and what identity providers use.
	DefaultRSABits = 2048
	// DefaultCurve is the curve of a generated ECDH-ES key (RFC 7518 §4.6);
	// the ES* algorithms fix their own.
	DefaultCurve = "P-256"
	// DefaultDirBits is the size of a generated dir key: the key of
	// A256GCM, the default content encryption.
	DefaultDirBits = 256
	// DefaultEnc is the content encryption of a JWE when none is named
	// (RFC 7518 §5.1).
	DefaultEnc = "A256GCM"
	// DefaultLifetime is the seconds from iat to exp of a minted token:
	// an hour, the usual lifetime of ID and access tokens.
	DefaultLifetime = 3600
)

// Defaults are every default of the API, for a page that fills its forms
// before the user types: the JSON of the engine's defaults() method.
type Defaults struct {
	// Key is how keys are generated when options are left out.
	Key KeyDefaults `json:"key"`
	// Enc is the content encryption of a JWE when none is named.
	Enc string `json:"enc"`
	// Lifetime is the seconds from iat to exp of a minted token.
	Lifetime int64 `json:"lifetime"`
	// Leeway is the clock skew verify allows when none is given, in seconds.
	Leeway float64 `json:"leeway"`
	// Kind is verify's default kind: auto.
	Kind vocab.Kind `json:"kind"`
	// Preset is mint's default preset: standard.
	Preset string `json:"preset"`
	// Identities are the example identities of the standard preset.
	Identities Identities `json:"identities"`
}

// KeyDefaults are GenerateKey's defaults.
type KeyDefaults struct {
	Alg     string `json:"alg"`     // DefaultAlg
	RSABits int    `json:"rsaBits"` // DefaultRSABits
	Curve   string `json:"crv"`     // DefaultCurve
	DirBits int    `json:"dirBits"` // DefaultDirBits
}

// Identities are the example identities the standard preset's tokens
// carry. They are the example values of the specifications where one
// exists (OIDC Core 1.0 §A uses client s6BhdRkqt3 and nonce n-0S6_WzA2Mj),
// so minted tokens read like the documentation. They are read from
// presets.json, where the standard preset's templates spell them out, so
// they are written down once.
type Identities struct {
	Issuer    string `json:"issuer"`    // iss
	Subject   string `json:"subject"`   // sub
	ClientID  string `json:"clientId"`  // the ID token's aud, the access token's client_id
	Audience  string `json:"audience"`  // the access token's aud: the API
	Nonce     string `json:"nonce"`     // the ID token's nonce
	Scope     string `json:"scope"`     // the access token's scope
	SessionID string `json:"sessionId"` // the logout token's sid
}

// AllDefaults returns every default, for a page that fills its forms
// without asking the engine to make anything.
func AllDefaults() Defaults {
	return Defaults{
		Key:      KeyDefaults{Alg: DefaultAlg, RSABits: DefaultRSABits, Curve: DefaultCurve, DirBits: DefaultDirBits},
		Enc:      DefaultEnc,
		Lifetime: DefaultLifetime,
		Kind:     vocab.Auto,
		Preset:   StandardPreset,
		// Leeway: verify allows no clock skew unless asked.
		Identities: loadIdentities(),
	}
}

// loadIdentities reads the example identities from the standard preset's
// templates once; tests cover the data.
var loadIdentities = sync.OnceValue(func() Identities {
	claims := func(kind vocab.Kind) map[string]string {
		k, err := presetKind(StandardPreset, kind)
		if err != nil {
			panic("token: presets.json has no standard " + string(kind))
		}
		var raw map[string]any
		if err := json.Unmarshal(k.Claims, &raw); err != nil {
			panic("token: presets.json: " + err.Error())
		}
		out := map[string]string{}
		for name, v := range raw {
			if s, ok := v.(string); ok {
				out[name] = s
			}
		}
		return out
	}
	id, at, lt := claims(vocab.IDToken), claims(vocab.AccessToken), claims(vocab.LogoutToken)
	return Identities{
		Issuer: id["iss"], Subject: id["sub"], ClientID: id["aud"], Nonce: id["nonce"],
		Audience: at["aud"], Scope: at["scope"], SessionID: lt["sid"],
	}
})
