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

// Budgets from the issue "Fast and small". Sizes are in bytes (1 MB = 10^6
// bytes, 1 KB = 10^3), times in milliseconds.
const (
	budgetFirstLoadBrotli = 1_500_000
	budgetReadyVsFloor    = 1.5
	budgetRepeatBytes     = 10_000
	budgetRoundTripMS     = 2
	budgetPasteMS         = 50
	budgetRSAKeygenRatio  = 1.3
	budgetLongTaskMS      = 50
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
	if tl != nil {
		add("first-load transfer (brotli)", "≤ "+kb(budgetFirstLoadBrotli), kb(tl.FirstBytes.Median), tl.FirstBytes.Median <= budgetFirstLoadBrotli)
		add("repeat-visit transfer", "≤ "+kb(budgetRepeatBytes), kb(tl.RepeatBytes.Median), tl.RepeatBytes.Median <= budgetRepeatBytes)
	}
	if tl != nil && fl != nil {
		ratio := tl.FirstReady.Median / fl.FirstReady.Median
		add("WASM ready, first visit", fmt.Sprintf("≤ %.1f× empty Go WASM", budgetReadyVsFloor), fmt.Sprintf("%.2f× (%s vs %s)", ratio, ms(tl.FirstReady.Median), ms(fl.FirstReady.Median)), ratio <= budgetReadyVsFloor)
		ratio = tl.RepeatReady.Median / fl.RepeatReady.Median
		add("WASM ready, repeat visit", fmt.Sprintf("≤ %.1f× empty Go WASM", budgetReadyVsFloor), fmt.Sprintf("%.2f× (%s vs %s)", ratio, ms(tl.RepeatReady.Median), ms(fl.RepeatReady.Median)), ratio <= budgetReadyVsFloor)
	}
	for _, op := range []string{"decode", "explain"} {
		if s := r.Latency[op]["tokenlab"]; s != nil {
			add(op+" round trip (median)", fmt.Sprintf("≤ %d ms", budgetRoundTripMS), ms(s.Median), s.Median <= budgetRoundTripMS)
		}
	}
	if r.Paste.Cold != nil {
		add("paste → rendered, first paste", fmt.Sprintf("≤ %d ms", budgetPasteMS), ms(r.Paste.Cold.Median), r.Paste.Cold.Median <= budgetPasteMS)
		add("paste → rendered, later pastes (median)", fmt.Sprintf("≤ %d ms", budgetPasteMS), ms(r.Paste.Warm.Median), r.Paste.Warm.Median <= budgetPasteMS)
	}
	if k := r.Keygen["RSA-2048"]; k != nil && k["tokenlab"] != nil && k["webcrypto"] != nil {
		ratio := k["tokenlab"].Median / k["webcrypto"].Median
		add("RSA-2048 keygen", fmt.Sprintf("≤ %.1f× WebCrypto", budgetRSAKeygenRatio), fmt.Sprintf("%.2f× (%s vs %s)", ratio, ms(k["tokenlab"].Median), ms(k["webcrypto"].Median)), ratio <= budgetRSAKeygenRatio)
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
	add("main-thread long tasks", fmt.Sprintf("none over %d ms", budgetLongTaskMS), m, longest <= budgetLongTaskMS)
	return out
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
		p("| first, brotli | %s in %d requests | %s |\n", kb(tl.FirstBytes.Median), tl.First[0].Requests, kb(fl.FirstBytes.Median))
		if gz != nil {
			p("| first, gzip only | %s | — |\n", kb(gz.FirstBytes.Median))
		}
		p("| repeat (same browser context) | %s in %d requests (%d revalidated, 304) | %s |\n", kb(tl.RepeatBytes.Median), tl.Repeat[0].Requests, tl.Repeat[0].Revalid, kb(fl.RepeatBytes.Median))
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

	p("\n#### Round trip from the page, median / p95\n\n| Operation | tokenlab | panva/jose | WebCrypto / plain JS | tokenlab ÷ jose |\n|---|---|---|---|---|\n")
	for _, op := range []string{"decode", "explain", "verify RS256", "verify ES256", "verify EdDSA"} {
		l := r.Latency[op]
		if l == nil {
			continue
		}
		raw := l["webcrypto"]
		if raw == nil {
			raw = l["js"]
		}
		p("| %s | %s | %s | %s | %s |\n", op, medP95(l["tokenlab"]), medP95(l["jose"]), medP95(raw), ratio(l["tokenlab"], l["jose"]))
	}
	for _, alg := range []string{"RS256", "ES256", "EdDSA"} {
		if s := r.Mint[alg]; s != nil {
			p("| mint %s ID token | %s | — | — | — |\n", alg, medP95(s))
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
