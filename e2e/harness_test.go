//go:build browser

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tokenlab/internal/chrome"
	"tokenlab/internal/server"
	"tokenlab/site"
)

// suite is what TestMain sets up once: the server and the browser.
type suite struct {
	base    string          // http://127.0.0.1:PORT
	browser context.Context // a started browser; tabs derive from it
	proxy   *chrome.Proxy   // every request the browser makes passes here
}

var env suite // set once by TestMain, read-only afterwards

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	handler, err := server.New(site.Files())
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	srv, err := startServer(handler)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer srv.Close()
	proxy, err := chrome.StartProxy()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer proxy.Close()
	alloc, cancelAlloc, err := chrome.NewAllocator(context.Background(), proxy.Flags()...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: starting Chromium failed:", err)
		return 1
	}
	env = suite{base: srv.URL, browser: browser, proxy: proxy}
	return m.Run()
}

// startServer serves handler on a fresh loopback port.
func startServer(h http.Handler) (*httptest.Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = ln
	srv.Config = server.NewHTTPServer(h)
	srv.Start()
	return srv, nil
}

// Page is one browser tab in its own browser context (no shared cache,
// storage or service workers with other tests), with its console and
// network recorded.
type Page struct {
	t   *testing.T
	ctx context.Context
	rec *recorder
}

// recorder keeps what a tab logged; the Page values of subtests share it.
type recorder struct {
	mark    int      // the proxy log position when the tab opened
	allowed []string // origins the tab may request: tokenlab's and any the test adds

	mu      sync.Mutex
	console []string // errors and warnings from the page

	// allowConsoleErrors turns off the end-of-test assertion that the
	// console stayed clean.
	allowConsoleErrors bool
}

// For returns the same tab bound to t, for use inside a subtest (a failure
// must be reported on the subtest's own t).
func (p *Page) For(t *testing.T) *Page {
	return &Page{t: t, ctx: p.ctx, rec: p.rec}
}

// AllowConsoleErrors turns off the end-of-test assertion that the console
// stayed clean, for tests that provoke errors on purpose.
func (p *Page) AllowConsoleErrors() {
	p.rec.mu.Lock()
	defer p.rec.mu.Unlock()
	p.rec.allowConsoleErrors = true
}

// NewPage opens a tab. At the end of the test it asserts that the page
// logged no console error and requested nothing from an origin other than
// tokenlab's and alsoAllowed (e.g. the documentation host of embed tests).
func NewPage(t *testing.T, alsoAllowed ...string) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(env.browser, chromedp.WithNewBrowserContext())
	p := &Page{t: t, ctx: ctx, rec: &recorder{mark: env.proxy.Mark(), allowed: append([]string{env.base}, alsoAllowed...)}}
	if err := chromedp.Listen(ctx, p.rec.record); err != nil {
		cancel()
		t.Fatalf("opening a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enabling log events: %v", err)
	}
	t.Cleanup(func() {
		p.assertClean()
		cancel()
	})
	return p
}

func (r *recorder) record(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			r.console = append(r.console, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " ")))
		}
	case *runtime.EventExceptionThrown:
		r.console = append(r.console, "uncaught: "+ev.ExceptionDetails.Text+" "+describe(ev.ExceptionDetails.Exception))
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			r.console = append(r.console, fmt.Sprintf("log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	}
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return o.Description
}

// Requests returns every request the browser has sent since the tab
// opened, from the page, its workers and service workers, as seen by the
// recording proxy.
func (p *Page) Requests() []chrome.Request {
	return env.proxy.Since(p.rec.mark)
}

// ConsoleErrors returns the console errors and warnings so far.
func (p *Page) ConsoleErrors() []string {
	p.rec.mu.Lock()
	defer p.rec.mu.Unlock()
	return append([]string(nil), p.rec.console...)
}

func (p *Page) assertClean() {
	p.t.Helper()
	p.rec.mu.Lock()
	allow := p.rec.allowConsoleErrors
	p.rec.mu.Unlock()
	if !allow {
		for _, msg := range p.ConsoleErrors() {
			p.t.Errorf("console: %s", msg)
		}
	}
	for _, r := range p.Requests() {
		if r.BrowserInternal() {
			continue
		}
		if r.Foreign || p.foreign(r.URL) {
			p.t.Errorf("the browser requested an origin this test does not allow: %s %s", r.Method, r.URL)
		}
	}
}

// foreign reports whether raw leaves the origins the tab may request.
// data: and blob: URLs stay in the page.
func (p *Page) foreign(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	switch u.Scheme {
	case "data", "blob":
		return false
	}
	return !slices.Contains(p.rec.allowed, originOf(raw))
}

// originOf returns the scheme://host of a URL.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

// Open navigates to path on the tokenlab server and waits for the engine.
func (p *Page) Open(path string) {
	p.t.Helper()
	p.Do(chromedp.Navigate(env.base + path))
	p.WaitReady()
}

// WaitReady awaits tokenlab.ready.
func (p *Page) WaitReady() {
	p.t.Helper()
	p.Eval(`(async () => { while (!window.tokenlab) await new Promise(r => setTimeout(r, 10)); await window.tokenlab.ready; return true })()`)
}

// Do runs actions with a time limit.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// Eval evaluates a JavaScript expression (awaiting a promise) and returns
// its JSON value.
func (p *Page) Eval(expr string) json.RawMessage {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 120*time.Second)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %.120q: %v", expr, err)
	}
	return out
}

// APIError is a rejected tokenlab call.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Name    string `json:"name"`
}

// Call calls tokenlab.method(args...) in the page. It returns the result as
// JSON, or the rejection's code and message.
func (p *Page) Call(method string, args ...any) (json.RawMessage, *APIError) {
	p.t.Helper()
	encoded, err := json.Marshal(args)
	if err != nil {
		p.t.Fatalf("encoding arguments: %v", err)
	}
	out := p.Eval(fmt.Sprintf(`window.tokenlab[%q](...%s).then(
		(result) => ({ ok: true, result }),
		(e) => ({ ok: false, error: { code: e.code, message: e.message, name: e.name } }))`, method, encoded))
	var res struct {
		OK     bool            `json:"ok"`
		Result json.RawMessage `json:"result"`
		Error  *APIError       `json:"error"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		p.t.Fatalf("decoding the answer of %s: %v (%s)", method, err, out)
	}
	if !res.OK {
		return nil, res.Error
	}
	return res.Result, nil
}

// mustDecode decodes a JSON value from the page into dst.
func mustDecode(t *testing.T, raw json.RawMessage, dst any) {
	t.Helper()
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("decoding %.300s: %v", raw, err)
	}
}

// MustCall calls a method that must succeed and decodes its result into dst.
func (p *Page) MustCall(dst any, method string, args ...any) {
	p.t.Helper()
	res, apiErr := p.Call(method, args...)
	if apiErr != nil {
		p.t.Fatalf("%s failed: %s: %s", method, apiErr.Code, apiErr.Message)
	}
	if dst != nil {
		if err := json.Unmarshal(res, dst); err != nil {
			p.t.Fatalf("decoding the result of %s: %v (%s)", method, err, res)
		}
	}
}

// Screenshot saves a full-page PNG under e2e/artifacts/NAME.png.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join("artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// Context returns the tab's chromedp context for actions the helpers above
// do not cover.
func (p *Page) Context() context.Context { return p.ctx }

// PrefersColorScheme makes the tab report prefers-color-scheme: scheme
// ("light" or "dark"), as a user's system setting would.
func (p *Page) PrefersColorScheme(scheme string) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		p.t.Fatalf("emulating prefers-color-scheme %s: %v", scheme, err)
	}
}

// settleStyles waits until the page's CSS transitions and animations have
// finished (a theme switch fades colours), so a contrast scan or a
// screenshot sees the final colours rather than a frame in between. It
// also covers same-origin frames. A fixed sleep is not enough on a loaded
// machine, where a throttled tab can run its transitions late.
func (p *Page) settleStyles() {
	p.t.Helper()
	p.Eval(`new Promise((resolve) => {
		const docs = () => [document, ...[...document.querySelectorAll("iframe")].map((f) => { try { return f.contentDocument; } catch { return null; } }).filter(Boolean)];
		const running = () => docs().flatMap((d) => d.getAnimations()).filter((a) => a.playState === "running" || a.playState === "pending");
		const deadline = performance.now() + 10000;
		// A frame may not come while the viewport changes: a timer stands in.
		const next = () => { let done = false; const go = () => { if (!done) { done = true; check(); } }; requestAnimationFrame(go); setTimeout(go, 100); };
		const check = () => {
			const left = running();
			if (left.length === 0 || performance.now() > deadline) { resolve(true); return; }
			// An endless animation (a spinner) never finishes: look again within 250 ms.
			Promise.race([Promise.all(left.map((a) => a.finished.catch(() => {}))), new Promise((r) => setTimeout(r, 250))]).then(next);
		};
		next();
	})`)
}
