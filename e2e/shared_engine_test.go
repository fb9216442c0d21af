//go:build browser

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// fiveEmbeds is a documentation page of another origin with five embeds of
// tokenlab: four <token-playground> elements and one plain iframe.
func fiveEmbeds(idToken, accessToken, publicJWK string) string {
	a := html.EscapeString
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Five embeds</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="` + env.base + `/tokenlab-element.css">
<script type="module" src="` + env.base + `/tokenlab-element.js"></script>
</head><body>
<h1>Tokens, explained</h1>
<token-playground id="e1" mode="explain" token="` + a(idToken) + `"></token-playground>
<token-playground id="e2" mode="explain" token="` + a(accessToken) + `"></token-playground>
<token-playground id="e3" mode="verify" token="` + a(accessToken) + `" key="` + a(publicJWK) + `" audience="https://api.example.com"></token-playground>
<token-playground id="e4" mode="decode" token="` + a(idToken) + `"></token-playground>
<iframe id="e5" title="tokenlab" style="width: 100%; height: 400px; border: 0"
  src="` + env.base + `/embed.html#mode=explain&token=` + url.QueryEscape(idToken) + `"></iframe>
</body></html>`
}

// mainWorlds records the main-world execution context of every frame of
// the tab (their page scripts' globals, window.tokenlab included), which
// the isolated worlds of evalIn cannot see. Call it before navigating.
type mainWorlds struct {
	mu  sync.Mutex
	ids map[cdp.FrameID]runtime.ExecutionContextID
}

func watchMainWorlds(p *Page) *mainWorlds {
	p.t.Helper()
	w := &mainWorlds{ids: map[cdp.FrameID]runtime.ExecutionContextID{}}
	if err := chromedp.Listen(p.ctx, func(ev any) {
		e, ok := ev.(*runtime.EventExecutionContextCreated)
		if !ok {
			return
		}
		var aux struct {
			FrameID   cdp.FrameID `json:"frameId"`
			IsDefault bool        `json:"isDefault"`
		}
		if json.Unmarshal(e.Context.AuxData, &aux) != nil || !aux.IsDefault {
			return
		}
		w.mu.Lock()
		w.ids[aux.FrameID] = e.Context.ID
		w.mu.Unlock()
	}); err != nil {
		p.t.Fatal(err)
	}
	return w
}

// eval evaluates expr (awaiting a promise) in a frame's main world and
// decodes its JSON value into dst.
func (w *mainWorlds) eval(p *Page, frame cdp.FrameID, expr string, dst any) {
	p.t.Helper()
	w.mu.Lock()
	id, ok := w.ids[frame]
	w.mu.Unlock()
	if !ok {
		p.t.Fatalf("no main world recorded for frame %s", frame)
	}
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	yes := true
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ContextID: id, AwaitPromise: &yes, ReturnByValue: &yes})
	if err != nil {
		p.t.Fatalf("evaluating in frame %s: %v", frame, err)
	}
	if res.ExceptionDetails != nil {
		p.t.Fatalf("evaluating %.80q in frame %s: %s %s", expr, frame, res.ExceptionDetails.Text, describe(res.ExceptionDetails.Exception))
	}
	if dst != nil {
		mustJSON(p.t, json.RawMessage(res.Result.Value), dst)
	}
}

// fiveFrames waits for the five embed frames of the page and for each to
// render, and returns them by what they show: "id" and "access" (the
// explain elements), "verify", "decode" and "iframe".
func fiveFrames(p *Page, idToken string) map[string]cdp.FrameID {
	p.t.Helper()
	var frames map[cdp.FrameID]string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if frames = p.embedFrames(); len(frames) == 5 || time.Now().After(deadline) {
			break
		}
	}
	if len(frames) != 5 {
		p.t.Fatalf("want 5 embed frames, have %d: %v", len(frames), frames)
	}
	out := map[string]cdp.FrameID{}
	for id, frag := range frames {
		p.waitIn(id, "the embed rendered", `document.getElementById("embed-root").dataset.state === "ready"`)
		q, _ := url.ParseQuery(strings.TrimPrefix(frag, "#"))
		name := q.Get("mode")
		switch {
		case strings.HasPrefix(frag, "#mode="): // the plain iframe's fragment, written by hand
			name = "iframe"
		case name == "explain" && q.Get("token") == idToken:
			name = "id"
		case name == "explain":
			name = "access"
		}
		out[name] = id
	}
	if len(out) != 5 {
		p.t.Fatalf("cannot tell the five frames apart: %v", frames)
	}
	return out
}

// TestEmbedsShareOneEngine is the documentation page of issue 17: five
// embeds on a page of another origin start one engine — one SharedWorker,
// one download of the engine, no frame with an engine of its own — and
// every embed renders its token. A call that gets stuck in the shared
// engine (a PBES2 decrypt with a 1 s limit) rejects with timeout, and
// every embed moves to a fresh engine generation: a call another embed made
// meanwhile is answered by the new engine long before the stuck one could
// have finished, and the other embeds work on.
func TestEmbedsShareOneEngine(t *testing.T) {
	idToken, accessToken, publicJWK := embedTokens(t)
	host := docsHost(t, map[string]string{"/docs.html": fiveEmbeds(idToken, accessToken, publicJWK)})
	p := NewPage(t, host)
	worlds := watchMainWorlds(p)
	p.Do(chromedp.Navigate(host + "/docs.html"))
	frames := fiveFrames(p, idToken)

	// What each shows.
	for mode, want := range map[string]string{"id": "id_token", "access": "access_token", "verify": "access_token", "iframe": "id_token"} {
		f, ok := frames[mode]
		if !ok {
			t.Fatalf("no %s embed among %v", mode, frames)
		}
		if v := p.embedShows(f); len(v.Kinds) != 1 || v.Kinds[0] != want {
			t.Errorf("the %s embed shows kinds %v, want [%s]", mode, v.Kinds, want)
		}
	}
	if v := p.embedShows(frames["verify"]); len(v.Valid) != 1 || v.Valid[0] != "true" {
		t.Errorf("the verify embed's verdict: %v, want valid", v.Valid)
	}
	if v := p.embedShows(frames["decode"]); !strings.Contains(v.Text, `"alg": "EdDSA"`) {
		t.Errorf("the decode embed does not show the header: %.200q", v.Text)
	}

	// One engine: one SharedWorker, no frame with its own, one download.
	if n := sharedWorkers(p); n != 1 {
		t.Errorf("%d SharedWorkers run the engine, want 1", n)
	}
	for mode, f := range frames {
		var engine struct {
			Own     int    `json:"own"`
			Connect int    `json:"connect"`
			Mode    string `json:"mode"`
			Gen     int    `json:"generation"`
		}
		worlds.eval(p, f, `tokenlab.stats().then((s) => ({ own: performance.getEntriesByName("tokenlab:worker").length, connect: performance.getEntriesByName("tokenlab:connect").length, mode: s.engine.mode, generation: s.engine.generation }))`, &engine)
		if engine.Own != 0 || engine.Connect != 1 || engine.Mode != "shared" || engine.Gen != 0 {
			t.Errorf("the %s embed: %+v, want the shared engine of generation 0 and no worker of its own", mode, engine)
		}
	}
	wasm := 0
	for _, r := range p.Requests() {
		if strings.HasSuffix(r.URL, ".wasm") {
			wasm++
		}
	}
	if wasm != 1 {
		t.Errorf("the engine was requested %d times, want once", wasm)
	}

	// How long the slow decrypt keeps an engine busy on this machine (PBKDF2
	// with a million iterations, several seconds under WebAssembly).
	const password = "correct horse battery staple"
	slow := slowJWE(t, password, 1_000_000)
	var busy float64
	worlds.eval(p, frames["decode"], fmt.Sprintf(`(async () => {
		const t0 = performance.now();
		await tokenlab.decrypt(%q, { key: %q }, { timeout: 120000 });
		return performance.now() - t0;
	})()`, slow, password), &busy)
	t.Logf("the slow decrypt keeps an engine busy for %.0f ms", busy)

	// A stuck call. The slow decrypt goes to the shared engine from one
	// embed with a 1 s limit; a moment later another embed asks for an
	// explanation, which waits behind it in the same engine until the
	// limit moves the page to a new engine.
	worlds.eval(p, frames["id"], fmt.Sprintf(`(window.__stuck = tokenlab.decrypt(%q, { key: %q }, { timeout: 1000 }).then(
		() => ({ ok: true }),
		(e) => ({ ok: false, code: e.code, message: e.message, at: performance.timeOrigin + performance.now() })), true)`, slow, password), nil)
	worlds.eval(p, frames["verify"], fmt.Sprintf(`(window.__other = new Promise((r) => setTimeout(r, 200)).then(async () => {
		const t0 = performance.now();
		const e = await tokenlab.explain(%q);
		return { kind: e.kind, at: performance.timeOrigin + t0, ms: performance.now() - t0, generation: (await tokenlab.stats()).engine.generation };
	}), true)`, idToken), nil)
	var stuck struct {
		OK      bool    `json:"ok"`
		Code    string  `json:"code"`
		Message string  `json:"message"`
		At      float64 `json:"at"`
	}
	worlds.eval(p, frames["id"], `window.__stuck`, &stuck)
	if stuck.OK || stuck.Code != "timeout" {
		t.Fatalf("the stuck decrypt: %+v, want code timeout", stuck)
	}
	var other struct {
		Kind       string  `json:"kind"`
		At         float64 `json:"at"`
		MS         float64 `json:"ms"`
		Generation int     `json:"generation"`
	}
	worlds.eval(p, frames["verify"], `window.__other`, &other)
	t.Logf("the other embed's call, made %.0f ms before the stuck one was abandoned, took %.0f ms", stuck.At-other.At, other.MS)
	if other.At >= stuck.At {
		t.Fatalf("the other embed's call started %.0f ms after the stuck one was abandoned: the test did not set up the wait it checks", other.At-stuck.At)
	}
	// The old engine stays busy for `busy`; the new one answers long before.
	if other.Kind != "id_token" || other.Generation != 1 || other.MS > busy/2 {
		t.Errorf("the other embed's call: %+v, want an id_token explained by generation 1 in well under %.0f ms", other, busy)
	}
	// Every embed moved: each answers from generation 1 at once.
	for mode, f := range frames {
		var after struct {
			Format     string  `json:"format"`
			Generation int     `json:"generation"`
			MS         float64 `json:"ms"`
		}
		worlds.eval(p, f, fmt.Sprintf(`(async () => {
			const t0 = performance.now();
			const d = await tokenlab.decode(%q);
			return { format: d.format, ms: performance.now() - t0, generation: (await tokenlab.stats()).engine.generation };
		})()`, accessToken), &after)
		if after.Format != "JWS" || after.Generation != 1 || after.MS > busy/2 {
			t.Errorf("after the stuck call, the %s embed: %+v, want a decode by generation 1", mode, after)
		}
	}
	// One new engine for the page, not one per embed; the stuck one is
	// abandoned until the page goes away.
	if n := sharedWorkers(p); n != 2 {
		t.Errorf("%d SharedWorkers after the recovery, want 2 (the abandoned one and its successor)", n)
	}
	// An embed renders again from the new engine.
	p.Eval(fmt.Sprintf(`document.getElementById("e2").setAttribute("token", %q), true`, idToken))
	p.waitIn(frames["access"], "the re-rendered embed", `document.querySelector(".embed-step")?.dataset.kind === "id_token" && document.getElementById("embed-root").dataset.state === "ready"`)
}

// TestEmbedsWithoutSharedWorker: where the browser has no SharedWorker,
// each embed starts an engine of its own and still renders.
func TestEmbedsWithoutSharedWorker(t *testing.T) {
	idToken, accessToken, publicJWK := embedTokens(t)
	host := docsHost(t, map[string]string{"/docs.html": fiveEmbeds(idToken, accessToken, publicJWK)})
	p := NewPage(t, host)
	if _, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete window.SharedWorker;`}); err != nil {
		t.Fatal(err)
	}
	worlds := watchMainWorlds(p)
	p.Do(chromedp.Navigate(host + "/docs.html"))
	frames := fiveFrames(p, idToken)
	for mode, f := range frames {
		var mode2 string
		worlds.eval(p, f, `tokenlab.stats().then((s) => s.engine.mode)`, &mode2)
		if mode2 != "dedicated" {
			t.Errorf("the %s embed uses a %q engine, want its own (dedicated)", mode, mode2)
		}
	}
	if n := sharedWorkers(p); n != 0 {
		t.Errorf("%d SharedWorkers without SharedWorker support", n)
	}
}

// sharedWorkers counts the SharedWorkers of tokenlab's engine in the tab's
// browser context.
func sharedWorkers(p *Page) int {
	p.t.Helper()
	targets, err := chromedp.Targets(p.ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	n := 0
	for _, ti := range targets {
		if ti.Type == "shared_worker" && ti.BrowserContextID == chromedp.FromContext(p.ctx).BrowserContextID && strings.HasPrefix(ti.URL, env.base+"/worker.") {
			n++
		}
	}
	return n
}
