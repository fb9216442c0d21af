//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"tokenlab/internal/testvectors"
)

// slowJWE returns a PBES2-HS512+A256KW token whose key derivation runs
// PBKDF2 for p2c iterations (RFC 7518 §4.8): work the engine cannot
// interrupt, and cannot finish within a short time limit in WebAssembly.
func slowJWE(t *testing.T, password string, p2c int) string {
	t.Helper()
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.PBES2_HS512_A256KW, Key: password, PBES2Count: p2c}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := enc.Encrypt([]byte(`{"sub":"watchdog"}`))
	if err != nil {
		t.Fatal(err)
	}
	token, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// callOutcome is a call's outcome as the page saw it.
type callOutcome struct {
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Code   string          `json:"code"`
	Name   string          `json:"name"`
	Msg    string          `json:"message"`
	Ms     float64         `json:"ms"`
}

// TestWatchdogTimeout runs a call past a short time limit: it rejects with
// code "timeout" and a message saying what to do, a call made at the same
// time is sent again to the new engine and succeeds, and the page and its
// API work afterwards. Aborting a signal ends any method's call the same
// way, and a nonsense limit is a bad_request.
func TestWatchdogTimeout(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	const password = "correct horse battery staple"
	slow := slowJWE(t, password, 600_000)
	vector := testvectors.JWSByID(t, "rfc7515-A.1-HS256")

	var outcome struct {
		Slow  callOutcome `json:"slow"`
		Other callOutcome `json:"other"`
		After callOutcome `json:"after"`
	}
	mustJSON(t, p.Eval(fmt.Sprintf(`(async () => {
		const settle = (promise) => {
			const t0 = performance.now();
			return promise.then(
				(result) => ({ ok: true, result, ms: performance.now() - t0 }),
				(e) => ({ ok: false, code: e.code, name: e.name, message: e.message, ms: performance.now() - t0 }));
		};
		const slow = settle(tokenlab.decrypt(%q, { key: %q }, { timeout: 200 }));
		const other = settle(tokenlab.decode(%q));
		const [s, o] = await Promise.all([slow, other]);
		const after = await settle(tokenlab.explain(%q));
		return { slow: s, other: o, after };
	})()`, slow, password, vector.Token, vector.Token)), &outcome)

	if outcome.Slow.OK || outcome.Slow.Code != "timeout" {
		t.Fatalf("the slow decrypt: ok=%v code=%q message=%q, want code timeout", outcome.Slow.OK, outcome.Slow.Code, outcome.Slow.Msg)
	}
	if outcome.Slow.Name != "TokenlabError" {
		t.Errorf("the timeout rejects with a %q, want a TokenlabError", outcome.Slow.Name)
	}
	for _, want := range []string{"decrypt", "time limit", "200 ms", "restarted", "timeout"} {
		if !strings.Contains(outcome.Slow.Msg, want) {
			t.Errorf("the timeout message %q does not mention %q", outcome.Slow.Msg, want)
		}
	}
	if outcome.Slow.Ms > 5000 {
		t.Errorf("the 200 ms limit took %.0f ms to reject", outcome.Slow.Ms)
	}
	var decoded struct {
		Format string            `json:"format"`
		Header map[string]string `json:"header"`
	}
	if !outcome.Other.OK {
		t.Fatalf("the call made alongside the slow one failed: %s: %s", outcome.Other.Code, outcome.Other.Msg)
	}
	mustJSON(t, outcome.Other.Result, &decoded)
	if decoded.Format != "JWS" || decoded.Header["alg"] != "HS256" {
		t.Errorf("the call made alongside the slow one decoded to %+v, want the RFC 7515 A.1 JWS header", decoded)
	}
	var explained struct {
		Claims []struct {
			Name string `json:"name"`
		} `json:"claims"`
	}
	if !outcome.After.OK {
		t.Fatalf("the next call failed: %s: %s", outcome.After.Code, outcome.After.Msg)
	}
	mustJSON(t, outcome.After.Result, &explained)
	if len(explained.Claims) == 0 {
		t.Errorf("the next call explained no claims: %s", outcome.After.Result)
	}

	// The page is still usable: the inspector decodes a paste.
	p.paste("#token-input", vector.Token)
	p.waitFor("the inspected token", `document.querySelector("#kind-summary .kind-badge") && !document.getElementById("inspect-claims").hidden`)

	// The same slow call with a limit it can meet decrypts: the limit, not the input, stopped it.
	var plain struct {
		Payload struct {
			Sub string `json:"sub"`
		} `json:"payload"`
	}
	p.MustCall(&plain, "decrypt", slow, map[string]any{"key": password}, map[string]any{"timeout": 120_000})
	if plain.Payload.Sub != "watchdog" {
		t.Errorf("decrypted sub = %q, want watchdog", plain.Payload.Sub)
	}

	// Any method takes a signal; aborting it rejects with its reason and the engine is replaced.
	var aborted callOutcome
	mustJSON(t, p.Eval(fmt.Sprintf(`(async () => {
		const ctl = new AbortController();
		const call = tokenlab.decrypt(%q, { key: %q }, { signal: ctl.signal });
		setTimeout(() => ctl.abort(new DOMException("stop", "AbortError")), 100);
		const t0 = performance.now();
		return call.then(() => ({ ok: true }), (e) => ({ ok: false, name: e.name, message: e.message, ms: performance.now() - t0 }));
	})()`, slow, password)), &aborted)
	if aborted.OK || aborted.Name != "AbortError" || aborted.Ms > 5000 {
		t.Errorf("the aborted decrypt: %+v, want an AbortError at once", aborted)
	}
	p.MustCall(&decoded, "decode", vector.Token)

	// A limit that is not a positive number is refused before anything runs.
	if _, err := p.Call("decode", vector.Token, map[string]any{"timeout": -1}); err == nil || err.Code != "bad_request" {
		t.Errorf("timeout -1: %+v, want bad_request", err)
	}
}
