package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"tokenlab/internal/chrome"
)

// Scenario names used as keys in results.json.
const (
	pageTokenlab  = "tokenlab"
	pageGzip      = "tokenlab (gzip only)"
	pageFloor     = "empty Go WASM"
	onScreenShare = "share link (#state=)"
	onScreenEmbed = "embed (#token=)"
	docsOne       = "1 embed"
	docsFive      = "5 embeds"
)

// Scenario groups that -only can pick (the API page always runs: the
// other scenarios use the tokens it mints).
const (
	scenarioLoad     = "load"
	scenarioOnScreen = "onscreen"
	scenarioDocs     = "docs"
	scenarioPaste    = "paste"
	scenarioAPI      = "api"
)

// keygenRuns is how many keys of each kind each run generates with each
// implementation (RSA prime search varies a lot: more samples for 2048).
var keygenRuns = []struct {
	Spec string
	N    int
}{{"RSA-2048", 4}, {"RSA-4096", 1}, {"P-256", 5}, {"Ed25519", 5}}

type results struct {
	Meta      meta                        `json:"meta"`
	Sizes     map[string]assetSize        `json:"sizes"`
	Load      map[string]*loadResult      `json:"load"`
	Latency   map[string]map[string]*stat `json:"latency_ms"`
	Mint      map[string]*stat            `json:"mint_ms"`
	Keygen    map[string]map[string]*stat `json:"keygen_ms"`
	Paste     pasteResult                 `json:"paste_ms"`
	LongTasks map[string][]int            `json:"longtasks_ms"`
	// OnScreen holds, per page that opens with a token (a share link, an
	// embed), when the engine was ready and the token shown, per run.
	OnScreen map[string][]*onScreen `json:"on_screen"`
	// Docs holds the documentation page scenario per page ("1 embed",
	// "5 embeds"), per run.
	Docs    map[string][]*embedVisit        `json:"docs_pages"`
	Setup   json.RawMessage                 `json:"setup"`
	Budgets []budget                        `json:"budgets"`
	raw     map[string]map[string][]float64 // latency samples, pooled over runs
}

type meta struct {
	Date     string  `json:"date"`
	Version  string  `json:"site_version"`
	Go       string  `json:"go"`
	Chromium string  `json:"chromium"`
	Jose     string  `json:"jose"`
	CPU      string  `json:"cpu"`
	Cores    int     `json:"cores"`
	MemoryGB float64 `json:"memory_gb"`
	Runs     int     `json:"runs"`
	Samples  int     `json:"samples"`
	Seconds  float64 `json:"seconds"`
	// LoadAvg is /proc/loadavg at the start and the end: other work on a
	// shared machine shows up in every timing.
	LoadAvg []string `json:"loadavg"`
}

type loadResult struct {
	First       []*visit `json:"first"`
	Repeat      []*visit `json:"repeat,omitempty"`
	FirstReady  *stat    `json:"first_ready_ms"`
	RepeatReady *stat    `json:"repeat_ready_ms,omitempty"`
	FirstBytes  *stat    `json:"first_bytes"`
	RepeatBytes *stat    `json:"repeat_bytes,omitempty"`
}

type pasteResult struct {
	Cold *stat `json:"first_paste"`
	Warm *stat `json:"warm"`
	DOM  *stat `json:"to_dom"`
	// Change is paste → the editor's tl-token-change event: the part of
	// the delay that is the editor's own (debounce), before any engine call.
	Change *stat `json:"to_token_change"`
}

func benchmark(ctx context.Context, o options) (*results, error) {
	res := &results{
		Load:      map[string]*loadResult{},
		Latency:   map[string]map[string]*stat{},
		Mint:      map[string]*stat{},
		Keygen:    map[string]map[string]*stat{},
		LongTasks: map[string][]int{},
		OnScreen:  map[string][]*onScreen{},
		Docs:      map[string][]*embedVisit{},
		raw:       map[string]map[string][]float64{},
	}
	if _, err := os.Stat(filepath.Join(o.nodeMods, "jose", "dist", "webapi", "index.js")); err != nil {
		return nil, fmt.Errorf("panva/jose is not installed in %s: run `npm ci --prefix bench` (make bench does)", o.nodeMods)
	}
	fmt.Fprintln(os.Stderr, "bench: building the empty Go WASM floor program…")
	floorDir, err := buildFloor(o.work)
	if err != nil {
		return nil, err
	}
	product, err := siteHandler(o.site)
	if err != nil {
		return nil, err
	}
	floor, err := siteHandler(floorDir)
	if err != nil {
		return nil, err
	}
	res.Meta = machine(o)
	res.Sizes, res.Meta.Version, err = assetSizes(o.site, floorDir)
	if err != nil {
		return nil, err
	}
	base, stop, err := listen(handlers(product, floor, o.nodeMods))
	if err != nil {
		return nil, err
	}
	defer stop()
	gzBase, stopGz, err := listen(gzipOnly(handlers(product, floor, o.nodeMods)))
	if err != nil {
		return nil, err
	}
	defer stopGz()
	proxy, err := chrome.StartProxy()
	if err != nil {
		return nil, err
	}
	defer proxy.Close()
	alloc, cancelAlloc, err := chrome.NewAllocator(ctx, proxy.Flags()...)
	if err != nil {
		return nil, err
	}
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		return nil, fmt.Errorf("starting Chromium: %w", err)
	}

	paste := map[string][]float64{}
	var docsBase string // the documentation host, started once tokens exist
	for run := 1; run <= o.nruns; run++ {
		fmt.Fprintf(os.Stderr, "bench: run %d of %d\n", run, o.nruns)
		if o.runs(scenarioLoad) {
			// Alternate the order so drift on a noisy machine hits both alike.
			pages := []struct{ name, url string }{{pageTokenlab, base + "/"}, {pageFloor, base + "/floor/"}}
			if run%2 == 0 {
				pages[0], pages[1] = pages[1], pages[0]
			}
			for _, p := range pages {
				first, repeat, err := firstAndRepeat(ctx, proxy, p.url, true)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", p.name, err)
				}
				res.addLoad(p.name, first, repeat)
			}
			gz, _, err := firstAndRepeat(ctx, proxy, gzBase+"/", false)
			if err != nil {
				return nil, fmt.Errorf("gzip visit: %w", err)
			}
			res.addLoad(pageGzip, gz, nil)
		}

		tokens, embed, err := apiPage(browser, base, o, res)
		if err != nil {
			return nil, fmt.Errorf("API page: %w", err)
		}
		if o.runs(scenarioOnScreen) {
			for _, p := range []struct{ name, url string }{
				{onScreenShare, shareLink(base, tokens[0].Token)},
				{onScreenEmbed, base + "/embed.html#mode=explain&token=" + embed.ID},
			} {
				s, err := tokenOnScreen(browser, p.url)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", p.name, err)
				}
				res.OnScreen[p.name] = append(res.OnScreen[p.name], s)
			}
		}
		if o.runs(scenarioDocs) {
			if docsBase == "" {
				var stopDocs func()
				docsBase, stopDocs, err = docsHost(map[string]string{"/one.html": docsPage(base, embed, 1), "/five.html": docsPage(base, embed, 5)})
				if err != nil {
					return nil, err
				}
				defer stopDocs()
			}
			pages := []struct {
				name, path string
				n          int
			}{{docsOne, "/one.html", 1}, {docsFive, "/five.html", 5}}
			if run%2 == 0 {
				pages[0], pages[1] = pages[1], pages[0]
			}
			for _, p := range pages {
				v, err := loadDocsPage(ctx, proxy, docsBase+p.path, base, p.n)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", p.name, err)
				}
				res.Docs[p.name] = append(res.Docs[p.name], v)
				res.LongTasks["docs page: "+p.name] = append(res.LongTasks["docs page: "+p.name], v.LongTasks...)
			}
		}
		if o.runs(scenarioPaste) {
			if err := pastePage(browser, proxy, base, tokens, paste, res); err != nil {
				return nil, fmt.Errorf("paste: %w", err)
			}
		}
	}
	res.Paste = pasteResult{Cold: summarize(paste["cold"]), Warm: summarize(paste["warm"]), DOM: summarize(paste["dom"]), Change: summarize(paste["change"])}
	for op, impls := range res.raw {
		for impl, samples := range impls {
			s := summarize(samples)
			switch {
			case strings.HasPrefix(op, "keygen "):
				spec := strings.TrimPrefix(op, "keygen ")
				if res.Keygen[spec] == nil {
					res.Keygen[spec] = map[string]*stat{}
				}
				res.Keygen[spec][impl] = s
			case op == "mint":
				res.Mint[impl] = s
			default:
				if res.Latency[op] == nil {
					res.Latency[op] = map[string]*stat{}
				}
				res.Latency[op][impl] = s
			}
		}
	}
	for _, l := range res.Load {
		l.FirstReady, l.FirstBytes = summarizeVisits(l.First)
		if len(l.Repeat) > 0 {
			l.RepeatReady, l.RepeatBytes = summarizeVisits(l.Repeat)
		}
	}
	res.Budgets = checkBudgets(res)
	res.Meta.LoadAvg = append(res.Meta.LoadAvg, loadavg())
	return res, nil
}

// firstAndRepeat visits url in a new browser with a fresh on-disk profile
// (a first-time visitor), lets the service worker complete its cache, stays
// long enough for V8 to store compiled WebAssembly in its code cache, closes
// the browser, and visits again in a new browser on the same profile (a
// developer coming back another day: HTTP cache, service worker and code
// cache on disk, nothing in memory). A new tab of the same browser would
// reuse the renderer's in-memory compiled module and flatter the repeat
// visit. Off-the-record browser contexts are not used here: their
// in-memory HTTP cache refuses entries over 1/8 of its 10 MiB, so a
// megabyte-sized engine would never be cached in them.
func firstAndRepeat(ctx context.Context, proxy *chrome.Proxy, url string, repeat bool) (*visit, *visit, error) {
	profile, err := os.MkdirTemp("", "tokenlab-bench-profile-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(profile)
	open := func() (*tab, func(), error) {
		alloc, cancelAlloc, err := chrome.NewAllocator(ctx, append(proxy.Flags(), chromedp.UserDataDir(profile))...)
		if err != nil {
			return nil, nil, err
		}
		t, err := newTab(alloc)
		if err != nil {
			cancelAlloc()
			return nil, nil, err
		}
		return t, func() { t.cancel(); cancelAlloc() }, nil
	}
	first, closeFirst, err := open()
	if err != nil {
		return nil, nil, err
	}
	v1, err := first.load(proxy, url)
	if err != nil {
		closeFirst()
		return nil, nil, fmt.Errorf("first visit: %w", err)
	}
	if !repeat {
		closeFirst()
		return v1, nil, nil
	}
	if v1.DeferredBytes, err = first.waitPrecache(proxy); err != nil {
		closeFirst()
		return nil, nil, fmt.Errorf("first visit: %w", err)
	}
	// V8 caches a streamed module's code once enough of it has tiered up
	// and it has been quiet for a while (2 s in current V8): give it time,
	// as a reader would.
	time.Sleep(3 * time.Second)
	closeFirst()
	second, closeSecond, err := open()
	if err != nil {
		return nil, nil, err
	}
	defer closeSecond()
	v2, err := second.load(proxy, url)
	if err != nil {
		return nil, nil, fmt.Errorf("repeat visit: %w", err)
	}
	return v1, v2, nil
}

func (r *results) addLoad(name string, first, repeat *visit) {
	l := r.Load[name]
	if l == nil {
		l = &loadResult{}
		r.Load[name] = l
	}
	l.First = append(l.First, first)
	r.LongTasks["load: "+name] = append(r.LongTasks["load: "+name], first.LongTasks...)
	if repeat != nil {
		l.Repeat = append(l.Repeat, repeat)
		r.LongTasks["load: "+name] = append(r.LongTasks["load: "+name], repeat.LongTasks...)
	}
}

func (r *results) addSamples(op string, samples map[string][]float64) {
	if r.raw[op] == nil {
		r.raw[op] = map[string][]float64{}
	}
	for impl, s := range samples {
		r.raw[op][impl] = append(r.raw[op][impl], s...)
	}
}

type pasteToken struct {
	Sub   string `json:"sub"`
	Token string `json:"token"`
}

// apiPage runs the round-trip, mint and keygen scenarios on the benchmark
// page in a fresh browser context (unless -only leaves them out), and
// mints the tokens the paste and embed scenarios use.
func apiPage(browser context.Context, base string, o options, res *results) ([]pasteToken, embedTokens, error) {
	var embed embedTokens
	tab, err := newTab(browser, chromedp.WithNewBrowserContext())
	if err != nil {
		return nil, embed, err
	}
	defer tab.cancel()
	if err := tab.navigate(base + "/bench/api.html"); err != nil {
		return nil, embed, err
	}
	if err := tab.eval(`(async () => { while (!window.bench) await new Promise((r) => setTimeout(r, 10)); await window.tokenlab.ready; return true })()`, nil); err != nil {
		return nil, embed, err
	}
	var setup json.RawMessage
	if err := tab.call(&setup, "setup"); err != nil {
		return nil, embed, err
	}
	res.Setup = setup
	if o.runs(scenarioAPI) {
		if err := apiScenarios(tab, o, res); err != nil {
			return nil, embed, err
		}
	}
	var tokens []pasteToken
	if err := tab.call(&tokens, "pasteTokens", 6); err != nil {
		return nil, embed, err
	}
	if err := tab.call(&embed, "embedTokens"); err != nil {
		return nil, embed, err
	}
	return tokens, embed, nil
}

// apiScenarios times round trips (with the engine's own time beside
// tokenlab's), minting and key generation on the API page.
func apiScenarios(tab *tab, o options, res *results) error {
	var lat struct {
		Samples   map[string]map[string][]float64 `json:"samples"`
		Engine    map[string][]float64            `json:"engine"`
		LongTasks map[string][]int                `json:"longtasks"`
	}
	if err := tab.call(&lat, "latency", o.samples); err != nil {
		return err
	}
	for op, s := range lat.Samples {
		res.addSamples(op, s)
		if len(lat.Engine[op]) > 0 {
			res.addSamples(op, map[string][]float64{implEngine: lat.Engine[op]})
		}
		res.LongTasks[op] = append(res.LongTasks[op], lat.LongTasks[op]...)
	}
	var mint struct {
		Samples   map[string][]float64 `json:"samples"`
		LongTasks []int                `json:"longtasks"`
	}
	if err := tab.call(&mint, "mint", 10); err != nil {
		return err
	}
	res.addSamples("mint", mint.Samples)
	res.LongTasks["mint"] = append(res.LongTasks["mint"], mint.LongTasks...)
	for _, k := range keygenRuns {
		var kg struct {
			Samples   map[string][]float64 `json:"samples"`
			LongTasks []int                `json:"longtasks"`
		}
		if err := tab.call(&kg, "keygen", k.Spec, k.N); err != nil {
			return err
		}
		res.addSamples("keygen "+k.Spec, kg.Samples)
		res.LongTasks["keygen "+k.Spec] = append(res.LongTasks["keygen "+k.Spec], kg.LongTasks...)
	}
	return nil
}

// implEngine names, among a round trip's implementations, the engine's
// own time inside the worker for tokenlab's calls.
const implEngine = "tokenlab engine"

// pastePage opens the real playground in a fresh browser context and
// pastes each token as soon as the engine is ready: the first paste is
// what a developer arriving with a token on the clipboard gets.
func pastePage(browser context.Context, proxy *chrome.Proxy, base string, tokens []pasteToken, out map[string][]float64, res *results) error {
	tab, err := newTab(browser, chromedp.WithNewBrowserContext())
	if err != nil {
		return err
	}
	defer tab.cancel()
	if _, err := tab.load(proxy, base+"/"); err != nil {
		return err
	}
	for i, tk := range tokens {
		var r struct {
			DOM     float64 `json:"dom"`
			Painted float64 `json:"painted"`
			Change  float64 `json:"change"`
			T0      float64 `json:"t0"`
			T1      float64 `json:"t1"`
		}
		args, _ := json.Marshal([]string{tk.Sub, tk.Token})
		if err := tab.eval(fmt.Sprintf("(%s)(...%s)", strings.TrimSpace(stripComments(pasteJS)), args), &r); err != nil {
			return err
		}
		if i == 0 {
			out["cold"] = append(out["cold"], r.Painted)
		} else {
			out["warm"] = append(out["warm"], r.Painted)
		}
		out["dom"] = append(out["dom"], r.DOM)
		if r.Change >= 0 {
			out["change"] = append(out["change"], r.Change)
		}
		var lts []int
		if err := tab.eval(fmt.Sprintf(`new Promise((r) => setTimeout(r, 120)).then(() => window.__bench.longtasks.filter((e) => e.start + e.duration >= %f && e.start <= %f).map((e) => Math.round(e.duration)))`, r.T0, r.T1), &lts); err != nil {
			return err
		}
		res.LongTasks["paste"] = append(res.LongTasks["paste"], lts...)
	}
	return nil
}

// stripComments drops the leading // comment lines of an embedded script.
func stripComments(js string) string {
	var b strings.Builder
	for _, line := range strings.Split(js, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// machine describes where the benchmark ran.
func machine(o options) meta {
	m := meta{Date: time.Now().UTC().Format(time.RFC3339), Go: runtime.Version(), Cores: runtime.NumCPU(), Runs: o.nruns, Samples: o.samples}
	if out, err := exec.Command(chrome.Path(), "--version").Output(); err == nil {
		m.Chromium = strings.TrimSpace(string(out))
	}
	m.LoadAvg = []string{loadavg()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		if _, err := fmt.Sscanf(strings.SplitN(string(data), "\n", 2)[0], "MemTotal: %f kB", &kb); err == nil {
			m.MemoryGB = kb / (1 << 20)
		}
	}
	if data, err := os.ReadFile(filepath.Join(o.nodeMods, "jose", "package.json")); err == nil {
		var pkg struct{ Version string }
		if json.Unmarshal(data, &pkg) == nil {
			m.Jose = pkg.Version
		}
	}
	return m
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
