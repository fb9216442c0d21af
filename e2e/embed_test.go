//go:build browser

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// These tests embed tokenlab the way a documentation site on another
// origin does: a host page served from a second loopback port frames
// embed.html and loads tokenlab-element.js from the tokenlab server.

// docsHost serves pages at paths on a second loopback origin, the
// "documentation site", and returns that origin.
func docsHost(t *testing.T, pages map[string]string) string {
	t.Helper()
	srv, err := startServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, body)
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if srv.URL == env.base {
		t.Fatal("the docs host must be a second origin")
	}
	return srv.URL
}

// embedTokens mints, natively and independently of the browser, tokens for
// the embeds: an ID token and an access token, with the key's public JWK.
func embedTokens(t *testing.T) (idToken, accessToken string, publicJWK string) {
	t.Helper()
	key, err := token.GenerateKey(token.GenerateOptions{Alg: "EdDSA"})
	if err != nil {
		t.Fatal(err)
	}
	priv := string(key.PrivateJWK)
	id, err := token.Mint(token.MintOptions{Kind: vocab.IDToken, Key: token.KeyInput(priv), Claims: json.RawMessage(`{"iss":"https://login.example.com","aud":"my-app","name":"Ada Lovelace"}`)})
	if err != nil {
		t.Fatal(err)
	}
	at, err := token.Mint(token.MintOptions{Kind: vocab.AccessToken, Key: token.KeyInput(priv), Claims: json.RawMessage(`{"iss":"https://login.example.com","aud":"https://api.example.com","scope":"orders:read"}`)})
	if err != nil {
		t.Fatal(err)
	}
	return id.Token, at.Token, string(key.PublicJWK)
}

// embedFrames returns the page's frames that show tokenlab's embed.html, by id,
// with their current fragment.
func (p *Page) embedFrames() map[cdp.FrameID]string {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		p.t.Fatalf("reading the frame tree: %v", err)
	}
	out := map[cdp.FrameID]string{}
	var walk func(*page.FrameTree)
	walk = func(ft *page.FrameTree) {
		if ft == nil {
			return
		}
		if ft.Frame.URL == env.base+"/embed.html" {
			out[ft.Frame.ID] = ft.Frame.URLFragment
		}
		for _, c := range ft.ChildFrames {
			walk(c)
		}
	}
	walk(res.FrameTree)
	return out
}

// evalIn evaluates expr (awaiting a promise) in an isolated world of a
// frame: it sees the frame's DOM, which the host page cannot read across
// origins, but none of the frame's scripts.
func (p *Page) evalIn(frame cdp.FrameID, expr string) json.RawMessage {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	world, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame, WorldName: "tokenlab-test"})
	if err != nil {
		p.t.Fatalf("entering frame %s: %v", frame, err)
	}
	yes := true
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ContextID: world.ExecutionContextID, AwaitPromise: &yes, ReturnByValue: &yes})
	if err != nil {
		p.t.Fatalf("evaluating in frame %s: %v", frame, err)
	}
	if res.ExceptionDetails != nil {
		p.t.Fatalf("evaluating %.80q in frame %s: %s %s", expr, frame, res.ExceptionDetails.Text, describe(res.ExceptionDetails.Exception))
	}
	return json.RawMessage(res.Result.Value)
}

// waitIn polls a condition in a frame.
func (p *Page) waitIn(frame cdp.FrameID, what, cond string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ok bool
		if json.Unmarshal(p.evalIn(frame, fmt.Sprintf(`(() => { try { return !!(%s) } catch { return false } })()`, cond)), &ok) == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var shown string
			_ = json.Unmarshal(p.evalIn(frame, `document.body ? document.body.innerText.slice(0, 600) : ""`), &shown)
			p.t.Fatalf("waiting for %s in the embed: never true (%s); it shows: %q", what, cond, shown)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// embedView is what an embed frame shows, read from its DOM.
type embedView struct {
	State  string   `json:"state"`
	Kinds  []string `json:"kinds"`
	Claims []string `json:"claims"`
	Text   string   `json:"text"`
	All    string   `json:"all"` // including collapsed sections
	Valid  []string `json:"valid"`
	Failed []string `json:"failed"`
	Finds  []string `json:"findings"`
	Error  string   `json:"error"`
	// Verdicts are the <tl-verdict> states with their box's classes,
	// e.g. "incomplete verdict warn".
	Verdicts []string `json:"verdicts"`
}

const readEmbed = `(() => {
	const steps = [...document.querySelectorAll(".embed-step")];
	return {
		state: document.getElementById("embed-root").dataset.state ?? "",
		kinds: steps.map((s) => s.dataset.kind ?? ""),
		claims: [...document.querySelectorAll("tl-claims-table .claim-name code")].map((c) => c.textContent),
		text: document.getElementById("embed-view").innerText,
		all: document.getElementById("embed-view").textContent,
		valid: steps.map((s) => s.dataset.valid ?? ""),
		failed: [...document.querySelectorAll(".check.fail")].map((c) => c.dataset.check),
		findings: [...document.querySelectorAll(".finding")].map((f) => f.dataset.id),
		error: [...document.querySelectorAll(".embed-error:not([hidden]), #embed-view > .notice")].map((e) => e.textContent).join(" "),
		verdicts: [...document.querySelectorAll("tl-verdict")].map((v) => v.getAttribute("state") + " " + v.querySelector(".verdict").className),
	};
})()`

func (p *Page) embedShows(frame cdp.FrameID) embedView {
	p.t.Helper()
	var v embedView
	mustJSON(p.t, p.evalIn(frame, readEmbed), &v)
	return v
}

// TestEmbedFromAnotherOrigin is the scenario: a documentation page
// on a second loopback origin embeds tokenlab both ways. The claims appear,
// the frames report plausible heights, the element re-renders when its
// attributes change (without reloading the frame or adding history
// entries), and nothing is requested from any origin but tokenlab's and the
// host page's own.
func TestEmbedFromAnotherOrigin(t *testing.T) {
	idToken, accessToken, publicJWK := embedTokens(t)
	host := docsHost(t, map[string]string{
		"/docs.html": `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Docs on another origin</title>
<link rel="icon" href="data:,">
<script src="/docs.js"></script>
<script type="module" src="` + env.base + `/tokenlab-element.js"></script>
</head><body>
<h1>Our identity provider's ID tokens</h1>
<token-playground id="el" mode="explain" token="` + idToken + `"></token-playground>
<p>The same token in a plain iframe:</p>
<iframe id="frame" title="tokenlab" style="width: 100%; height: 120px; border: 0"
  src="` + env.base + `/embed.html#mode=explain&token=` + url.QueryEscape(idToken) + `&theme=light"></iframe>
</body></html>`,
		"/docs.js": `window.resizes = [];
addEventListener("message", (e) => {
  if (!e.data || e.data.type !== "tokenlab:resize") return;
  const frame = document.getElementById("frame");
  const raw = frame && e.source === frame.contentWindow;
  window.resizes.push({ origin: e.origin, height: e.data.height, raw, keys: Object.keys(e.data).sort().join(",") });
  if (raw) frame.style.height = e.data.height + "px";
});`,
	})
	p := NewPage(t, host)
	p.Do(chromedp.Navigate(host + "/docs.html"))

	// The resize message of the plain iframe: from tokenlab's origin, only
	// {type, height}, and a plausible height for an explained ID token.
	p.waitFor("a resize message from the iframe", `window.resizes.some((r) => r.raw && r.height > 300)`)
	var resizes []struct {
		Origin string  `json:"origin"`
		Height float64 `json:"height"`
		Raw    bool    `json:"raw"`
		Keys   string  `json:"keys"`
	}
	mustJSON(t, p.Eval(`window.resizes`), &resizes)
	for _, r := range resizes {
		if r.Origin != env.base {
			t.Errorf("a resize message came from %q, want the tokenlab origin %q", r.Origin, env.base)
		}
		if r.Keys != "height,type" {
			t.Errorf("the resize message carries %q; it must carry only type and height", r.Keys)
		}
		if r.Height < 0 || r.Height > 5000 {
			t.Errorf("implausible height %v", r.Height)
		}
	}

	// Both frames show the claims.
	var frames map[cdp.FrameID]string
	deadline := time.Now().Add(20 * time.Second)
	for frames = p.embedFrames(); len(frames) < 2 && time.Now().Before(deadline); frames = p.embedFrames() {
		time.Sleep(50 * time.Millisecond)
	}
	if len(frames) != 2 {
		t.Fatalf("want 2 embed frames (element and iframe), have %d: %v", len(frames), frames)
	}
	var elFrame, rawFrame cdp.FrameID
	for id, frag := range frames {
		if strings.HasPrefix(frag, "#mode=") {
			rawFrame = id
		} else {
			elFrame = id
		}
	}
	if elFrame == "" || rawFrame == "" {
		t.Fatalf("cannot tell the frames apart: %v", frames)
	}
	for name, f := range map[string]cdp.FrameID{"element": elFrame, "iframe": rawFrame} {
		p.waitIn(f, name+" rendered", `document.getElementById("embed-root").dataset.state === "ready"`)
		v := p.embedShows(f)
		for _, c := range []string{"alg", "iss", "sub", "aud", "exp", "iat", "name"} {
			if !slices.Contains(v.Claims, c) {
				t.Errorf("%s: claim %s is not shown (claims: %v)", name, c, v.Claims)
			}
		}
		if !strings.Contains(v.Text, "Ada Lovelace") || !strings.Contains(v.Text, "ID token") {
			t.Errorf("%s: the view does not show the token's name claim and kind: %q", name, v.Text)
		}
		if len(v.Kinds) != 1 || v.Kinds[0] != "id_token" {
			t.Errorf("%s: kinds %v, want [id_token]", name, v.Kinds)
		}
	}

	// The element sized its frame from the frame's own message.
	p.waitFor("the element's frame to be sized", `(() => {
		const el = document.getElementById("el");
		const f = el.shadowRoot.querySelector("iframe");
		return el.height > 300 && f.style.height === el.height + "px";
	})()`)

	// Reactive attributes: a different token, verified with a public key.
	var before float64
	mustJSON(t, p.evalIn(elFrame, `performance.timeOrigin`), &before)
	var histBefore int
	mustJSON(t, p.Eval(`history.length`), &histBefore)
	p.Eval(fmt.Sprintf(`(() => {
		const el = document.getElementById("el");
		el.setAttribute("token", %q);
		el.setAttribute("mode", "verify");
		el.setAttribute("key", %q);
		el.setAttribute("audience", "https://api.example.com");
		return true;
	})()`, accessToken, publicJWK))
	// Only the audience is given: nothing fails, but the issuer was not
	// compared, and the embed says so in amber.
	p.waitIn(elFrame, "the new token, verified", `document.querySelector(".embed-step")?.dataset.kind === "access_token" && document.querySelector(".embed-step")?.dataset.valid === "true" && document.getElementById("embed-root").dataset.state === "ready"`)
	v := p.embedShows(elFrame)
	if !strings.Contains(v.Text, "Signature verified — issuer not compared") || len(v.Failed) != 0 || v.Verdicts[0] != "incomplete verdict warn" {
		t.Errorf("after the attribute change the element shows %q (verdict %v, failed checks %v), want the amber verdict: issuer not compared", v.Text, v.Verdicts, v.Failed)
	}
	p.Eval(`document.getElementById("el").setAttribute("issuer", "https://login.example.com"), true`)
	p.waitIn(elFrame, "the green verdict", `document.querySelector("tl-verdict")?.getAttribute("state") === "valid"`)
	if v := p.embedShows(elFrame); !strings.Contains(v.Text, "Valid access token") || v.Verdicts[0] != "valid verdict ok" {
		t.Errorf("with the issuer given too, the element shows %q (verdict %v), want a green valid access token", v.Text, v.Verdicts)
	}
	if !slices.Contains(v.Claims, "scope") || !strings.Contains(v.All, "orders:read") {
		t.Errorf("the access token's claims are not shown: %v", v.Claims)
	}
	var after float64
	mustJSON(t, p.evalIn(elFrame, `performance.timeOrigin`), &after)
	if after != before {
		t.Errorf("the frame reloaded on an attribute change (time origin %v → %v); it should only change its fragment", before, after)
	}
	var histLen int
	mustJSON(t, p.Eval(`history.length`), &histLen)
	if histLen != histBefore {
		t.Errorf("the host page's history grew from %d to %d entries; attribute changes must not add any", histBefore, histLen)
	}
	p.waitFor("the element's frame to be resized for the new view", `document.getElementById("el").shadowRoot.querySelector("iframe").style.height === document.getElementById("el").height + "px"`)

	// Nothing left for anyone else: only the host's two files and
	// tokenlab's static files, with no token in any URL.
	for _, r := range p.Requests() {
		if r.BrowserInternal() {
			continue
		}
		if strings.Contains(r.URL, "eyJ") {
			t.Errorf("a request carries a token: %s %s", r.Method, r.URL)
		}
		if r.Method != http.MethodGet {
			t.Errorf("a non-GET request: %s %s", r.Method, r.URL)
		}
		if originOf(r.URL) == host {
			if u, _ := url.Parse(r.URL); u.Path != "/docs.html" && u.Path != "/docs.js" {
				t.Errorf("something requested %s from the host page's origin", r.URL)
			}
		}
	}
}

// TestEmbedScenarios renders every documentation scenario and holds it to
// its expectations (kind, verdict, exactly which checks fail, findings).
// Each scenario renders identically in two fresh tabs: the fixed clock and
// fixed tokens leave nothing to drift.
func TestEmbedScenarios(t *testing.T) {
	p := NewPage(t)
	p.Open("/embed.html")
	var scenarios map[string]struct {
		Title string `json:"title"`
		Now   int64  `json:"now"`
		Steps []struct {
			Mode   string `json:"mode"`
			Expect struct {
				Kind    string   `json:"kind"`
				Valid   *bool    `json:"valid"`
				Failed  []string `json:"failed"`
				Finding string   `json:"finding"`
			} `json:"expect"`
		} `json:"steps"`
	}
	mustJSON(t, p.Eval(`fetch("asset-manifest.json").then((r) => r.json()).then((m) => import("./" + m.assets["scenarios.js"])).then((m) => m.SCENARIOS)`), &scenarios)
	for _, want := range []string{"id-vs-access", "expired", "wrong-audience", "alg-none", "algorithm-confusion"} {
		if _, ok := scenarios[want]; !ok {
			t.Errorf("scenario %q is missing", want)
		}
	}
	other := NewPage(t)
	other.Open("/embed.html")
	for id, s := range scenarios {
		t.Run(id, func(t *testing.T) {
			texts := []string{}
			for _, tab := range []*Page{p.For(t), other.For(t)} {
				tab.Do(chromedp.Navigate(env.base + "/embed.html#scenario=" + id))
				tab.waitFor("the scenario", `document.getElementById("embed-root").dataset.state === "ready"`)
				var shown struct {
					Text  string `json:"text"`
					Steps []struct {
						Kind     string   `json:"kind"`
						Valid    string   `json:"valid"`
						Failed   []string `json:"failed"`
						Findings []string `json:"findings"`
						Verdict  string   `json:"verdict"`
					} `json:"steps"`
				}
				mustJSON(t, tab.Eval(`({
					text: document.getElementById("embed-view").innerText,
					steps: [...document.querySelectorAll(".embed-step")].map((s) => ({
						kind: s.dataset.kind ?? "",
						valid: s.dataset.valid ?? "",
						failed: [...s.querySelectorAll(".check.fail")].map((c) => c.dataset.check),
						findings: [...s.querySelectorAll(".finding")].map((f) => f.dataset.id),
						verdict: ((v) => v ? v.getAttribute("state") + " " + v.querySelector(".verdict").className : "")(s.querySelector("tl-verdict")),
					})),
				})`), &shown)
				texts = append(texts, shown.Text)
				if !strings.Contains(shown.Text, s.Title) || !strings.Contains(shown.Text, "Fixed clock: 2026-01-15 10:00 UTC") {
					t.Errorf("the scenario's title or fixed clock is missing: %q", shown.Text)
				}
				if len(shown.Steps) != len(s.Steps) {
					t.Fatalf("%d steps shown, want %d", len(shown.Steps), len(s.Steps))
				}
				for i, step := range s.Steps {
					got, exp := shown.Steps[i], step.Expect
					if exp.Kind != "" && got.Kind != exp.Kind {
						t.Errorf("step %d: kind %q, want %q", i+1, got.Kind, exp.Kind)
					}
					if exp.Valid != nil && got.Valid != fmt.Sprint(*exp.Valid) {
						t.Errorf("step %d: valid %q, want %v", i+1, got.Valid, *exp.Valid)
					}
					// Every verify step gives the issuer and audience, so a
					// valid token is green and an invalid one red.
					if exp.Valid != nil {
						want := map[bool]string{true: "valid verdict ok", false: "invalid verdict fail"}[*exp.Valid]
						if got.Verdict != want {
							t.Errorf("step %d: verdict %q, want %q", i+1, got.Verdict, want)
						}
					}
					if exp.Failed != nil && !sameSet(got.Failed, exp.Failed) {
						t.Errorf("step %d: failed checks %v, want exactly %v", i+1, got.Failed, exp.Failed)
					}
					if exp.Finding != "" && !slices.Contains(got.Findings, exp.Finding) {
						t.Errorf("step %d: findings %v lack %q", i+1, got.Findings, exp.Finding)
					}
				}
			}
			if texts[0] != texts[1] {
				t.Errorf("the scenario rendered differently in two tabs:\n%s\n---\n%s", texts[0], texts[1])
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestEmbedErrorsAndModes: decode mode shows the JSON, verify without a key
// says what to add, a malformed token and an unknown scenario say what is
// wrong, and the reserved flow= parameter is accepted.
func TestEmbedErrorsAndModes(t *testing.T) {
	idToken, _, _ := embedTokens(t)
	p := NewPage(t)
	p.Open("/embed.html")
	for _, tc := range []struct {
		name, fragment, want string
	}{
		{"decode", "mode=decode&token=" + idToken, `"name": "Ada Lovelace"`},
		{"verify without a key", "mode=verify&token=" + idToken, "add key="},
		{"malformed", "token=not-a-token", "malformed"},
		{"unknown scenario", "scenario=nope", "There is no scenario “nope”"},
		{"reserved flow", "flow=step-4", "sign-in flows"},
		{"empty", "", "No token to show"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := p.For(t)
			p.Eval(fmt.Sprintf(`location.hash = %q, true`, tc.fragment))
			p.waitFor(tc.want, fmt.Sprintf(`document.getElementById("embed-root").innerText.includes(%q)`, tc.want))
		})
	}
}

// TestEmbedScreenshots captures an embed and a scenario in light and dark,
// at desktop width and at 360 px, and checks that nothing overflows.
func TestEmbedScreenshots(t *testing.T) {
	idToken, _, _ := embedTokens(t)
	p := NewPage(t)
	for _, shot := range []struct {
		name     string
		fragment string
	}{
		{"explain", "mode=explain&token=" + idToken},
		{"scenario", "scenario=id-vs-access"},
	} {
		for _, vp := range []struct {
			name   string
			width  int64
			mobile bool
		}{{"desktop", 760, false}, {"phone", 360, true}} {
			for _, theme := range []string{"light", "dark"} {
				name := fmt.Sprintf("embed-%s-%s-%s", shot.name, vp.name, theme)
				t.Run(name, func(t *testing.T) {
					p := p.For(t)
					var opts []chromedp.EmulateViewportOption
					if vp.mobile {
						opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
					}
					p.Do(chromedp.EmulateViewport(vp.width, 900, opts...))
					p.PrefersColorScheme(theme)
					p.Do(chromedp.Navigate(env.base + "/embed.html#" + shot.fragment + "&theme=" + theme))
					p.waitFor("the embed", `document.getElementById("embed-root").dataset.state === "ready"`)
					// Open the collapsed sections so the screenshot shows everything.
					p.Eval(`document.querySelectorAll("details").forEach((d) => d.open = true), new Promise((r) => setTimeout(() => r(true), 300))`)
					var overflow struct {
						Width  int `json:"width"`
						Scroll int `json:"scroll"`
					}
					mustJSON(t, p.Eval(`({ width: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth })`), &overflow)
					if overflow.Scroll > overflow.Width {
						t.Errorf("the embed scrolls horizontally: %d px of content in %d px", overflow.Scroll, overflow.Width)
					}
					p.Screenshot(name)
				})
			}
		}
	}
}

// TestEmbedDocsPage: the documentation page shows both embed forms live
// with snippets naming this host, every scenario, and runnable API
// examples; the element there reacts to the page's controls.
func TestEmbedDocsPage(t *testing.T) {
	p := NewPage(t)
	p.Open("/embed-docs.html")
	p.waitFor("the live element, sized", `document.getElementById("demo-element").height > 200`)
	p.waitFor("the live iframe, sized", `parseInt(document.getElementById("demo-frame").style.height) > 200`)
	var snippets struct {
		Element string `json:"element"`
		Iframe  string `json:"iframe"`
	}
	mustJSON(t, p.Eval(`({ element: document.getElementById("snippet-element").textContent, iframe: document.getElementById("snippet-iframe").textContent })`), &snippets)
	if !strings.Contains(snippets.Element, `<script type="module" src="`+env.base+`/tokenlab-element.js"></script>`) || !strings.Contains(snippets.Element, "<token-playground") {
		t.Errorf("the element snippet does not load the element from this host: %s", snippets.Element)
	}
	if !strings.Contains(snippets.Iframe, env.base+"/embed.html#token=") {
		t.Errorf("the iframe snippet does not frame this host's embed: %s", snippets.Iframe)
	}
	var scenarios int
	mustJSON(t, p.Eval(`document.querySelectorAll("#scenario-list iframe").length`), &scenarios)
	if scenarios != 5 {
		t.Errorf("%d scenario frames, want 5", scenarios)
	}

	// The controls change the element's attributes; it verifies in place.
	p.click(`.docs-controls button[data-mode="verify"]`)
	p.waitFor("the snippet to follow", `document.getElementById("snippet-element").textContent.includes('mode="verify"')`)
	var verifyFrame cdp.FrameID
	for id, frag := range p.embedFrames() {
		if strings.Contains(frag, "mode=verify") {
			verifyFrame = id
		}
	}
	if verifyFrame == "" {
		t.Fatal("no embed frame shows mode=verify after the click")
	}
	p.waitIn(verifyFrame, "the verified access token", `document.querySelector(".embed-step")?.dataset.valid === "true"`)

	// A runnable API example.
	p.click(`#api-list .api-example:nth-child(4) .api-run`)
	p.waitFor("the verify example's output", `document.querySelector("#api-list .api-example:nth-child(4) .api-output").textContent.includes("✗ exp")`)

	for _, shot := range []struct {
		name   string
		width  int64
		mobile bool
		scheme string
	}{
		{"embed-docs-desktop-light", 1280, false, "light"},
		{"embed-docs-desktop-dark", 1280, false, "dark"},
		{"embed-docs-phone-light", 360, true, "light"},
		{"embed-docs-phone-dark", 360, true, "dark"},
	} {
		t.Run(shot.name, func(t *testing.T) {
			p := p.For(t)
			var opts []chromedp.EmulateViewportOption
			if shot.mobile {
				opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
			}
			p.Do(chromedp.EmulateViewport(shot.width, 900, opts...))
			p.PrefersColorScheme(shot.scheme)
			p.settleStyles()
			var overflow struct {
				Width  int `json:"width"`
				Scroll int `json:"scroll"`
			}
			mustJSON(t, p.Eval(`({ width: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth })`), &overflow)
			if overflow.Scroll > overflow.Width {
				t.Errorf("the docs page scrolls horizontally: %d px of content in %d px", overflow.Scroll, overflow.Width)
			}
			// What a reader sees at each section (a full-page capture of a
			// page this tall with live frames comes out blank in headless
			// Chromium).
			for _, section := range []string{"main", "iframe", "scenarios", "api"} {
				p.Eval(fmt.Sprintf(`document.getElementById(%q).scrollIntoView({ behavior: "instant" }), new Promise((r) => setTimeout(() => r(true), 700))`, section))
				p.windowShot(shot.name + "-" + section)
			}
		})
	}
}

// TestOnlyTheEmbedIsFramedByOtherOrigins frames the embed view, the
// embedding guide and the playground from the documentation host: the
// browser shows the embed and refuses the other two by their
// frame-ancestors 'none' (internal/server's policy table), so a page of
// another origin cannot overlay tokenlab's own pages.
func TestOnlyTheEmbedIsFramedByOtherOrigins(t *testing.T) {
	want := map[string]bool{env.base + "/embed.html": true, env.base + "/embed-docs.html": false, env.base + "/": false}
	var frames strings.Builder
	for src := range want {
		fmt.Fprintf(&frames, "<iframe title=%q src=%q></iframe>\n", src, src)
	}
	docs := docsHost(t, map[string]string{"/frames.html": "<!doctype html><title>frames</title>\n" + frames.String()})
	p := NewPage(t, docs)
	p.AllowConsoleErrors() // the browser reports each refused frame
	p.Do(chromedp.Navigate(docs + "/frames.html"))

	// A shown frame has its own URL; a refused one shows Chromium's error
	// page and keeps the URL it could not show.
	shown := map[string]bool{}
	for deadline := time.Now().Add(20 * time.Second); len(shown) < len(want) && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res, err := chromedp.Call(p.ctx, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			t.Fatalf("reading the frame tree: %v", err)
		}
		clear(shown)
		for _, c := range res.FrameTree.ChildFrames {
			switch {
			case c.Frame.UnreachableURL != "":
				shown[c.Frame.UnreachableURL] = false
			case c.Frame.URL != "about:blank" && c.Frame.URL != "":
				shown[c.Frame.URL] = true
			}
		}
	}
	for src, ok := range want {
		if got, loaded := shown[src]; !loaded || got != ok {
			t.Errorf("a page of another origin framing %s: shown %v (loaded %v), want %v", src, got, loaded, ok)
		}
	}
	refusals := 0
	for _, msg := range p.ConsoleErrors() {
		if strings.Contains(msg, `"frame-ancestors 'none'"`) {
			refusals++
		}
	}
	if refusals == 0 {
		t.Errorf("no frame was refused by frame-ancestors 'none'; console: %q", p.ConsoleErrors())
	}
}
