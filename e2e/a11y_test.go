//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axePath is axe-core from e2e/package.json (`npm ci --prefix e2e`).
var axePath = filepath.Join("node_modules", "axe-core", "axe.min.js")

// runAxe injects axe-core through the DevTools protocol (the page's CSP
// forbids inline and foreign scripts, and DevTools evaluation is exempt)
// and returns its serious and critical violations.
func runAxe(t *testing.T, p *Page) []string {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is not installed (%v): run `npm ci --prefix e2e`", err)
	}
	p.Eval(string(src) + "\n;true")
	out := p.Eval(`axe.run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } })
		.then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\s+/g, " ")) })))`)
	var violations []struct {
		ID     string   `json:"id"`
		Impact string   `json:"impact"`
		Help   string   `json:"help"`
		Nodes  []string `json:"nodes"`
	}
	if err := json.Unmarshal(out, &violations); err != nil {
		t.Fatalf("reading axe results: %v (%s)", err, out)
	}
	var bad []string
	for _, v := range violations {
		line := fmt.Sprintf("%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, line)
		} else {
			t.Logf("axe (minor): %s", line)
		}
	}
	return bad
}

// expectAccessible fails t, naming what was scanned, when axe finds
// serious or critical violations on the page.
func expectAccessible(t *testing.T, p *Page, what string) {
	t.Helper()
	if bad := runAxe(t, p); len(bad) > 0 {
		t.Errorf("%s: %d serious or critical accessibility violations:\n%s", what, len(bad), strings.Join(bad, "\n"))
	}
}

// onEveryScreen looks at the page as it is on every screen (desktop and
// 360 px, light and dark), each in a subtest named prefix + the screen:
// it runs look (screenshots, the caller's own checks; nil for none), then
// fails the subtest when an element inside one of within reaches past the
// right edge or axe finds serious or critical violations.
func (p *Page) onEveryScreen(t *testing.T, prefix string, within []string, look func(p *Page, s screen)) {
	t.Helper()
	for _, s := range screens {
		t.Run(prefix+s.name, func(t *testing.T) {
			p := p.For(t)
			p.emulate(s)
			if look != nil {
				look(p, s)
			}
			for _, css := range within {
				if bad := p.overflowing(css); len(bad) > 0 {
					t.Errorf("%s reaches past the right edge at %d px: %v", css, s.width, bad)
				}
			}
			expectAccessible(t, p, s.name)
		})
	}
}

// TestPlaygroundAccessibility scans the page with axe-core, empty and
// filled in, in the light and the dark theme, and at phone width.
func TestPlaygroundAccessibility(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	expectAccessible(t, p, "empty page")
	fill(t, p)
	// Open the collapsible parts and the JSON tab so they are scanned too.
	p.Eval(`document.querySelectorAll("details").forEach((d) => d.open = true), true`)
	p.onEveryScreen(t, "", nil, nil)
	// The malformed-token state is scanned too: its error must be readable.
	p.paste("#token-input", "not a token")
	p.waitFor("the error", `!document.querySelector("#token-error").hidden`)
	expectAccessible(t, p, "error state")
}

// TestPlaygroundKeyboard drives the round trip with the keyboard only:
// Tab reaches the inspector first, Enter activates buttons, arrow keys
// move between tabs, and focus is always visible.
func TestPlaygroundKeyboard(t *testing.T) {
	p := NewPage(t)
	p.Open("/")

	// The first Tab stops are the skip link, then the header; the skip
	// link leads to the inspector.
	p.Do(chromedp.KeyEvent("\t"))
	if got := p.focused(); got != "a.skip-link" {
		t.Errorf("first Tab stop = %s, want the skip link", got)
	}
	p.Do(chromedp.KeyEvent("\r"))
	p.Do(chromedp.KeyEvent("\t"))
	if got := p.focused(); got != "textarea#token-input" {
		t.Errorf("after the skip link, Tab reaches %s, want the token field", got)
	}

	// Generate a key with the keyboard.
	p.Eval(`document.querySelector("#keygen-alg").focus(), true`)
	p.Do(chromedp.KeyEvent("\t"))
	for i := 0; i < 3 && p.focused() != "button#keygen-button"; i++ {
		p.Do(chromedp.KeyEvent("\t"))
	}
	if got := p.focused(); got != "button#keygen-button" {
		t.Fatalf("Tab from the algorithm reaches %s, want the Generate key button", got)
	}
	if outline := p.outline(); outline == "none" || outline == "" {
		t.Errorf("the focused button has no visible outline (%q)", outline)
	}
	p.Do(chromedp.KeyEvent("\r"))
	p.waitFor("a key", `!document.querySelector("#key-output").hidden`)

	// Arrow keys move between the key format tabs.
	p.Eval(`document.querySelector("#ktab-public-jwk").focus(), true`)
	p.Do(chromedp.KeyEvent(kb.ArrowRight))
	if got := p.focused(); got != "button#ktab-jwks" {
		t.Errorf("ArrowRight on the first tab focuses %s, want the JWKS tab", got)
	}
	if string(p.Eval(`document.querySelector("#kpanel-jwks").hidden`)) != "false" {
		t.Error("the JWKS panel is not shown after ArrowRight")
	}

	// Mint with Enter on the Mint button, then Inspect with Enter.
	p.Eval(`document.querySelector("#mint-button").focus(), true`)
	p.Do(chromedp.KeyEvent("\r"))
	p.waitFor("minted tokens", `document.querySelectorAll("#minted tl-token-card").length === 2`)
	p.Eval(`document.querySelector("#minted tl-token-card[kind=access_token] button[data-to=inspect]").focus(), true`)
	p.Do(chromedp.KeyEvent("\r"))
	p.waitFor("the inspector", `document.querySelector("#kind-summary .kind-badge")?.textContent === "Access token"`)
	if got := p.focused(); got != "textarea#token-input" {
		t.Errorf("after Inspect, focus is on %s, want the token field", got)
	}
}

// focused describes document.activeElement as tag#id or tag.class.
func (p *Page) focused() string {
	p.t.Helper()
	var s string
	mustJSON(p.t, p.Eval(`(() => { const el = document.activeElement; if (!el) return ""; return el.tagName.toLowerCase() + (el.id ? "#" + el.id : el.className ? "." + String(el.className).split(" ")[0] : "") })()`), &s)
	return s
}

// outline is the computed outline style of the focused element.
func (p *Page) outline() string {
	p.t.Helper()
	var s string
	mustJSON(p.t, p.Eval(`getComputedStyle(document.activeElement).outlineStyle`), &s)
	return s
}
