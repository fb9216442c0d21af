//go:build browser

package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"tokenlab/internal/server"
	"tokenlab/site"
)

// switchable serves the site until it is switched off; then it drops every
// connection without an answer, like a server the network cannot reach.
type switchable struct {
	h   http.Handler
	off atomic.Bool
}

func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.off.Load() {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		http.Error(w, "offline", http.StatusServiceUnavailable)
		return
	}
	s.h.ServeHTTP(w, r)
}

// TestOfflineAfterOneVisit loads the playground once, waits for the service
// worker to control the page, takes the server off the network, and reloads:
// the page, the engine and the embed must all still work.
func TestOfflineAfterOneVisit(t *testing.T) {
	handler, err := server.New(site.Files())
	if err != nil {
		t.Fatal(err)
	}
	sw := &switchable{h: handler}
	srv, err := startServer(sw)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	origin := srv.URL
	idToken, _, _ := embedTokens(t)

	p := NewPage(t, origin)
	p.Do(chromedp.Navigate(origin + "/"))
	p.WaitReady()
	p.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`)
	// The install step keeps what the page loaded; the page asks for the
	// rest once the engine has been ready for a while (offline.js).
	p.waitFor("the service worker to complete its cache", `await caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n).then((c) => c.match("sw-complete"))))).then((hits) => hits.some(Boolean))`)
	var caches []string
	mustJSON(t, p.Eval(`navigator.serviceWorker.ready.then(() => caches.keys())`), &caches)
	var manifest struct {
		Version string            `json:"version"`
		Assets  map[string]string `json:"assets"`
	}
	mustJSON(t, p.Eval(`fetch("asset-manifest.json").then((r) => r.json())`), &manifest)
	if len(caches) != 1 || !strings.HasPrefix(caches[0], "tokenlab-"+manifest.Version+"-") {
		t.Fatalf("caches %v, want one cache named after the release and its content hashes", caches)
	}
	var cached []string
	mustJSON(t, p.Eval(fmt.Sprintf(`caches.open(%q).then((c) => c.keys()).then((ks) => ks.map((r) => new URL(r.url).pathname))`, caches[0])), &cached)
	for _, want := range []string{"/index.html", "/embed.html", "/tokenlab.js", "/" + manifest.Assets["tokenlab.wasm"], "/" + manifest.Assets["worker.js"]} {
		if !slices.Contains(cached, want) {
			t.Errorf("%s is not precached (cached: %v)", want, cached)
		}
	}
	for _, u := range cached {
		if strings.Contains(u, "eyJ") || strings.Contains(u, "?") {
			t.Errorf("the cache holds a URL with a token or a query: %s", u)
		}
	}

	// Off the network: the server drops every connection.
	sw.off.Store(true)
	mark := env.proxy.Mark()
	// The reload's revalidation of the page and the stable modules, and the
	// update check of sw.js, fail (502 from the test proxy); the service
	// worker answers from its cache and the console stays clean.
	p.Do(chromedp.Navigate(origin + "/"))
	p.WaitReady()
	p.waitFor("the engine status", `document.getElementById("engine-status").dataset.state === "ready"`)
	var decoded struct {
		Format  string         `json:"format"`
		Payload map[string]any `json:"payload"`
	}
	p.MustCall(&decoded, "decode", idToken)
	if decoded.Format != "JWS" || decoded.Payload["name"] != "Ada Lovelace" {
		t.Errorf("decode offline: %+v", decoded)
	}
	var explained struct {
		Kind string `json:"kind"`
	}
	p.MustCall(&explained, "explain", idToken)
	if explained.Kind != "id_token" {
		t.Errorf("explain offline: kind %q", explained.Kind)
	}
	// The page's own inspector, as a person uses it.
	p.paste("#token-input", idToken)
	p.waitFor("the inspected token", `document.querySelector("#kind-summary .kind-badge")?.textContent === "ID token"`)

	// The embed too.
	p.Do(chromedp.Navigate(origin + "/embed.html#mode=explain&token=" + idToken))
	p.waitFor("the embed, offline", `document.getElementById("embed-root").dataset.state === "ready" && document.getElementById("embed-view").textContent.includes("Ada Lovelace")`)

	// The network really was gone: every request that reached the proxy
	// failed, and no hashed asset was even asked for.
	for _, r := range env.proxy.Since(mark) {
		if r.BrowserInternal() || originOf(r.URL) != origin {
			continue
		}
		if r.Status != http.StatusBadGateway {
			t.Errorf("a request was answered while offline: %s %s → %d", r.Method, r.URL, r.Status)
		}
		if hashedName(r.URL) {
			t.Errorf("a content-hashed asset was requested from the network although it is cached: %s", r.URL)
		}
	}
}

// hashedName reports a content-hashed file name (name.0123456789ab.ext).
func hashedName(u string) bool {
	parts := strings.Split(u, ".")
	if len(parts) < 3 {
		return false
	}
	h := parts[len(parts)-2]
	if len(h) != 12 {
		return false
	}
	return strings.Trim(h, "0123456789abcdef") == ""
}
