package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tokenlab/internal/chrome"
)

// embedTokens are the tokens the embed scenarios show, minted by tokenlab
// on the API page (bench/web/api.js embedTokens).
type embedTokens struct {
	ID       string `json:"id"`
	Access   string `json:"access"`
	JWK      string `json:"jwk"`
	Audience string `json:"audience"`
}

// docsEmbeds are the five embeds of the documentation page scenario, as an
// author writes them: four <token-playground> elements of different modes
// and one plain iframe that sizes itself from tokenlab's resize messages.
func docsEmbeds(base string, tk embedTokens) []string {
	a := html.EscapeString
	frag := url.Values{"mode": {"explain"}, "token": {tk.ID}}
	return []string{
		fmt.Sprintf(`<token-playground mode="explain" token="%s"></token-playground>`, a(tk.ID)),
		fmt.Sprintf(`<token-playground mode="explain" token="%s"></token-playground>`, a(tk.Access)),
		fmt.Sprintf(`<token-playground mode="verify" token="%s" key="%s" audience="%s"></token-playground>`, a(tk.Access), a(tk.JWK), a(tk.Audience)),
		fmt.Sprintf(`<token-playground mode="decode" token="%s"></token-playground>`, a(tk.ID)),
		fmt.Sprintf(`<iframe id="frame" title="tokenlab" src="%s/embed.html#%s" style="width: 100%%; height: 36rem; border: 0" loading="lazy" referrerpolicy="no-referrer"></iframe>`, base, a(frag.Encode())),
	}
}

// docsPage is a documentation page of another origin with the first n
// embeds of docsEmbeds, a paragraph before each, as documentation reads.
func docsPage(base string, tk embedTokens, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Our tokens, explained (%d embeds)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="%s/tokenlab-element.css">
<script type="module" src="%s/tokenlab-element.js"></script>
</head><body style="max-width: 60rem; margin: 0 auto; font: 16px/1.5 system-ui">
<h1>The tokens our identity provider issues</h1>
<script>
addEventListener("message", (e) => {
  const f = document.getElementById("frame");
  if (f && e.source === f.contentWindow && e.origin === %q && e.data && e.data.type === "tokenlab:resize") f.style.height = e.data.height + "px";
});
</script>
`, n, base, base, base)
	for i, embed := range docsEmbeds(base, tk)[:n] {
		fmt.Fprintf(&b, "<h2>Example %d</h2>\n<p>What follows is a real token, decoded in your browser: nothing is sent anywhere.</p>\n%s\n", i+1, embed)
	}
	b.WriteString("<p>That is all.</p></body></html>\n")
	return b.String()
}

// docsHost serves the documentation pages on a second loopback origin.
func docsHost(pages map[string]string) (string, func(), error) {
	return listen(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, body)
	}))
}

// embedVisit is one load of a documentation page with embeds, in a new
// browser with a fresh profile.
type embedVisit struct {
	Embeds int `json:"embeds"`
	// FirstMS and AllMS: navigation → the first and the last embed with
	// its token explained in its DOM.
	FirstMS float64 `json:"first_rendered_ms"`
	AllMS   float64 `json:"all_rendered_ms"`
	Bytes   int64   `json:"bytes"`
	// Requests and WasmFetches count what the proxy carried.
	Requests    int `json:"requests"`
	WasmFetches int `json:"wasm_fetches"`
	// SharedWorkers counts SharedWorker targets; DedicatedEngines the
	// frames that started an engine of their own (a tokenlab:worker mark).
	SharedWorkers    int `json:"shared_workers"`
	DedicatedEngines int `json:"dedicated_engines"`
	// MemoryBytes is the renderers' PSS once every embed has rendered,
	// less their PSS on about:blank just before.
	MemoryBytes int64   `json:"memory_bytes"`
	CLS         float64 `json:"cls"`
	LongTasks   []int   `json:"longtasks_ms"`
}

// loadDocsPage opens a documentation page with n embeds of tokenlab (served
// from base) in a new browser and measures it once every embed has shown
// its token.
func loadDocsPage(ctx context.Context, proxy *chrome.Proxy, pageURL, base string, n int) (*embedVisit, error) {
	alloc, cancelAlloc, err := chrome.NewAllocator(ctx, proxy.Flags()...)
	if err != nil {
		return nil, err
	}
	defer cancelAlloc()
	t, err := newTab(alloc)
	if err != nil {
		return nil, err
	}
	defer t.cancel()
	if err := t.navigate("about:blank"); err != nil {
		return nil, err
	}
	time.Sleep(time.Second)
	before, err := rendererMemory(t.ctx)
	if err != nil {
		return nil, err
	}
	mark := proxy.Mark()
	if err := t.navigate(pageURL); err != nil {
		return nil, err
	}
	var frames []frameState
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if frames, err = t.embedStates(base); err != nil {
			return nil, err
		}
		rendered := 0
		for _, f := range frames {
			if f.Claims > 0 {
				rendered++
			}
		}
		if rendered >= n {
			break
		}
		if time.Now().After(deadline) {
			var shown []string
			for _, f := range frames {
				shown = append(shown, f.Shows)
			}
			return nil, fmt.Errorf("%s: %d of %d embeds rendered within 90 s; the frames show: %q", pageURL, rendered, n, shown)
		}
	}
	var host struct {
		Origin    float64 `json:"origin"`
		Shifts    []shift `json:"shifts"`
		LongTasks []int   `json:"longtasks"`
	}
	time.Sleep(1500 * time.Millisecond) // let layout settle and workers finish their start-up work
	if err := t.eval(`({ origin: performance.timeOrigin, shifts: window.__bench.shifts, longtasks: window.__bench.longtasks.map((e) => Math.round(e.duration)) })`, &host); err != nil {
		return nil, err
	}
	after, err := rendererMemory(t.ctx)
	if err != nil {
		return nil, err
	}
	v := &embedVisit{Embeds: n, MemoryBytes: after - before, CLS: cls(host.Shifts), LongTasks: host.LongTasks}
	for i, f := range frames {
		ms := f.Claims - host.Origin
		if i == 0 || ms < v.FirstMS {
			v.FirstMS = ms
		}
		v.AllMS = max(v.AllMS, ms)
		if f.Dedicated {
			v.DedicatedEngines++
		}
	}
	targets, err := chromedp.Targets(t.ctx)
	if err != nil {
		return nil, err
	}
	for _, ti := range targets {
		if ti.Type == "shared_worker" {
			v.SharedWorkers++
		}
	}
	waitQuiet(proxy, 700*time.Millisecond, 8*time.Second)
	for _, r := range proxy.Since(mark) {
		if r.BrowserInternal() {
			continue
		}
		v.Requests++
		v.Bytes += r.Bytes
		if strings.HasSuffix(r.URL, ".wasm") {
			v.WasmFetches++
		}
	}
	return v, nil
}

// shift is one layout-shift entry of the host page.
type shift struct {
	Start float64 `json:"start"`
	Value float64 `json:"value"`
	Input bool    `json:"input"`
}

// cls is the cumulative layout shift as Core Web Vitals define it: the
// largest session window of shifts not caused by input (gaps under 1 s,
// windows at most 5 s).
func cls(shifts []shift) float64 {
	sort.Slice(shifts, func(i, j int) bool { return shifts[i].Start < shifts[j].Start })
	var best, sum, start, last float64
	for i, s := range shifts {
		if s.Input {
			continue
		}
		if i == 0 || s.Start-last >= 1000 || s.Start-start >= 5000 {
			sum, start = 0, s.Start
		}
		sum += s.Value
		last = s.Start
		best = max(best, sum)
	}
	return best
}

// frameState is what an embed frame shows.
type frameState struct {
	// Claims is when the frame first had its token explained in its DOM,
	// in milliseconds since the Unix epoch (0: not yet). A frame below the
	// fold is not painted until the reader scrolls to it, so this is not
	// the paint.
	Claims float64 `json:"claims"`
	// Dedicated reports that the frame started an engine of its own.
	Dedicated bool `json:"dedicated"`
	// Shows is the frame's state and the start of its text, for errors.
	Shows string `json:"shows"`
}

// embedStates reads every embed frame of the tab's page (frames of
// base/embed.html) through an isolated world: a frame of another origin
// cannot be read from the host page's scripts.
func (t *tab) embedStates(base string) ([]frameState, error) {
	tree, err := chromedp.Call(t.ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	var ids []cdp.FrameID
	var walk func(*page.FrameTree)
	walk = func(ft *page.FrameTree) {
		if ft == nil {
			return
		}
		if strings.HasPrefix(ft.Frame.URL, base+"/embed.html") {
			ids = append(ids, ft.Frame.ID)
		}
		for _, c := range ft.ChildFrames {
			walk(c)
		}
	}
	walk(tree.FrameTree)
	var out []frameState
	for _, id := range ids {
		var f frameState
		if err := t.evalInFrame(id, `({
			claims: Number(document.documentElement.dataset.benchShown || 0),
			dedicated: performance.getEntriesByName("tokenlab:worker").length > 0,
			shows: (document.getElementById("embed-root")?.dataset.state ?? "no root") + ": " + (document.body?.innerText ?? "").slice(0, 160),
		})`, &f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// evalInFrame evaluates expr in an isolated world of a frame and decodes
// its JSON value into dst.
func (t *tab) evalInFrame(frame cdp.FrameID, expr string, dst any) error {
	ctx, cancel := context.WithTimeout(t.ctx, 30*time.Second)
	defer cancel()
	world, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame, WorldName: "tokenlab-bench"})
	if err != nil {
		return fmt.Errorf("entering frame %s: %w", frame, err)
	}
	yes := true
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ContextID: world.ExecutionContextID, ReturnByValue: &yes})
	if err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return fmt.Errorf("evaluating in frame %s: %s", frame, res.ExceptionDetails.Text)
	}
	return json.Unmarshal(res.Result.Value, dst)
}

// onScreen is one visit of a page that opens with a token: when the engine
// was ready and when the token was first painted explained, in
// milliseconds since navigation start.
type onScreen struct {
	ReadyMS  float64 `json:"ready_ms"`
	ClaimsMS float64 `json:"claims_ms"`
}

// shareLink is the playground's share link for a token (site/share.js
// tokenURL): the inspector opens with it.
func shareLink(base, token string) string {
	state, _ := json.Marshal(map[string]any{"v": 1, "inspect": map[string]string{"token": token}})
	return base + "/#state=" + base64.RawURLEncoding.EncodeToString(state)
}

// tokenOnScreen opens url, a page whose fragment holds a token, in a fresh
// browser context (nothing cached: a first visit) and times the engine's
// readiness and the token's explanation on screen.
func tokenOnScreen(browser context.Context, url string) (*onScreen, error) {
	t, err := newTab(browser, chromedp.WithNewBrowserContext())
	if err != nil {
		return nil, err
	}
	defer t.cancel()
	if err := t.navigate(url); err != nil {
		return nil, err
	}
	var s onScreen
	err = t.eval(`(async () => {
		const b = window.__bench;
		const t0 = Date.now();
		while (b.readyAt === null || b.claimsAt === null) {
			if (b.readyError) throw new Error("tokenlab.ready rejected: " + b.readyError);
			if (Date.now() - t0 > 60000) throw new Error("the token was not shown within 60 s");
			await new Promise((r) => setTimeout(r, 10));
		}
		return { ready_ms: b.readyAt, claims_ms: b.claimsAt };
	})()`, &s)
	return &s, err
}
