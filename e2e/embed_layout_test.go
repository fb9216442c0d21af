//go:build browser

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// recordLayout runs before every document's scripts. On the documentation
// page it records the page's layout shifts and the height of each embed
// (the <token-playground> elements and the plain iframe) whenever it
// changes; in each embed frame, the embed root's height at every change of
// height or state. Both go on <html> as JSON, where the tests' isolated
// worlds can read them.
const recordLayout = `(() => {
  const html = { get dataset() { return document.documentElement.dataset; } };
  if (location.pathname.endsWith("/embed.html")) {
    const log = [];
    const record = () => {
      const root = document.getElementById("embed-root");
      if (!root) return;
      log.push({ state: root.dataset.state ?? "", height: Math.ceil(root.getBoundingClientRect().height) });
      html.dataset.e2eHeights = JSON.stringify(log);
    };
    document.addEventListener("DOMContentLoaded", () => {
      const root = document.getElementById("embed-root");
      if (!root) return;
      new ResizeObserver(record).observe(root);
      new MutationObserver(record).observe(root, { attributes: true, attributeFilter: ["data-state"] });
    });
    return;
  }
  const shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) shifts.push(e.value);
    html.dataset.e2eShifts = JSON.stringify(shifts);
  }).observe({ type: "layout-shift", buffered: true });
  const heights = {};
  document.addEventListener("DOMContentLoaded", () => {
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) (heights[e.target.id] ??= []).push(Math.round(e.target.getBoundingClientRect().height));
      html.dataset.e2eEmbedHeights = JSON.stringify(heights);
    });
    for (const el of document.querySelectorAll("token-playground, iframe")) ro.observe(el);
  });
})()`

// TestEmbedsDoNotShiftTheDocsPage is issue 17's "stable embeds" on the
// five-embed documentation page: each embed frame shows a placeholder as
// tall as its rendered view, so its height does not change when the engine
// answers; each <token-playground> reserves that height before its frame
// has said anything and changes it at most once, when the frame first
// reports; and the page's layout shifts add up to less than 0.1 (the
// "good" cumulative layout shift).
func TestEmbedsDoNotShiftTheDocsPage(t *testing.T) {
	idToken, accessToken, publicJWK := embedTokens(t)
	host := docsHost(t, map[string]string{"/docs.html": fiveEmbeds(idToken, accessToken, publicJWK)})
	p := NewPage(t, host)
	if _, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordLayout}); err != nil {
		t.Fatal(err)
	}
	p.Do(chromedp.Navigate(host + "/docs.html"))
	frames := fiveFrames(p, idToken) // every embed rendered, its disclosures filled
	spanned := 0

	// In each frame: one height from the first layout of the placeholder
	// to the rendered view, through every state.
	for name, f := range frames {
		var raw string
		mustJSON(t, p.evalIn(f, `document.documentElement.dataset.e2eHeights ?? ""`), &raw)
		var log []struct {
			State  string `json:"state"`
			Height int    `json:"height"`
		}
		if err := json.Unmarshal([]byte(raw), &log); err != nil || len(log) == 0 {
			t.Fatalf("the %s embed recorded no heights (%q)", name, raw)
		}
		states := map[string]bool{}
		for _, l := range log {
			states[l.State] = true
			if l.Height != log[0].Height {
				t.Errorf("the %s embed changed its height from %d px to %d px (state %q): %+v", name, log[0].Height, l.Height, l.State, log)
				break
			}
		}
		if !states["ready"] {
			t.Errorf("the %s embed's record does not reach the rendered view: %+v", name, log)
		}
		// A frame below the fold is not laid out until it is scrolled to, by
		// which time the engine may have answered: it shows no placeholder.
		if states["rendering"] {
			spanned++
		}
		t.Logf("the %s embed: %d px (%+v)", name, log[0].Height, log)
	}
	if spanned == 0 {
		t.Error("no embed was laid out before the engine answered: the test did not see a placeholder replaced")
	}

	// On the page: each element changed its height at most once (its
	// reservation, then its frame's first report), and the page did not
	// shift.
	var doc struct {
		Heights string `json:"heights"`
		Shifts  string `json:"shifts"`
	}
	mustJSON(t, p.Eval(`({ heights: document.documentElement.dataset.e2eEmbedHeights ?? "{}", shifts: document.documentElement.dataset.e2eShifts ?? "[]" })`), &doc)
	var heights map[string][]int
	var shifts []float64
	mustJSON(t, json.RawMessage(doc.Heights), &heights)
	mustJSON(t, json.RawMessage(doc.Shifts), &shifts)
	for _, id := range []string{"e1", "e2", "e3", "e4"} {
		h := heights[id]
		if len(h) == 0 {
			t.Errorf("no height recorded for <token-playground id=%s>", id)
			continue
		}
		if h[0] < 300 {
			t.Errorf("<token-playground id=%s> reserved %d px before its frame reported; an explained, verified or decoded token takes more than 300", id, h[0])
		}
		if len(h) > 2 {
			t.Errorf("<token-playground id=%s> changed its height %d times (%v), want at most once: from its reservation to its frame's report", id, len(h)-1, h)
		}
	}
	cls := 0.0
	for _, s := range shifts {
		cls += s
	}
	t.Logf("embed heights on the page: %v; layout shifts: %v (sum %.4f)", heights, shifts, cls)
	if cls >= 0.1 {
		t.Errorf("the documentation page shifted by %.3f (layout-shift entries %v), want under 0.1", cls, shifts)
	}
}

// TestDocsIframeSnippetDoesNotClip: the documentation page's iframe
// example is its snippet as written — a fixed height, no resize listener.
// The compact view fits in it whole, and once a reader opens "Show all" the
// frame scrolls inside, so its last line (the footer) can still be reached.
func TestDocsIframeSnippetDoesNotClip(t *testing.T) {
	p := NewPage(t)
	p.Open("/embed-docs.html")
	var snippet string
	mustJSON(t, p.Eval(`document.getElementById("snippet-iframe").textContent`), &snippet)
	var frameHeight string
	mustJSON(t, p.Eval(`document.getElementById("demo-frame").style.height`), &frameHeight)
	if !strings.Contains(snippet, "height: "+frameHeight+";") {
		t.Fatalf("the iframe example is %s tall, but its snippet says %q", frameHeight, snippet)
	}
	var frame cdp.FrameID
	for deadline := time.Now().Add(20 * time.Second); frame == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for id := range p.embedFrames() {
			var mine bool
			if json.Unmarshal(p.evalIn(id, `window.frameElement?.id === "demo-frame"`), &mine) == nil && mine {
				frame = id
			}
		}
	}
	if frame == "" {
		t.Fatal("the iframe example never loaded")
	}
	p.waitIn(frame, "the example rendered", `document.getElementById("embed-root").dataset.state === "ready"`)
	type scroll struct {
		Scroll, Client, Top int
		Foot                float64
		View                int
	}
	read := func() scroll {
		var s scroll
		mustJSON(t, p.evalIn(frame, `(() => {
			const d = document.scrollingElement;
			return { Scroll: d.scrollHeight, Client: d.clientHeight, Top: Math.round(d.scrollTop), Foot: document.querySelector(".embed-foot").getBoundingClientRect().bottom, View: innerHeight };
		})()`), &s)
		return s
	}
	if s := read(); s.Scroll > s.Client {
		t.Errorf("the compact view does not fit the snippet's %s: %d px of content in %d px", frameHeight, s.Scroll, s.Client)
	}
	p.evalIn(frame, `document.querySelector(".compact-more").open = true`)
	p.waitIn(frame, "every claim", `document.querySelector(".compact-more tl-claims-table .claim-name")`)
	p.evalIn(frame, `document.scrollingElement.scrollTop = 1e6`)
	s := read()
	if s.Scroll <= s.Client {
		t.Fatalf("with every claim shown the content (%d px) still fits the frame (%d px): the test checks nothing", s.Scroll, s.Client)
	}
	if s.Top == 0 || s.Foot > float64(s.View)+1 {
		t.Errorf("the frame does not scroll to its last line: scrollTop %d, footer bottom %.0f px in a %d px view (%d px of content)", s.Top, s.Foot, s.View, s.Scroll)
	}
	var after string
	mustJSON(t, p.Eval(`document.getElementById("demo-frame").style.height`), &after)
	if after != frameHeight {
		t.Errorf("the page resized its iframe example from %s to %s; the example must show the snippet as written", frameHeight, after)
	}
}
