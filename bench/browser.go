package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tokenlab/internal/chrome"
)

// tab is one browser tab with the bench hook (web/hook.js) installed in
// every document it loads.
type tab struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// newTab opens a tab under parent: pass chromedp.WithNewBrowserContext() for
// a fresh off-the-record profile, nothing for another tab in parent's
// browser context (or, when parent is an allocator, a new browser with a
// fresh on-disk profile).
func newTab(parent context.Context, opts ...chromedp.ContextOption) (*tab, error) {
	ctx, cancel := chromedp.NewContext(parent, opts...)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("opening a tab: %w", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookJS}); err != nil {
		cancel()
		return nil, fmt.Errorf("installing the bench hook: %w", err)
	}
	return &tab{ctx: ctx, cancel: cancel}, nil
}

func (t *tab) navigate(url string) error {
	ctx, cancel := context.WithTimeout(t.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("navigating to %s: %w", url, err)
	}
	return nil
}

// eval evaluates expr, awaiting a promise, and decodes its JSON value.
func (t *tab) eval(expr string, dst any) error {
	ctx, cancel := context.WithTimeout(t.ctx, 5*time.Minute)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("evaluating %.80q: %w", expr, err)
	}
	if dst == nil {
		return nil
	}
	return json.Unmarshal(out, dst)
}

// call runs window.bench[method](args...) on the API benchmark page.
func (t *tab) call(dst any, method string, args ...any) error {
	if args == nil {
		args = []any{}
	}
	encoded, err := json.Marshal(args)
	if err != nil {
		return err
	}
	return t.eval(fmt.Sprintf("window.bench[%q](...%s)", method, encoded), dst)
}

// visit is one page load as the bench sees it.
type visit struct {
	ReadyMS float64 `json:"ready_ms"`
	// Phases are the engine's start-up marks (tokenlab:worker,
	// fetch-start, fetch-end, compiled, ready, …) in milliseconds since
	// navigation start, the first of each name.
	Phases    map[string]float64 `json:"phases,omitempty"`
	FCPMS     float64            `json:"fcp_ms,omitempty"`
	Bytes     int64              `json:"bytes"`
	Requests  int                `json:"requests"`
	Revalid   int                `json:"revalidated"` // 304 answers
	Foreign   int                `json:"foreign"`
	LongTasks []int              `json:"longtasks_ms"`
	// LoAF lists long animation frames with their scripts, to say what a
	// long task was.
	LoAF json.RawMessage `json:"long_animation_frames,omitempty"`
	// DeferredBytes is what the service worker fetched to complete its
	// cache once the page had been ready for a while (site/offline.js),
	// after the first-load measurement ended.
	DeferredBytes int64 `json:"deferred_bytes,omitempty"`
	Log           []hit `json:"log"`
}

type hit struct {
	URL      string `json:"url"`
	Status   int    `json:"status"`
	Bytes    int64  `json:"bytes"`
	Encoding string `json:"encoding,omitempty"`
}

// load navigates t to url, waits for tokenlab.ready and for the network to
// go quiet, and reports what the proxy carried for it.
func (t *tab) load(proxy *chrome.Proxy, url string) (*visit, error) {
	mark := proxy.Mark()
	if err := t.navigate(url); err != nil {
		return nil, err
	}
	var st struct {
		ReadyAt   float64 `json:"readyAt"`
		FCP       float64 `json:"fcp"`
		LongTasks []struct {
			Start    float64 `json:"start"`
			Duration float64 `json:"duration"`
		} `json:"longtasks"`
		LoAF   json.RawMessage    `json:"loafs"`
		Phases map[string]float64 `json:"phases"`
	}
	err := t.eval(`(async () => {
		const b = window.__bench;
		const t0 = Date.now();
		while (b.readyAt === null) {
			if (b.readyError) throw new Error("tokenlab.ready rejected: " + b.readyError);
			if (Date.now() - t0 > 60000) throw new Error("tokenlab.ready did not resolve within 60 s");
			await new Promise((r) => setTimeout(r, 10));
		}
		await new Promise((r) => setTimeout(r, 100));
		const fcp = performance.getEntriesByName("first-contentful-paint")[0];
		const phases = {};
		for (const m of performance.getEntriesByType("mark")) {
			if (m.name.startsWith("tokenlab:") && !(m.name.slice(9) in phases)) phases[m.name.slice(9)] = m.startTime;
		}
		return { readyAt: b.readyAt, fcp: fcp ? fcp.startTime : 0, longtasks: b.longtasks, loafs: b.loafs, phases };
	})()`, &st)
	if err != nil {
		return nil, err
	}
	waitQuiet(proxy, 700*time.Millisecond, 8*time.Second)
	v := &visit{ReadyMS: st.ReadyAt, FCPMS: st.FCP, LoAF: st.LoAF, Phases: st.Phases}
	for _, lt := range st.LongTasks {
		v.LongTasks = append(v.LongTasks, int(lt.Duration+0.5))
	}
	for _, r := range proxy.Since(mark) {
		if r.BrowserInternal() {
			continue
		}
		if r.Foreign {
			v.Foreign++
		}
		v.Requests++
		v.Bytes += r.Bytes
		if r.Status == 304 {
			v.Revalid++
		}
		v.Log = append(v.Log, hit{URL: strings.TrimPrefix(r.URL, origin(url)), Status: r.Status, Bytes: r.Bytes, Encoding: r.Encoding})
	}
	return v, nil
}

// waitQuiet returns once the proxy has seen no new request for quiet, or
// after max.
func waitQuiet(proxy *chrome.Proxy, quiet, max time.Duration) {
	deadline := time.Now().Add(max)
	last, since := proxy.Mark(), time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if n := proxy.Mark(); n != last {
			last, since = n, time.Now()
			continue
		}
		if time.Since(since) >= quiet {
			return
		}
	}
}

// origin returns scheme://host of an absolute URL.
func origin(u string) string {
	scheme, rest, _ := strings.Cut(u, "://")
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}

// waitPrecache waits, on a page that registered tokenlab's service worker,
// until the worker has completed its cache (the deferred fill of
// site/offline.js and site/sw.js) and the network is quiet, and returns the
// bytes the proxy carried meanwhile. A page without a service worker
// returns 0 at once.
func (t *tab) waitPrecache(proxy *chrome.Proxy) (int64, error) {
	mark := proxy.Mark()
	var done bool
	err := t.eval(`(async () => {
		if (!navigator.serviceWorker || !(await navigator.serviceWorker.getRegistration())) return false;
		const complete = async () => {
			for (const name of await caches.keys()) if (await (await caches.open(name)).match("sw-complete")) return true;
			return false;
		};
		const t0 = Date.now();
		while (!(await complete())) {
			if (Date.now() - t0 > 30000) throw new Error("the service worker did not complete its cache within 30 s");
			await new Promise((r) => setTimeout(r, 100));
		}
		return true;
	})()`, &done)
	if err != nil || !done {
		return 0, err
	}
	waitQuiet(proxy, 700*time.Millisecond, 8*time.Second)
	var n int64
	for _, r := range proxy.Since(mark) {
		if !r.BrowserInternal() {
			n += r.Bytes
		}
	}
	return n, nil
}
