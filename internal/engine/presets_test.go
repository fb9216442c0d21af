package engine

import (
	"encoding/json"
	"slices"
	"testing"

	"tokenlab/internal/token"
)

// TestEveryPresetVerifiesValidWithItsKey mints every kind of every preset
// through the API and verifies it the way a user would: with the key and
// nothing else, kind auto. A vendor's format is not an error, so each must
// be valid; nothing was compared, so none is complete; and the vendor
// access tokens' RFC 9068 departures show as warnings, not failures.
func TestEveryPresetVerifiesValidWithItsKey(t *testing.T) {
	e := New(Options{})
	keyJSON, apiErr := call(t, e, "generateKey", map[string]any{"alg": "ES256"})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var key struct {
		PublicJWK json.RawMessage `json:"publicJwk"`
	}
	decodeInto(t, keyJSON, &key)
	for _, p := range token.AllPresets().Presets {
		for _, k := range p.Kinds {
			t.Run(p.Name+"/"+string(k.Kind), func(t *testing.T) {
				out, apiErr := call(t, e, "mint", map[string]any{"kind": k.Kind, "preset": p.Name, "key": json.RawMessage(keyJSON)})
				if apiErr != nil {
					t.Fatal(apiErr)
				}
				var minted struct {
					Token string `json:"token"`
				}
				decodeInto(t, out, &minted)
				v := verifyCall(t, e, minted.Token, map[string]any{"key": key.PublicJWK})
				if !v.Valid || v.Verdict != "incomplete" || v.Complete {
					t.Fatalf("valid %v, verdict %q, complete %v; failed %v; want a valid, incomplete verdict", v.Valid, v.Verdict, v.Complete, v.with("fail"))
				}
				if !slices.Contains(v.with("pass"), "signature") {
					t.Errorf("the signature check did not pass: %+v", v.Checks)
				}
				if len(k.Departures) > 0 && len(v.with("warn")) == 0 {
					t.Errorf("the preset departs from RFC 9068 (%v) but verify warned about nothing (kind %s)", k.Departures, v.Kind)
				}
			})
		}
	}
}
