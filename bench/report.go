package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"tokenlab/internal/sitebuild"
)

// Budgets from the issues "Fast and small" and "A fast start, and embeds a
// documentation page can afford". Sizes are in bytes (1 MB = 10^6 bytes,
// 1 KB = 10^3), times in milliseconds.
const (
	budgetFirstLoadBrotli   = 1_400_000
	budgetFirstReadyVsFloor = 2.0
	budgetRepeatReadyFloor  = 1.5
	budgetRepeatBytes       = 10_000
	budgetOnScreenMS        = 100 // token on screen after ready
	budgetInspectMS         = 1
	budgetPasteMS           = 50
	budgetRSAKeygenRatio    = 1.3
	budgetLongTaskMS        = 50
	budgetDocsTransfer      = 1.2 // five embeds' transfer ÷ one embed's: "about one embed's"
	budgetDocsRendered      = 1.5 // five embeds all rendered ÷ one
	budgetDocsMemory        = 100_000_000
	budgetDocsCLS           = 0.1
)

type stat struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	P95    float64 `json:"p95"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// summarize computes the median and the 95th percentile (nearest rank).
func summarize(samples []float64) *stat {
	if len(samples) == 0 {
		return nil
	}
	s := append([]float64(nil), samples...)
	sort.Float64s(s)
	n := len(s)
	median := s[n/2]
	if n%2 == 0 {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	rank := int(math.Ceil(0.95*float64(n))) - 1
	return &stat{N: n, Median: median, P95: s[max(rank, 0)], Min: s[0], Max: s[n-1]}
}

func summarizeVisits(vs []*visit) (ready, bytes *stat) {
	var r, b []float64
	for _, v := range vs {
		r = append(r, v.ReadyMS)
		b = append(b, float64(v.Bytes))
	}
	return summarize(r), summarize(b)
}

type assetSize struct {
	Identity int `json:"identity"`
	Brotli   int `json:"br,omitempty"`
	Gzip     int `json:"gz,omitempty"`
}

// assetSizes lists every served file of the built site and of the floor
// site ("floor/…") with its precompressed sizes.
func assetSizes(site, floor string) (map[string]assetSize, string, error) {
	out := map[string]assetSize{}
	var version string
	for prefix, dir := range map[string]string{"": site, "floor/": floor} {
		data, err := os.ReadFile(filepath.Join(dir, sitebuild.ManifestName))
		if err != nil {
			return nil, "", err
		}
		var m sitebuild.Manifest
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, "", err
		}
		if prefix == "" {
			version = m.Version
		}
		for _, served := range m.Assets {
			var a assetSize
			a.Identity = fileSize(filepath.Join(dir, served))
			a.Brotli = fileSize(filepath.Join(dir, served+".br"))
			a.Gzip = fileSize(filepath.Join(dir, served+".gz"))
			out[prefix+served] = a
		}
	}
	return out, version, nil
}

func fileSize(p string) int {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return int(fi.Size())
}

// wasmAsset returns the name and sizes of the one .wasm file under prefix.
func wasmAsset(sizes map[string]assetSize, floor bool) (string, assetSize) {
	for name, a := range sizes {
		if path.Ext(name) == ".wasm" && strings.HasPrefix(name, "floor/") == floor {
			return name, a
		}
	}
	return "", assetSize{}
}

type budget struct {
	Name     string `json:"name"`
	Budget   string `json:"budget"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

func checkBudgets(r *results) []budget {
	var out []budget
	add := func(name, b, m string, ok bool) { out = append(out, budget{name, b, m, ok}) }
	tl, fl := r.Load[pageTokenlab], r.Load[pageFloor]
	if tl != nil && fl != nil {
		ratio := tl.FirstReady.Median / fl.FirstReady.Median
		add("engine ready, first visit", fmt.Sprintf("≤ %.1f× empty Go WASM", budgetFirstReadyVsFloor), fmt.Sprintf("%.2f× (%s vs %s)", ratio, ms(tl.FirstReady.Median), ms(fl.FirstReady.Median)), ratio <= budgetFirstReadyVsFloor)
		ratio = tl.RepeatReady.Median / fl.RepeatReady.Median
		add("engine ready, repeat visit", fmt.Sprintf("≤ %.1f× empty Go WASM", budgetRepeatReadyFloor), fmt.Sprintf("%.2f× (%s vs %s)", ratio, ms(tl.RepeatReady.Median), ms(fl.RepeatReady.Median)), ratio <= budgetRepeatReadyFloor)
	}
	for _, name := range []string{onScreenShare, onScreenEmbed} {
		if d := onScreenDelay(r.OnScreen[name]); d != nil {
			add(name+": token on screen after ready (median)", fmt.Sprintf("≤ %d ms", budgetOnScreenMS), ms(d.Median), d.Median <= budgetOnScreenMS)
		}
	}
	if one, five := docsSummary(r.Docs[docsOne]), docsSummary(r.Docs[docsFive]); one != nil && five != nil {
		ratio := five.Bytes.Median / one.Bytes.Median
		add("docs page, 5 embeds: transfer", fmt.Sprintf("≈ 1 embed's (≤ %.1f×)", budgetDocsTransfer), fmt.Sprintf("%.2f× (%s vs %s)", ratio, kb(five.Bytes.Median), kb(one.Bytes.Median)), ratio <= budgetDocsTransfer)
		ratio = five.All.Median / one.All.Median
		add("docs page, 5 embeds: all rendered", fmt.Sprintf("≤ %.1f× 1 embed", budgetDocsRendered), fmt.Sprintf("%.2f× (%s vs %s)", ratio, ms(five.All.Median), ms(one.All.Median)), ratio <= budgetDocsRendered)
		add("docs page, 5 embeds: renderer memory", "≤ +"+kb(budgetDocsMemory), "+"+kb(five.Memory.Median), five.Memory.Median <= budgetDocsMemory)
		add("docs page, 5 embeds: cumulative layout shift", fmt.Sprintf("< %.1f", budgetDocsCLS), fmt.Sprintf("%.3f", five.CLS.Median), five.CLS.Median < budgetDocsCLS)
	}
	if s := r.Latency["inspect"]["tokenlab"]; s != nil {
		engine := "—"
		if e := r.Latency["inspect"][implEngine]; e != nil {
			engine = ms(e.Median)
		}
		add("inspect round trip (median)", fmt.Sprintf("≤ %d ms", budgetInspectMS), fmt.Sprintf("%s (engine %s)", ms(s.Median), engine), s.Median <= budgetInspectMS)
	}
	if r.Paste.Cold != nil {
		add("paste → rendered, first paste", fmt.Sprintf("≤ %d ms", budgetPasteMS), ms(r.Paste.Cold.Median), r.Paste.Cold.Median <= budgetPasteMS)
		add("paste → rendered, later pastes (median)", fmt.Sprintf("≤ %d ms", budgetPasteMS), ms(r.Paste.Warm.Median), r.Paste.Warm.Median <= budgetPasteMS)
	}
	if tl != nil {
		add("first-load transfer (brotli)", "≤ "+kb(budgetFirstLoadBrotli), kb(tl.FirstBytes.Median), tl.FirstBytes.Median <= budgetFirstLoadBrotli)
		add("repeat-visit transfer", "≤ "+kb(budgetRepeatBytes), kb(tl.RepeatBytes.Median), tl.RepeatBytes.Median <= budgetRepeatBytes)
	}
	if k := r.Keygen["RSA-2048"]; k != nil && k["tokenlab"] != nil && k["webcrypto"] != nil {
		ratio := k["tokenlab"].Median / k["webcrypto"].Median
		add("RSA-2048 keygen", fmt.Sprintf("≤ %.1f× WebCrypto", budgetRSAKeygenRatio), fmt.Sprintf("%.2f× (%s vs %s)", ratio, ms(k["tokenlab"].Median), ms(k["webcrypto"].Median)), ratio <= budgetRSAKeygenRatio)
	}
	if lts := r.LongTasks["load: "+pageTokenlab]; tl != nil {
		longest := 0
		for _, d := range lts {
			longest = max(longest, d)
		}
		m := "none"
		if longest > 0 {
			m = fmt.Sprintf("%d over 50 ms of %d, longest %d ms", countOver(lts, budgetLongTaskMS), len(lts), longest)
		}
		add("main-thread long tasks during load", fmt.Sprintf("none over %d ms", budgetLongTaskMS), m, longest <= budgetLongTaskMS)
	}
	longest, where := 0, "none"
	for scenario, lts := range r.LongTasks {
		if strings.Contains(scenario, pageFloor) {
			continue // the floor page is a reference, not tokenlab
		}
		for _, d := range lts {
			if d > longest {
				longest, where = d, scenario
			}
		}
	}
	m := "none"
	if longest > 0 {
		m = fmt.Sprintf("%d ms (%s)", longest, where)
	}
	add("main-thread long tasks, any scenario", fmt.Sprintf("none over %d ms", budgetLongTaskMS), m, longest <= budgetLongTaskMS)
	return out
}

// countOver counts the durations over limit.
func countOver(ds []int, limit int) int {
	n := 0
	for _, d := range ds {
		if d > limit {
			n++
		}
	}
	return n
}

// onScreenDelay summarises how long after ready each visit showed its token.
func onScreenDelay(vs []*onScreen) *stat {
	var d []float64
	for _, v := range vs {
		d = append(d, v.ClaimsMS-v.ReadyMS)
	}
	return summarize(d)
}

// docsStats summarises the visits of one documentation page.
type docsStats struct {
	Bytes, First, All, Memory, CLS                         *stat
	Requests, WasmFetches, SharedWorkers, DedicatedEngines *stat
}

func docsSummary(vs []*embedVisit) *docsStats {
	if len(vs) == 0 {
		return nil
	}
	pick := func(f func(*embedVisit) float64) *stat {
		var out []float64
		for _, v := range vs {
			out = append(out, f(v))
		}
		return summarize(out)
	}
	return &docsStats{
		Bytes:            pick(func(v *embedVisit) float64 { return float64(v.Bytes) }),
		First:            pick(func(v *embedVisit) float64 { return v.FirstMS }),
		All:              pick(func(v *embedVisit) float64 { return v.AllMS }),
		Memory:           pick(func(v *embedVisit) float64 { return float64(v.MemoryBytes) }),
		CLS:              pick(func(v *embedVisit) float64 { return v.CLS }),
		Requests:         pick(func(v *embedVisit) float64 { return float64(v.Requests) }),
		WasmFetches:      pick(func(v *embedVisit) float64 { return float64(v.WasmFetches) }),
		SharedWorkers:    pick(func(v *embedVisit) float64 { return float64(v.SharedWorkers) }),
		DedicatedEngines: pick(func(v *embedVisit) float64 { return float64(v.DedicatedEngines) }),
	}
}

// startPhases are the engine's start-up marks, in the order they happen,
// with what each means.
var startPhases = []struct{ mark, label string }{
	{"worker", "worker created (page)"},
	{"worker-running", "worker script running"},
	{"fetch-start", "engine fetch start"},
	{"fetch-end", "engine bytes complete"},
	{"compiled", "compiled"},
	{"go-started", "Go's main running"},
	{"ready", "engine ready, warmed up (in the worker)"},
}

// phase summarises one start-up mark over visits.
func phase(vs []*visit, mark string) *stat {
	var out []float64
	for _, v := range vs {
		if t, ok := v.Phases[mark]; ok {
			out = append(out, t)
		}
	}
	return summarize(out)
}

func msOrDash(s *stat) string {
	if s == nil {
		return "—"
	}
	return ms(s.Median)
}

func kb(b float64) string {
	switch {
	case b >= 1_000_000:
		return fmt.Sprintf("%.2f MB", b/1e6)
	case b >= 1000:
		return fmt.Sprintf("%.1f KB", b/1e3)
	}
	return fmt.Sprintf("%.0f B", b)
}

func ms(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.2f ms", v)
}

func medP95(s *stat) string {
	if s == nil {
		return "—"
	}
	return fmt.Sprintf("%s / %s", ms(s.Median), ms(s.P95))
}

func ratio(a, b *stat) string {
	if a == nil || b == nil || b.Median == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f×", a.Median/b.Median)
}

func check(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

// markdown renders the results as the tables BENCHMARKS.md shows.
func markdown(r *results) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	m := r.Meta
	p("Measured %s on %s (%d cores, %.0f GB), %s, %s, panva/jose %s; site %s. %d fresh-browser-context runs per scenario, %d round-trip samples per operation per run.\n\n",
		m.Date, m.CPU, m.Cores, m.MemoryGB, m.Chromium, m.Go, m.Jose, m.Version, m.Runs, m.Samples)

	p("#### Budgets\n\n| Budget | Target | Measured | |\n|---|---|---|---|\n")
	for _, bu := range r.Budgets {
		p("| %s | %s | %s | %s |\n", bu.Name, bu.Budget, bu.Measured, check(bu.Met))
	}

	tl, gz, fl := r.Load[pageTokenlab], r.Load[pageGzip], r.Load[pageFloor]
	p("\n#### Transfer (response bodies through the recording proxy, median of runs)\n\n| Visit | tokenlab | empty Go WASM |\n|---|---|---|\n")
	if tl != nil && fl != nil {
		p("| first, brotli, until ready and the network is quiet | %s in %d requests | %s |\n", kb(tl.FirstBytes.Median), tl.First[0].Requests, kb(fl.FirstBytes.Median))
		var deferred []float64
		for _, v := range tl.First {
			deferred = append(deferred, float64(v.DeferredBytes))
		}
		if d := summarize(deferred); d != nil {
			p("| then, the service worker completing its cache (3 s after ready) | %s | — |\n", kb(d.Median))
		}
		if gz != nil {
			p("| first, gzip only | %s | — |\n", kb(gz.FirstBytes.Median))
		}
		p("| repeat (relaunched browser, same profile) | %s in %d requests (%d revalidated, 304) | %s |\n", kb(tl.RepeatBytes.Median), tl.Repeat[0].Requests, tl.Repeat[0].Revalid, kb(fl.RepeatBytes.Median))
	}
	name, w := wasmAsset(r.Sizes, false)
	_, fw := wasmAsset(r.Sizes, true)
	p("\nEngine `%s`: %s raw, %s brotli, %s gzip. Empty Go program: %s raw, %s brotli.\n", path.Base(name), kb(float64(w.Identity)), kb(float64(w.Brotli)), kb(float64(w.Gzip)), kb(float64(fw.Identity)), kb(float64(fw.Brotli)))

	p("\n#### Start-up: navigation → `tokenlab.ready` (median [min–max] of runs)\n\n| Visit | tokenlab | empty Go WASM | ratio |\n|---|---|---|---|\n")
	if tl != nil && fl != nil {
		p("| first | %s | %s | %s |\n", spread(tl.FirstReady), spread(fl.FirstReady), ratio(tl.FirstReady, fl.FirstReady))
		p("| repeat | %s | %s | %s |\n", spread(tl.RepeatReady), spread(fl.RepeatReady), ratio(tl.RepeatReady, fl.RepeatReady))
		if gz != nil {
			p("| first, gzip only | %s | — | %s |\n", spread(gz.FirstReady), ratio(gz.FirstReady, fl.FirstReady))
		}
	}

	if tl != nil && fl != nil {
		p("\n#### Start-up phases, ms since navigation start (median of runs)\n\n")
		p("The engine's own marks (`performance.getEntriesByName(\"tokenlab:…\")`; the floor page sets the same ones). Both workers fetch and compile their engine themselves; tokenlab's is created by `boot.js` at the top of `<head>`, the floor's by its module script.\n\n")
		p("| Phase | tokenlab, first | floor, first | tokenlab, repeat | floor, repeat |\n|---|---|---|---|---|\n")
		for _, ph := range startPhases {
			p("| %s | %s | %s | %s | %s |\n", ph.label, msOrDash(phase(tl.First, ph.mark)), msOrDash(phase(fl.First, ph.mark)), msOrDash(phase(tl.Repeat, ph.mark)), msOrDash(phase(fl.Repeat, ph.mark)))
		}
		p("| `tokenlab.ready` resolved on the page | %s | %s | %s | %s |\n", msOrDash(tl.FirstReady), msOrDash(fl.FirstReady), msOrDash(tl.RepeatReady), msOrDash(fl.RepeatReady))
	}

	if len(r.OnScreen) > 0 {
		p("\n#### A page that opens with a token: navigation → ready → token explained on screen (fresh browser context, median [min–max])\n\n| Page | ready | token on screen | on screen − ready |\n|---|---|---|---|\n")
		for _, name := range []string{onScreenShare, onScreenEmbed} {
			vs := r.OnScreen[name]
			if len(vs) == 0 {
				continue
			}
			var ready, shown []float64
			for _, v := range vs {
				ready = append(ready, v.ReadyMS)
				shown = append(shown, v.ClaimsMS)
			}
			p("| %s | %s | %s | %s |\n", name, spread(summarize(ready)), spread(summarize(shown)), spread(onScreenDelay(vs)))
		}
	}

	if one, five := docsSummary(r.Docs[docsOne]), docsSummary(r.Docs[docsFive]); one != nil && five != nil {
		p("\n#### A documentation page of another origin: one embed against five (new browser, fresh profile, median of runs)\n\n")
		p("Five embeds: four `<token-playground>` elements (explain an ID token, explain an access token, verify, decode) and one plain iframe; the one-embed page has the first.\n\n")
		p("| | 1 embed | 5 embeds | ratio |\n|---|---|---|---|\n")
		p("| transfer (brotli) | %s | %s | %s |\n", kb(one.Bytes.Median), kb(five.Bytes.Median), ratio(five.Bytes, one.Bytes))
		p("| requests | %.0f | %.0f | — |\n", one.Requests.Median, five.Requests.Median)
		p("| engine downloads (wasm requests) | %.0f | %.0f | — |\n", one.WasmFetches.Median, five.WasmFetches.Median)
		p("| engines: SharedWorkers + frames with their own | %.0f + %.0f | %.0f + %.0f | — |\n", one.SharedWorkers.Median, one.DedicatedEngines.Median, five.SharedWorkers.Median, five.DedicatedEngines.Median)
		p("| first embed rendered | %s | %s | %s |\n", spread(one.First), spread(five.First), ratio(five.First, one.First))
		p("| all embeds rendered | %s | %s | %s |\n", spread(one.All), spread(five.All), ratio(five.All, one.All))
		p("| renderer memory (PSS) over about:blank | +%s | +%s | %s |\n", kb(one.Memory.Median), kb(five.Memory.Median), ratio(five.Memory, one.Memory))
		p("| cumulative layout shift of the page | %.3f | %.3f | — |\n", one.CLS.Median, five.CLS.Median)
	}

	p("\n#### Round trip from the page, median / p95\n\nThe engine column is the engine's own time for the same calls, measured in the worker around the Go call (`tokenlab.stats().calls`); the rest of the round trip is `postMessage` both ways, JSON on the page and the promise hops.\n\n| Operation | tokenlab | engine (in the worker) | panva/jose | WebCrypto / plain JS | tokenlab ÷ jose |\n|---|---|---|---|---|---|\n")
	var setup struct {
		InspectMethod bool `json:"inspectMethod"`
	}
	_ = json.Unmarshal(r.Setup, &setup)
	for _, op := range []string{"inspect", "decode + explain", "decode", "explain", "verify RS256", "verify ES256", "verify EdDSA"} {
		l := r.Latency[op]
		if l == nil {
			continue
		}
		raw := l["webcrypto"]
		if raw == nil {
			raw = l["js"]
		}
		label := op
		switch {
		case op == "inspect" && setup.InspectMethod:
			label = "inspect (`tokenlab.inspect`: decode and explain from one decode)"
		case op == "inspect":
			label = "inspect (this tokenlab.js has no `inspect`: decode + explain together)"
		case op == "decode + explain":
			label = "decode + explain together (as the inspector runs a paste)"
		}
		p("| %s | %s | %s | %s | %s | %s |\n", label, medP95(l["tokenlab"]), medP95(l[implEngine]), medP95(l["jose"]), medP95(raw), ratio(l["tokenlab"], l["jose"]))
	}
	for _, alg := range []string{"RS256", "ES256", "EdDSA"} {
		if s := r.Mint[alg]; s != nil {
			p("| mint %s ID token | %s | — | — | — | — |\n", alg, medP95(s))
		}
	}

	p("\n#### Key generation from the page, median / p95\n\n| Key | tokenlab.generateKey | WebCrypto generateKey | ratio |\n|---|---|---|---|\n")
	for _, k := range keygenRuns {
		g := r.Keygen[k.Spec]
		if g == nil {
			continue
		}
		p("| %s | %s | %s | %s |\n", k.Spec, medP95(g["tokenlab"]), medP95(g["webcrypto"]), ratio(g["tokenlab"], g["webcrypto"]))
	}

	p("\n#### Paste → rendered claims (real page, ~1 KB RS256 ID token)\n\n| | median | p95 | n |\n|---|---|---|---|\n")
	for _, row := range []struct {
		name string
		s    *stat
	}{{"first paste after ready, to painted frame", r.Paste.Cold}, {"later pastes, to painted frame", r.Paste.Warm}, {"any paste, to claims in the DOM", r.Paste.DOM}, {"any paste, to the editor's tl-token-change event", r.Paste.Change}} {
		if row.s != nil {
			p("| %s | %s | %s | %d |\n", row.name, ms(row.s.Median), ms(row.s.P95), row.s.N)
		}
	}

	p("\n#### Main-thread long tasks (PerformanceObserver `longtask`)\n\n| Scenario | long tasks | longest |\n|---|---|---|\n")
	var names []string
	for k := range r.LongTasks {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		lts := r.LongTasks[k]
		longest := 0
		for _, d := range lts {
			longest = max(longest, d)
		}
		l := "—"
		if longest > 0 {
			l = fmt.Sprintf("%d ms", longest)
		}
		p("| %s | %d | %s |\n", k, len(lts), l)
	}
	return b.String()
}

func spread(s *stat) string {
	if s == nil {
		return "—"
	}
	return fmt.Sprintf("%s [%s–%s]", ms(s.Median), ms(s.Min), ms(s.Max))
}

func writeJSON(p string, r *results) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, append(data, '\n'), 0o644)
}

const (
	docBegin = "<!-- bench:results:begin (generated by `make bench`; edit outside these markers) -->"
	docEnd   = "<!-- bench:results:end -->"
)

// updateDoc replaces the generated section of a Markdown file.
func updateDoc(p, table string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	s := string(data)
	i, j := strings.Index(s, docBegin), strings.Index(s, docEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no generated section (%s … %s)", p, docBegin, docEnd)
	}
	s = s[:i+len(docBegin)] + "\n" + table + "\n" + s[j:]
	return os.WriteFile(p, []byte(s), fs.FileMode(0o644))
}
