//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// SD-JWTs (RFC 9901) in the page, as a person uses them: pasted into the
// inspector (the parts coloured, the disclosures listed, the processed
// payload beside the issuer-signed one), minted with chosen disclosures
// and decoys, presented with key binding, and verified.

// sdJWTClaims are the claims the inspector tests issue: a nested member
// and an array element made disclosable besides top-level claims.
var sdJWTClaims = map[string]any{
	"given_name":    "Erika",
	"family_name":   "Mustermann",
	"address":       map[string]any{"locality": "Berlin", "country": "DE"},
	"nationalities": []any{"DE", "FR"},
}

// sdJWTIssued is an SD-JWT minted in the page with its keys.
type sdJWTIssued struct {
	Token       string          `json:"token"`
	Disclosures []disclosure    `json:"disclosures"`
	IssuerJWK   json.RawMessage `json:"-"`
	Holder      json.RawMessage `json:"-"`
}

type disclosure struct {
	Disclosure string `json:"disclosure"`
	Digest     string `json:"digest"`
	Salt       string `json:"salt"`
	Name       string `json:"name"`
	Path       string `json:"path"`
	Value      any    `json:"value"`
}

// issueSDJWT mints an SD-JWT bound to a holder key: given_name,
// /address/locality and /nationalities/1 disclosable, one decoy per _sd.
func (p *Page) issueSDJWT() sdJWTIssued {
	p.t.Helper()
	issuerPub, issuer := p.newKey("ES256")
	_, holder := p.newKey("ES256")
	var m sdJWTIssued
	p.MustCall(&m, "mint", map[string]any{"kind": "sd_jwt", "key": json.RawMessage(issuer), "holderKey": json.RawMessage(holder),
		"claims": sdJWTClaims, "disclose": []string{"given_name", "/address/locality", "/nationalities/1"}, "decoys": 1})
	m.IssuerJWK, m.Holder = issuerPub, holder
	return m
}

// sdJWTPresented is a holder's presentation of the SD-JWT issueSDJWT made.
type sdJWTPresented struct {
	Token       string       `json:"token"`
	Disclosures []disclosure `json:"disclosures"`
}

// presentSDJWT presents given_name and /address/locality of issued, with a
// Key Binding JWT for the audience https://shop.example and nonce n-42.
func (p *Page) presentSDJWT(issued sdJWTIssued) sdJWTPresented {
	p.t.Helper()
	var presented sdJWTPresented
	p.MustCall(&presented, "present", issued.Token, map[string]any{"disclose": []string{"given_name", "/address/locality"}, "holderKey": issued.Holder, "audience": "https://shop.example", "nonce": "n-42"})
	return presented
}

// sdJWTShown is what the inspector shows of an SD-JWT.
type sdJWTShown struct {
	Badge       string            `json:"badge"`
	Purpose     string            `json:"purpose"`
	Legend      []string          `json:"legend"`
	Disclosures []string          `json:"disclosures"` // the editor's disclosure spans, in order
	DiscColours []string          `json:"discColours"` // their computed colours
	KBSegments  int               `json:"kbSegments"`
	Tab         string            `json:"tab"`
	Facts       map[string]string `json:"facts"`
	Rows        [][]string        `json:"rows"` // #, claim, value, lands at, salt, digest
	Processed   any               `json:"processed"`
	Signed      any               `json:"signed"`
	Marked      []string          `json:"marked"` // marked members of the processed payload
	Hides       []string          `json:"hides"`
	KB          bool              `json:"kb"`
	Findings    []string          `json:"findings"`
	Disclosed   []string          `json:"disclosed"` // the Claims tab's disclosed claims
}

const readSDJWT = `(() => {
	const q = (s) => document.querySelector(s);
	const all = (s) => [...document.querySelectorAll(s)];
	const shown = (el) => !!el && !el.closest("[hidden]") && el.getClientRects().length > 0;
	const json = (el) => { try { return JSON.parse(el.textContent); } catch { return null; } };
	return {
		badge: q("#kind-summary .kind-badge")?.textContent ?? "",
		purpose: q("#purpose").hidden ? "" : (q("#purpose").dataset.kind ?? ""),
		legend: all("#token-editor .legend-item").map((e) => e.textContent),
		disclosures: all("#token-editor .editor-backdrop .seg-disclosure").map((e) => e.textContent),
		discColours: all("#token-editor .editor-backdrop .seg-disclosure").map((e) => getComputedStyle(e).color),
		kbSegments: all("#token-editor .editor-backdrop .seg-kb").length,
		tab: q("#inspect-claims [role=tab][aria-selected=true]")?.id ?? "",
		facts: Object.fromEntries(all("#sd-jwt-view .sd-fact[data-fact]").map((e) => [e.dataset.fact, e.textContent])),
		rows: all("#sd-jwt-view tl-disclosures tbody tr").map((tr) => [...tr.children].map((c) => c.textContent)),
		processed: json(q("#sd-jwt-view .sd-processed pre")),
		signed: json(q("#sd-jwt-view .sd-signed pre")),
		marked: all("#sd-jwt-view .sd-processed .json-marked").map((e) => e.dataset.path),
		hides: all("#sd-jwt-view .sd-hides [data-finding]").map((e) => e.dataset.finding),
		kb: shown(q("#sd-jwt-view .sd-kb-payload")),
		findings: all("#findings .finding").map((li) => li.dataset.id),
		disclosed: all("#claims-disclosed tbody tr .claim-name code").map((e) => e.textContent),
	};
})()`

func (p *Page) inspectSDJWT(token string) sdJWTShown {
	p.t.Helper()
	p.click("#inspect-clear") // a paste of the same text again changes nothing
	p.inspectText(token)
	p.waitFor("the disclosures", `document.querySelector("#sd-jwt-view .sd-facts")`)
	var v sdJWTShown
	mustJSON(p.t, p.Eval(readSDJWT), &v)
	return v
}

// TestSDJWTInspector pastes an SD-JWT as its issuer gave it and a
// presentation with a Key Binding JWT, and reads the parts' colours, the
// disclosures table, the processed payload and the undisclosed count the
// engine computed.
func TestSDJWTInspector(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	issued := p.issueSDJWT()
	presented := p.presentSDJWT(issued)

	t.Run("as issued, without a KB-JWT", func(t *testing.T) {
		p := p.For(t)
		v := p.inspectSDJWT(issued.Token)
		if v.Badge != "SD-JWT" || v.Purpose != "sd_jwt" {
			t.Errorf("badge %q, guide %q; want SD-JWT and its guide", v.Badge, v.Purpose)
		}
		wantLegend := []string{"Header", "Payload", "Signature", "Disclosures (3)"}
		if !slices.Equal(v.Legend, wantLegend) {
			t.Errorf("legend %v, want %v", v.Legend, wantLegend)
		}
		var want []string
		for _, d := range issued.Disclosures {
			want = append(want, d.Disclosure)
		}
		if !slices.Equal(v.Disclosures, want) {
			t.Errorf("coloured disclosures %v, want the minted ones %v", v.Disclosures, want)
		}
		if len(v.DiscColours) == 3 && (v.DiscColours[0] == v.DiscColours[1] || v.DiscColours[0] != v.DiscColours[2]) {
			t.Errorf("neighbouring disclosures must alternate colours: %v", v.DiscColours)
		}
		if v.KBSegments != 0 || v.KB {
			t.Errorf("a KB-JWT shown for an SD-JWT without one: %d segments, view %v", v.KBSegments, v.KB)
		}
		if v.Tab != "tab-disclosures" {
			t.Errorf("the inspector opened on %q, want the Disclosures tab", v.Tab)
		}
		if len(v.Rows) != 3 {
			t.Fatalf("%d disclosure rows, want 3: %v", len(v.Rows), v.Rows)
		}
		for i, d := range issued.Disclosures {
			row := v.Rows[i]
			name := d.Name
			if name == "" {
				name = "array element"
			}
			got := []string{row[0], row[1], row[3], row[4], row[5]}
			if w := []string{fmt.Sprint(i + 1), name, d.Path, d.Salt, d.Digest}; !slices.Equal(got, w) {
				t.Errorf("row %d = %v, want %v", i+1, got, w)
			}
		}
		// Every disclosure is presented: the only undisclosed digests are
		// the two decoys (one per _sd array; the array has none).
		if !strings.HasPrefix(v.Facts["undisclosed"], "2 digests without a disclosure: hidden claims or decoys") {
			t.Errorf("undisclosed fact %q", v.Facts["undisclosed"])
		}
		processed, _ := json.Marshal(v.Processed)
		for _, s := range []string{`"given_name":"Erika"`, `"locality":"Berlin"`, `"nationalities":["DE","FR"]`} {
			if !strings.Contains(string(processed), s) {
				t.Errorf("processed payload lacks %s: %s", s, processed)
			}
		}
		signed, _ := json.Marshal(v.Signed)
		if strings.Contains(string(signed), "Erika") || !strings.Contains(string(signed), `"_sd"`) {
			t.Errorf("the issuer-signed payload should hold digests, not the disclosed values: %s", signed)
		}
		if w := []string{"/given_name", "/address/locality", "/nationalities/1"}; !sameSet(v.Marked, w) {
			t.Errorf("marked in the processed payload: %v, want %v", v.Marked, w)
		}
		if !slices.Equal(v.Hides, []string{"sd-jwt-hidden", "sd-jwt-visible"}) {
			t.Errorf("what selective disclosure hides and shows: %v", v.Hides)
		}
		if slices.Contains(v.Findings, "sd-jwt-hidden") || slices.Contains(v.Findings, "sd-jwt-visible") {
			t.Errorf("the findings repeat what the SD-JWT view says: %v", v.Findings)
		}
		// An array element is named by its array.
		if !sameSet(v.Disclosed, []string{"given_name", "locality", "nationalities"}) {
			t.Errorf("the Claims tab's disclosed claims: %v", v.Disclosed)
		}
	})

	t.Run("a presentation with a KB-JWT", func(t *testing.T) {
		p := p.For(t)
		v := p.inspectSDJWT(presented.Token)
		wantLegend := []string{"Header", "Payload", "Signature", "Disclosures (2)", "Key Binding JWT"}
		if !slices.Equal(v.Legend, wantLegend) {
			t.Errorf("legend %v, want %v", v.Legend, wantLegend)
		}
		if v.KBSegments != 3 || !v.KB {
			t.Errorf("KB-JWT: %d coloured segments, view shown %v; want 3 and the view", v.KBSegments, v.KB)
		}
		if len(v.Rows) != 2 {
			t.Fatalf("%d disclosure rows, want 2", len(v.Rows))
		}
		// The decoys and the undisclosed nationality: 3 digests.
		if !strings.HasPrefix(v.Facts["undisclosed"], "3 digests without a disclosure") {
			t.Errorf("undisclosed fact %q", v.Facts["undisclosed"])
		}
		processed, _ := json.Marshal(v.Processed)
		if !strings.Contains(string(processed), `"nationalities":["DE"]`) || !strings.Contains(string(processed), `"given_name":"Erika"`) {
			t.Errorf("processed payload %s: want FR hidden and Erika disclosed", processed)
		}
		if !slices.Contains(v.Findings, "sd-jwt-key-binding") {
			t.Errorf("findings %v lack the key binding note", v.Findings)
		}
		kb := p.text("#sd-jwt-view .sd-kb-payload pre")
		if !strings.Contains(kb, `"nonce": "n-42"`) || !strings.Contains(kb, `"sd_hash"`) {
			t.Errorf("KB-JWT payload %q", kb)
		}
	})

	t.Run("pointing at a disclosure highlights its claim", func(t *testing.T) {
		p := p.For(t)
		p.inspectSDJWT(presented.Token)
		row := slices.IndexFunc(presented.Disclosures, func(d disclosure) bool { return d.Path == "/address/locality" })
		if row < 0 {
			t.Fatalf("the presentation has no /address/locality disclosure: %+v", presented.Disclosures)
		}
		p.click(fmt.Sprintf(`#sd-jwt-view tl-disclosures tbody tr[data-index="%d"]`, row+1)) // focus, as a keyboard user would reach it
		p.waitFor("the highlight", `document.querySelector("#sd-jwt-view .sd-processed .json-hit")`)
		var hit struct {
			Processed, Signed, Status string
		}
		mustJSON(t, p.Eval(`({
			processed: document.querySelector("#sd-jwt-view .sd-processed .json-hit")?.dataset.path ?? "",
			signed: document.querySelector("#sd-jwt-view .sd-signed .json-hit")?.textContent ?? "",
			status: document.querySelector("#sd-jwt-view .sd-point").textContent,
		})`), &hit)
		locality := presented.Disclosures[row]
		if hit.Processed != "/address/locality" {
			t.Errorf("highlighted in the processed payload: %q, want /address/locality", hit.Processed)
		}
		if !strings.Contains(hit.Signed, locality.Digest) {
			t.Errorf("highlighted in the issuer-signed payload: %q, want its digest %s", hit.Signed, locality.Digest)
		}
		if !strings.Contains(hit.Status, "lands at /address/locality") {
			t.Errorf("status %q", hit.Status)
		}
	})
}

// TestSDJWTInspectorLayout shows a presentation in the inspector on every
// screen (desktop and 360 px, light and dark): nothing reaches past the
// right edge, the page passes axe, and the screenshots land in
// e2e/artifacts/ for a person to look at.
func TestSDJWTInspectorLayout(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	issued := p.issueSDJWT()
	presented := p.presentSDJWT(issued)
	p.inspectSDJWT(presented.Token)
	p.onEveryScreen(t, "", []string{"#inspect"}, func(p *Page, s screen) {
		p.Eval(`document.querySelector("#sd-jwt-view tl-disclosures tbody tr").dispatchEvent(new MouseEvent("mouseover", { bubbles: true })), true`)
		p.t.Logf("screenshot: %s", p.elementShot("sd-jwt-inspector-"+s.name, "#inspect"))
	})
}

// TestSDJWTVerify verifies a presentation in the Verify section as a
// verifier would: the issuer's public key pasted, the audience and nonce it
// expects, key binding required. Every check passes; the same presentation
// with one disclosure dropped fails on sd_hash, since the KB-JWT covers
// exactly the disclosures presented (RFC 9901 §4.3.1).
func TestSDJWTVerify(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	issued := p.issueSDJWT()
	presented := p.presentSDJWT(issued)

	p.paste("#verify-token", presented.Token)
	p.waitFor("the SD-JWT form", `!document.querySelector("#verify-sd-jwt").hidden && document.querySelector("#verify-client").closest("[hidden]")`)
	p.typeInto("#verify-issuer", "https://issuer.example.com")
	p.typeInto("#verify-audience", "https://shop.example")
	p.typeInto("#verify-nonce", "n-42")
	p.click("#verify-require-kb")
	p.verifyWithPastedKey(presented.Token, string(issued.IssuerJWK))
	v := p.verdict("#verdict")
	if v.State != "valid" {
		t.Fatalf("verdict %+v, want valid; checks %v", v, p.checks("#verdict"))
	}
	checks := p.checks("#verdict")
	for _, id := range []string{"signature", "digests", "disclosures", "key_binding", "kb_signature", "kb_aud", "kb_nonce", "sd_hash"} {
		if checks[id] != "pass" {
			t.Errorf("check %s = %q, want pass (all: %v)", id, checks[id], checks)
		}
	}
	if strings.Contains(v.Missing, "audience") {
		t.Errorf("the audience was given, yet the verdict says it was not compared: %q", v.Missing)
	}

	// Drop the second disclosure: the issuer JWT still verifies, the KB-JWT
	// signature too, but sd_hash no longer covers what is presented.
	parts := strings.Split(presented.Token, "~")
	if len(parts) != 4 {
		t.Fatalf("the presentation has %d ~-separated parts, want issuer JWT, 2 disclosures, KB-JWT", len(parts))
	}
	tampered := strings.Join([]string{parts[0], parts[1], parts[3]}, "~")
	p.paste("#verify-token", tampered)
	p.click("#verify-button")
	p.waitFor("the tampered verdict", `document.querySelector("#verdict").getAttribute("state") === "invalid"`)
	checks = p.checks("#verdict")
	if checks["sd_hash"] != "fail" || checks["kb_signature"] != "pass" {
		t.Errorf("a dropped disclosure: sd_hash %q, kb_signature %q; want fail and pass (all %v)", checks["sd_hash"], checks["kb_signature"], checks)
	}
}

// TestMintSDJWT plays issuer, holder and verifier in the Mint and Verify
// sections: claims written as JSON, three places ticked as disclosable
// (a top-level claim, a nested member and an array element) with one decoy
// per _sd array and a holder key; then two of them presented with key
// binding, and the presentation verified valid and complete with the
// audience and nonce; the same presentation with a disclosure dropped
// fails sd_hash.
func TestMintSDJWT(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	p.click("#sdjwt-box > summary")
	p.waitFor("the engine's default claims", `document.querySelector("#sdjwt-claims").value.includes("given_name") && document.querySelector("#sdjwt-picker input[data-path]")`)
	claims, _ := json.Marshal(sdJWTClaims)
	p.paste("#sdjwt-claims", string(claims))
	p.waitFor("the checklist of the new claims", `document.querySelector('#sdjwt-picker input[data-path="/nationalities/1"]')`)
	// The defaults ticked given_name and family_name, address and
	// nationalities; keep given_name, move the others to the nested places.
	for _, path := range []string{"/family_name", "/address", "/nationalities", "/address/locality", "/nationalities/1"} {
		p.click(fmt.Sprintf(`#sdjwt-picker input[data-path=%q]`, path))
	}
	var ticked []string
	mustJSON(t, p.Eval(`[...document.querySelectorAll("#sdjwt-picker input:checked")].map((b) => b.dataset.path)`), &ticked)
	if w := []string{"/given_name", "/address/locality", "/nationalities/1"}; !sameSet(ticked, w) {
		t.Fatalf("ticked %v, want %v", ticked, w)
	}
	p.typeInto("#sdjwt-decoys", "1")
	if string(p.Eval(`document.querySelector("#sdjwt-bind").checked`)) != "true" {
		p.click("#sdjwt-bind")
	}
	p.click("#sdjwt-issue")
	p.waitFor("the issued SD-JWT", `!document.querySelector("#sdjwt-issued").hidden && document.querySelector("#sdjwt-issued-card").token`)
	issued := strings.Trim(string(p.Eval(`document.querySelector("#sdjwt-issued-card").token`)), `"`)
	var d struct {
		Payload     map[string]any `json:"payload"`
		Disclosures []disclosure   `json:"disclosures"`
		Undisclosed int            `json:"undisclosed"`
	}
	p.MustCall(&d, "decode", issued)
	var paths []string
	for _, x := range d.Disclosures {
		paths = append(paths, x.Path)
	}
	if !sameSet(paths, ticked) || d.Undisclosed != 2 {
		t.Errorf("issued disclosures at %v with %d undisclosed digests; want %v and the 2 decoys", paths, d.Undisclosed, ticked)
	}
	if _, ok := d.Payload["cnf"]; !ok {
		t.Error("the SD-JWT is not bound to the holder key (no cnf)")
	}
	if p.isHidden("#sdjwt-holder") || !strings.Contains(p.text("#sdjwt-holder"), "thumbprint") {
		t.Error("the holder key is not shown")
	}

	// The holder reveals given_name and the locality, with key binding.
	p.click(`#sdjwt-present-list input[value="/nationalities/1"]`)
	if string(p.Eval(`document.querySelector("#sdjwt-kb").checked`)) != "true" {
		p.click("#sdjwt-kb")
	}
	p.typeInto("#sdjwt-audience", "https://shop.example")
	p.typeInto("#sdjwt-nonce", "n-77")
	p.click("#sdjwt-present")
	p.waitFor("the presentation", `!document.querySelector("#sdjwt-presented").hidden && document.querySelector("#sdjwt-presented-card").token`)
	presented := strings.Trim(string(p.Eval(`document.querySelector("#sdjwt-presented-card").token`)), `"`)
	var pd struct {
		Disclosures []disclosure   `json:"disclosures"`
		KB          map[string]any `json:"kb"`
	}
	p.MustCall(&pd, "decode", presented)
	if len(pd.Disclosures) != 2 || pd.KB == nil {
		t.Fatalf("presented %d disclosures, KB-JWT %v; want 2 and a KB-JWT", len(pd.Disclosures), pd.KB)
	}

	// The verifier: the card's Verify, the mint form's values, key binding required.
	p.click(`#sdjwt-presented-card button[data-to=verify]`)
	p.waitFor("the SD-JWT form in Verify", `!document.querySelector("#verify-sd-jwt").hidden`)
	p.click("#verify-fill")
	p.waitFor("the expected values", `document.querySelector("#verify-nonce").value === "n-77" && document.querySelector("#verify-issuer").value !== ""`)
	p.click("#verify-require-kb")
	p.click("#verify-button")
	p.waitFor("a verdict", `!document.querySelector("#verify-result").hidden && document.querySelector("#verdict").getAttribute("state")`)
	if v := p.verdict("#verdict"); v.State != "valid" {
		t.Fatalf("verdict %+v, want valid and complete; checks %v", v, p.checks("#verdict"))
	}
	if got := p.checks("#verdict"); got["kb_aud"] != "pass" || got["kb_nonce"] != "pass" || got["sd_hash"] != "pass" {
		t.Errorf("checks %v", got)
	}

	parts := strings.Split(presented, "~")
	tampered := strings.Join(append(parts[:1:1], parts[2:]...), "~")
	p.paste("#verify-token", tampered)
	p.click("#verify-button")
	p.waitFor("the tampered verdict", `document.querySelector("#verdict").getAttribute("state") === "invalid"`)
	if got := p.checks("#verdict")["sd_hash"]; got != "fail" {
		t.Errorf("sd_hash %q after a dropped disclosure, want fail", got)
	}
}

// TestEmbedSDJWT opens embed.html with an SD-JWT presentation in the
// fragment (its ~ separators as they are): explain shows the disclosures,
// the processed payload and the undisclosed count with the playground's
// <tl-sd-jwt>; verify with the issuer's key, audience, nonce and require_kb
// is valid.
func TestEmbedSDJWT(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	issued := p.issueSDJWT()
	presented := p.presentSDJWT(issued)

	q := NewPage(t)
	q.Open("/embed.html#mode=explain&token=" + presented.Token)
	q.waitFor("the embed", `document.getElementById("embed-root").dataset.state === "ready"`)
	var shown struct {
		Kind        string            `json:"kind"`
		Facts       map[string]string `json:"facts"`
		Rows        int               `json:"rows"`
		Processed   string            `json:"processed"`
		KB          bool              `json:"kb"`
		Disclosures int               `json:"disclosures"` // coloured disclosure spans in the token view
	}
	mustJSON(t, q.Eval(`(() => {
		const v = document.querySelector("#embed-view tl-sd-jwt");
		return {
			kind: document.querySelector(".embed-step")?.dataset.kind ?? "",
			facts: Object.fromEntries([...(v?.querySelectorAll(".sd-fact[data-fact]") ?? [])].map((e) => [e.dataset.fact, e.textContent])),
			rows: v?.querySelectorAll("tl-disclosures tbody tr").length ?? 0,
			processed: v?.querySelector(".sd-processed pre")?.textContent ?? "",
			kb: !!v?.querySelector(".sd-kb-payload"),
			disclosures: document.querySelectorAll("#embed-view tl-token-view .seg-disclosure").length,
		};
	})()`), &shown)
	if shown.Kind != "sd_jwt" || shown.Rows != 2 || !shown.KB || shown.Disclosures != 2 {
		t.Errorf("the embed shows %+v; want kind sd_jwt, 2 disclosure rows, the KB-JWT and 2 coloured disclosures", shown)
	}
	if !strings.HasPrefix(shown.Facts["undisclosed"], "3 digests without a disclosure") {
		t.Errorf("undisclosed fact %q", shown.Facts["undisclosed"])
	}
	if !strings.Contains(shown.Processed, `"locality": "Berlin"`) {
		t.Errorf("processed payload %q", shown.Processed)
	}

	fragment := "mode=verify&iss=" + url.QueryEscape("https://issuer.example.com") + "&aud=" + url.QueryEscape("https://shop.example") + "&nonce=n-42&require_kb=1&key=" + url.QueryEscape(string(issued.IssuerJWK)) + "&token=" + presented.Token
	q.Eval(fmt.Sprintf(`location.hash = %q, true`, fragment))
	q.waitFor("the verdict", `document.querySelector("#embed-view tl-verdict")?.getAttribute("state")`)
	if v := q.verdict("#embed-view tl-verdict"); v.State != "valid" {
		t.Errorf("embed verdict %+v, want valid; checks %v", v, q.checks("#embed-view tl-verdict"))
	}
	if got := q.checks("#embed-view tl-verdict"); got["key_binding"] != "pass" || got["kb_nonce"] != "pass" {
		t.Errorf("checks %v", got)
	}
}
