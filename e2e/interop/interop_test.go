//go:build browser

// Package interop cross-checks tokenlab's SD-JWTs (RFC 9901) and DPoP
// proofs (RFC 9449) with independent implementations in node:
// @sd-jwt/core and panva's jose and dpop (pinned in package.json,
// installed by `make test-deps`). Tokens minted by tokenlab must verify
// there, and theirs must verify in tokenlab. The engine runs natively
// here, so no build is needed; node and the packages are, and the test
// fails, never skips, without them.
package interop

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"tokenlab/internal/engine"
)

// call runs an engine method and decodes its result into dst.
func call(t *testing.T, e *engine.Engine, dst any, method string, args ...any) {
	t.Helper()
	in, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Call(method, in)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	if err := json.Unmarshal(out, dst); err != nil {
		t.Fatalf("%s: %v in %s", method, err, out)
	}
}

type key struct {
	PrivateJWK, PublicJWK json.RawMessage
	Thumbprint            string
}

type verdict struct {
	Verdict, Summary, JKT string
	Processed             map[string]any
	Checks                []struct{ ID, Status, Message string }
}

// nodeOutput is what interop.mjs reports.
type nodeOutput struct {
	TokenlabSDJWT struct {
		IssuedClaims, PresentedClaims map[string]any
	}
	NodeSDJWT struct {
		IssuerJwk                     json.RawMessage
		Issued, Presented             string
		Audience, Nonce               string
		IssuedClaims, PresentedClaims map[string]any
	}
	TokenlabProof struct{ JKT string }
	NodeProof     struct {
		Proof, HTM, HTU, AccessToken, Nonce, JKT string
	}
}

func runNode(t *testing.T, input any) nodeOutput {
	t.Helper()
	nodePath, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("the interop test needs node (Debian: apt-get install nodejs npm); it does not skip")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "@sd-jwt", "core")); err != nil {
		t.Fatal("e2e/interop/node_modules is missing: run `make test-deps` (npm ci --prefix e2e/interop)")
	}
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nodePath, "interop.mjs")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("the independent implementations refused tokenlab's tokens or failed: %v\n%s", err, stderr.String())
		}
		t.Fatal(err)
	}
	var out nodeOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("%v in %s", err, stdout.String())
	}
	return out
}

// sameClaims compares claims as JSON values (numbers as float64).
func sameClaims(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	norm := func(m map[string]any) any {
		b, _ := json.Marshal(m)
		var v any
		_ = json.Unmarshal(b, &v)
		return v
	}
	if !reflect.DeepEqual(norm(got), norm(want)) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func TestInterop(t *testing.T) {
	e := engine.New(engine.Options{})
	var issuer, holder, client, as key
	call(t, e, &issuer, "generateKey", map[string]any{"alg": "ES256"})
	call(t, e, &holder, "generateKey", map[string]any{"alg": "ES256"})
	call(t, e, &client, "generateKey", map[string]any{"alg": "ES256"})
	call(t, e, &as, "generateKey", map[string]any{"alg": "ES256"})

	// tokenlab issues and presents an SD-JWT with nested, recursive and
	// array-element disclosures and decoys, and makes a DPoP proof for a
	// bound access token.
	var issued struct{ Token string }
	call(t, e, &issued, "mint", map[string]any{"kind": "sd_jwt", "key": issuer.PrivateJWK, "holderKey": holder.PrivateJWK, "decoys": 3,
		"claims": map[string]any{"sub": "user_42", "given_name": "John", "email": "john@example.com",
			"address": map[string]any{"street_address": "123 Main St", "locality": "Anytown", "country": "US"}, "nationalities": []string{"US", "DE"}},
		"disclose": []string{"given_name", "email", "/address", "/address/street_address", "/nationalities/0", "/nationalities/1"}})
	var presented struct{ Token string }
	call(t, e, &presented, "present", issued.Token, map[string]any{"disclose": []string{"given_name", "/address/street_address", "/nationalities/1"},
		"holderKey": holder.PrivateJWK, "audience": "https://verifier.node.example", "nonce": "nonce-42"})
	var issuedView, presentedView verdict
	call(t, e, &issuedView, "decode", issued.Token)
	call(t, e, &presentedView, "verify", presented.Token, map[string]any{"key": issuer.PublicJWK, "issuer": "https://issuer.example.com", "audience": "https://verifier.node.example", "nonce": "nonce-42"})
	if presentedView.Verdict != "valid" {
		t.Fatalf("tokenlab does not verify its own presentation: %s %+v", presentedView.Summary, presentedView.Checks)
	}
	var at struct{ Token string }
	call(t, e, &at, "mint", map[string]any{"kind": "access_token", "key": as.PrivateJWK, "dpopKey": client.PrivateJWK})
	var proof struct{ Token string }
	call(t, e, &proof, "mint", map[string]any{"kind": "dpop_proof", "key": client.PrivateJWK, "htm": "DELETE", "htu": "https://api.example.com/things/9?force=1#x", "accessToken": at.Token})

	out := runNode(t, map[string]any{
		"sdjwt": map[string]any{"issuerJwk": issuer.PublicJWK, "issued": issued.Token, "presented": presented.Token, "audience": "https://verifier.node.example", "nonce": "nonce-42"},
		"dpop":  map[string]any{"proof": proof.Token, "htm": "DELETE", "htu": "https://api.example.com/things/9", "accessToken": at.Token},
	})

	t.Run("tokenlab's SD-JWT in @sd-jwt/core", func(t *testing.T) {
		sameClaims(t, "claims of the issued SD-JWT", out.TokenlabSDJWT.IssuedClaims, issuedView.Processed)
		sameClaims(t, "claims of the presentation", out.TokenlabSDJWT.PresentedClaims, presentedView.Processed)
	})
	t.Run("tokenlab's DPoP proof in jose", func(t *testing.T) {
		if out.TokenlabProof.JKT != client.Thumbprint {
			t.Errorf("jose's thumbprint of the proof key %s, tokenlab's %s", out.TokenlabProof.JKT, client.Thumbprint)
		}
	})
	t.Run("@sd-jwt/core's SD-JWT in tokenlab", func(t *testing.T) {
		n := out.NodeSDJWT
		var v verdict
		call(t, e, &v, "verify", n.Presented, map[string]any{"key": n.IssuerJwk, "issuer": "https://issuer.node.example", "audience": n.Audience, "nonce": n.Nonce, "requireKeyBinding": true})
		if v.Verdict != "valid" {
			t.Errorf("%s\n%+v", v.Summary, v.Checks)
		}
		sameClaims(t, "claims of the presentation", v.Processed, n.PresentedClaims)
		call(t, e, &v, "verify", n.Issued, map[string]any{"key": n.IssuerJwk, "issuer": "https://issuer.node.example"})
		if !(v.Verdict == "valid" || v.Verdict == "incomplete") {
			t.Errorf("issued form: %s\n%+v", v.Summary, v.Checks)
		}
		sameClaims(t, "claims of the issued SD-JWT", v.Processed, n.IssuedClaims)
	})
	t.Run("panva/dpop's proof in tokenlab", func(t *testing.T) {
		n := out.NodeProof
		var v verdict
		call(t, e, &v, "verify", n.Proof, map[string]any{"kind": "dpop_proof", "htm": n.HTM, "htu": n.HTU, "accessToken": n.AccessToken, "nonce": n.Nonce, "now": float64(time.Now().Unix())})
		if v.Verdict != "valid" || v.JKT != n.JKT {
			t.Errorf("%s (jkt %s, node's %s)\n%+v", v.Summary, v.JKT, n.JKT, v.Checks)
		}
	})
}
