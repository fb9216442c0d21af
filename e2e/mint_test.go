//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The mint section fills its form from tokenlab.presets() — the vendors'
// shapes as data — and never mints to learn what a preset contains; the
// guide shows every kind's guide, grouped, with its sources; keys show the
// engine's own description. These tests act through the page and check
// what it shows against the engine's data.

// preset is the part of a presets() entry the tests read.
type preset struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	URL   string `json:"url"`
	Kinds []struct {
		Kind       string         `json:"kind"`
		Source     string         `json:"source"`
		Header     map[string]any `json:"header"`
		Claims     map[string]any `json:"claims"`
		Departures []string       `json:"departures"`
	} `json:"kinds"`
	NotIssued map[string]string `json:"notIssued"`
}

func (p preset) kind(k string) (source string, header, claims map[string]any, departures []string) {
	for _, x := range p.Kinds {
		if x.Kind == k {
			return x.Source, x.Header, x.Claims, x.Departures
		}
	}
	return "", nil, nil, nil
}

// engineCalls records the engine methods the page calls from now on, by
// watching the messages to the engine's worker (tokenlab's own object is
// frozen, so it cannot be wrapped).
func (p *Page) engineCalls() {
	p.t.Helper()
	p.Eval(`(() => {
		window.__engineCalls = [];
		const post = Worker.prototype.postMessage;
		Worker.prototype.postMessage = function (message, ...rest) {
			if (message && typeof message.method === "string") window.__engineCalls.push(message.method);
			return post.call(this, message, ...rest);
		};
		return true;
	})()`)
}

// mintCalls counts the mint calls engineCalls has recorded.
func (p *Page) mintCalls() int {
	p.t.Helper()
	var n int
	mustJSON(p.t, p.Eval(`(window.__engineCalls ?? []).filter((m) => m === "mint").length`), &n)
	return n
}

// choosePreset picks a shape in the mint form as a person would and
// fails the test if that made the page call the engine's mint.
func (p *Page) choosePreset(value string) {
	p.t.Helper()
	before := p.mintCalls()
	p.Eval(fmt.Sprintf(`(() => { const s = document.querySelector("#mint-preset"); s.value = %q; s.dispatchEvent(new Event("change", { bubbles: true })); return true })()`, value))
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 300))`) // let any call the change started go out
	if after := p.mintCalls(); after != before {
		p.t.Errorf("choosing the shape %q called the engine's mint %d times", value, after-before)
	}
}

// value reads a form field's current value.
func (p *Page) value(css string) string {
	p.t.Helper()
	var v string
	mustJSON(p.t, p.Eval(fmt.Sprintf(`document.querySelector(%q).value`, css)), &v)
	return v
}

// TestMintPresets chooses each vendor shape: the form fills from
// presets() with no mint call, the shape's source is linked, a vendor's
// access token is said not to be an RFC 9068 token with its departures
// listed, kinds the vendor does not issue as JWTs are not offered, and
// what is minted carries the vendor's own header.
func TestMintPresets(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	var all struct {
		Presets []preset `json:"presets"`
	}
	p.js(&all, `tokenlab.presets()`)
	byName := map[string]preset{}
	for _, x := range all.Presets {
		byName[x.Name] = x
	}
	p.waitFor("the shapes", fmt.Sprintf(`document.querySelectorAll("#mint-preset option").length === %d`, len(all.Presets)))
	var titles []string
	mustJSON(t, p.Eval(`[...document.querySelectorAll("#mint-preset option")].map((o) => o.textContent)`), &titles)
	for i, x := range all.Presets {
		if titles[i] != x.Title {
			t.Errorf("option %d is %q, want the preset's title %q", i, titles[i], x.Title)
		}
	}

	p.engineCalls()
	t.Run("entra", func(t *testing.T) {
		p := p.For(t)
		entra := byName["entra"]
		source, header, claims, departures := entra.kind("access_token")
		_, _, idClaims, _ := entra.kind("id_token")
		p.choosePreset("entra")
		p.waitFor("the Entra shape", fmt.Sprintf(`document.querySelector("#mint-api").value === %q`, claims["aud"]))
		for id, want := range map[string]any{"#mint-issuer": claims["iss"], "#mint-client": idClaims["aud"], "#mint-scope": claims["scp"], "#mint-subject": idClaims["sub"]} {
			if got := p.value(id); got != want {
				t.Errorf("%s = %q, want the preset's %v", id, got, want)
			}
		}
		if got := p.attr("#mint-preset-info .preset-source a", "href"); got != entra.URL {
			t.Errorf("the shape's page is %q, want %q", got, entra.URL)
		}
		box := `#mint-preset-info .preset-kind[data-kind=access_token]`
		if got := p.attr(box+" a", "href"); got != source {
			t.Errorf("the access token's source is %q, want %q", got, source)
		}
		text := p.text(box)
		if !strings.Contains(text, "Not an RFC 9068 access token") || !strings.Contains(text, "header typ JWT") {
			t.Errorf("the access token is not said to depart from RFC 9068: %s", text)
		}
		for _, d := range departures {
			if !strings.Contains(text, d) {
				t.Errorf("the departure %q is not shown", d)
			}
		}
		t.Logf("screenshot: %s", p.viewportShot("mint-entra", "#mint"))

		p.click("#mint-button")
		p.waitFor("the Entra tokens", `document.querySelectorAll("#minted tl-token-card").length === 2`)
		var at struct {
			Header  map[string]any `json:"header"`
			Payload map[string]any `json:"payload"`
		}
		p.MustCall(&at, "decode", p.attr(`#minted tl-token-card[kind=access_token]`, "token"))
		if at.Header["typ"] != header["typ"] || at.Payload["aud"] != claims["aud"] || at.Payload["scp"] != claims["scp"] || at.Payload["azp"] != claims["azp"] {
			t.Errorf("minted header %v, payload %v; want Entra's typ %v, aud %v, scp, azp", at.Header, at.Payload, header["typ"], claims["aud"])
		}
		if _, ok := at.Payload["scope"]; ok {
			t.Errorf("an Entra access token with a scope claim: %v", at.Payload)
		}
		if why := p.text(`tl-compare tr[data-claim=typ] .compare-why`); !strings.Contains(why, "not at+jwt") || strings.Contains(why, "is typed at+jwt") {
			t.Errorf("the comparison claims the Entra access token is typed at+jwt: %q", why)
		}
		if got := p.text("#mint-status"); got != "Minted an ID token and an access token." {
			t.Errorf("status %q", got)
		}
	})

	t.Run("google", func(t *testing.T) {
		p := p.For(t)
		p.choosePreset("google")
		p.waitFor("the Google kinds", `document.querySelector("input[name=mint-kind][value=access_token]").disabled`)
		if !p.disabled(`input[name=mint-kind][value=pair]`) || p.disabled(`input[name=mint-kind][value=id_token]`) {
			t.Error("Google: the pair should be unavailable and the ID token available")
		}
		var kind string
		mustJSON(t, p.Eval(`document.querySelector("input[name=mint-kind]:checked")?.value ?? ""`), &kind)
		if kind != "id_token" {
			t.Errorf("the chosen kind is %q, want id_token", kind)
		}
		if note := p.text("#mint-kind-note"); !strings.Contains(note, byName["google"].NotIssued["access_token"]) {
			t.Errorf("the reason is not given: %q", note)
		}
	})

	t.Run("cognito", func(t *testing.T) {
		p := p.For(t)
		p.choosePreset("cognito")
		p.waitFor("the Cognito shape", `!document.querySelector("input[name=mint-kind][value=pair]").disabled && document.querySelector("#mint-issuer").value.includes("cognito")`)
		if v := p.value("#mint-api"); v != "" {
			t.Errorf("API audience %q for Cognito, whose access tokens have no aud", v)
		}
		p.click(`input[name=mint-kind][value=pair]`)
		before := p.attr(`#minted tl-token-card[kind=access_token]`, "token")
		p.click("#mint-button")
		p.waitFor("the Cognito tokens", fmt.Sprintf(`(document.querySelector("#minted tl-token-card[kind=access_token]")?.getAttribute("token") ?? %q) !== %q`, before, before))
		var at struct {
			Header  map[string]any `json:"header"`
			Payload map[string]any `json:"payload"`
		}
		p.MustCall(&at, "decode", p.attr(`#minted tl-token-card[kind=access_token]`, "token"))
		if _, ok := at.Payload["aud"]; ok || at.Header["typ"] != nil || at.Payload["token_use"] != "access" {
			t.Errorf("Cognito access token header %v, payload %v", at.Header, at.Payload)
		}
	})

	t.Run("standard", func(t *testing.T) {
		p := p.For(t)
		_, _, claims, _ := byName["standard"].kind("access_token")
		p.choosePreset("")
		p.waitFor("the standard shape", fmt.Sprintf(`document.querySelector("#mint-api").value === %q`, claims["aud"]))
		text := p.text("#mint-preset-info")
		if strings.Contains(text, "Not an RFC 9068") || !strings.Contains(text, "header typ at+jwt") {
			t.Errorf("the standard shape: %s", text)
		}
	})
	if n := p.mintCalls(); n != 4 {
		t.Errorf("%d mint calls, want the four of the two pairs minted with the button", n)
	}
}

// TestPlaygroundGuideGroups shows every guide the engine has, grouped,
// each titled as the engine titles it and with its sources linked, and
// readable at 360 px.
func TestPlaygroundGuideGroups(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	var guides []struct {
		Kind    string `json:"kind"`
		Title   string `json:"title"`
		Sources []struct {
			Ref string `json:"ref"`
			URL string `json:"url"`
		} `json:"sources"`
	}
	p.js(&guides, `tokenlab.guide()`)
	p.waitFor("the guide", fmt.Sprintf(`document.querySelectorAll("tl-guide-table .guide-card").length === %d`, len(guides)))
	var groups []string
	mustJSON(t, p.Eval(`[...document.querySelectorAll("tl-guide-table .guide-group-title")].map((h) => h.textContent)`), &groups)
	if strings.Join(groups, "|") != "Tokens an authorization server issues|JWTs a client or workload presents|Other formats" {
		t.Errorf("groups %q", groups)
	}
	for _, g := range guides {
		card := fmt.Sprintf(`tl-guide-table .guide-card[data-kind=%q]`, g.Kind)
		if got := p.text(card + " .guide-card-title"); got != g.Title {
			t.Errorf("%s: title %q, want %q", g.Kind, got, g.Title)
		}
		var links []string
		mustJSON(t, p.Eval(fmt.Sprintf(`[...document.querySelectorAll(%q)].map((a) => a.href)`, card+" .sources a")), &links)
		want := 0
		for _, s := range g.Sources {
			if strings.HasPrefix(s.URL, "https://") {
				want++
			}
		}
		if len(links) != want || want == 0 {
			t.Errorf("%s: %d source links, want %d", g.Kind, len(links), want)
		}
	}
	if got := p.attr(`tl-guide-table .guide-card[data-kind=workload_identity]`, "data-kind"); got == "" {
		t.Error("no workload identity guide")
	}
	if p.text(`tl-guide-table [data-group=presented] .guide-card[data-kind=workload_identity]`) == "" {
		t.Error("the workload identity guide is not among the JWTs a client or workload presents")
	}

	t.Logf("screenshot: %s", p.viewportShot("guide-desktop", "#guide"))
	p.emulate(screens[2])
	if culprits := p.overflowing("#guide"); len(culprits) > 0 {
		t.Errorf("the guide is wider than 360 px: %v", culprits)
	}
	t.Logf("screenshot: %s", p.viewportShot("guide-phone", "#guide"))
}

// TestPlaygroundKeyFacts generates and imports keys: the facts are the
// engine's description, use and private part, not a re-derivation.
func TestPlaygroundKeyFacts(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	facts := func() map[string]string {
		t.Helper()
		var m map[string]string
		mustJSON(t, p.Eval(`Object.fromEntries([...document.querySelectorAll("#key-facts div")].map((d) => [d.querySelector("dt").textContent, d.querySelector("dd").textContent]))`), &m)
		return m
	}
	p.click("#keygen-button")
	p.waitFor("a key", `!document.querySelector("#key-output").hidden`)
	var key struct {
		Description string `json:"description"`
	}
	p.MustCall(&key, "importKey", json.RawMessage(p.Eval(`document.querySelector("#key-private-jwk").textContent`)))
	got := facts()
	if want := strings.TrimPrefix(key.Description, "an "); !strings.EqualFold(got["Type"], want) {
		t.Errorf("Type %q, want the engine's %q", got["Type"], key.Description)
	}
	if got["Use"] != "Signatures (use sig)" || got["Private part"] != "Here: it can sign" || got["Algorithm"] != "ES256" {
		t.Errorf("facts %v", got)
	}
	p.paste("#import-input", "a shared secret of thirty-two bytes!")
	p.click("#import-form button[type=submit]")
	p.waitFor("the secret", `document.querySelector("#key-facts").textContent.includes("secret")`)
	if got := facts(); got["Type"] != "36-byte secret" || got["Private part"] != "" {
		t.Errorf("secret facts %v", got)
	}
}
