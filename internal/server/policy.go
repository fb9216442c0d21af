package server

import "net/http"

// Content-Security-Policy values. The playground page may, on an explicit
// click, fetch an issuer's discovery document and JWKS over https
// (DESIGN.md); every other response may talk to its own origin only.
const (
	cspBase = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
		"style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; "
	// CSPMain is the policy of the playground page (index.html): https
	// connections for the opt-in issuer fetch, and no framing at all.
	CSPMain = cspBase + "connect-src 'self' https:; frame-ancestors 'none'"
	// CSPEmbed is the policy of the embed page (embed.html): frameable from
	// any origin, and able to reach nothing but its own origin.
	CSPEmbed = cspBase + "connect-src 'self'; frame-ancestors *"
	// CSPDefault is the policy of every other response — the embedding
	// guide (embed-docs.html), scripts, the worker, the engine, errors: its
	// own origin only, and never framed.
	CSPDefault = cspBase + "connect-src 'self'; frame-ancestors 'none'"
)

// A policy is the headers that say who may frame, open or load a response
// and what it may reach.
type policy struct {
	// csp is the Content-Security-Policy.
	csp string
	// frameOptions is X-Frame-Options, the older form of frame-ancestors
	// (RFC 7034), for clients that do not read the CSP; "" sends none.
	frameOptions string
	// ownWindow sends Cross-Origin-Opener-Policy: same-origin, so a page of
	// another origin that opened this one gets no handle on its window.
	ownWindow bool
	// anyOrigin lets pages of other origins load the file (CORS and CORP):
	// the <token-playground> element runs on documentation sites.
	anyOrigin bool
}

var (
	// playgroundPolicy: the main page is a top-level page only.
	playgroundPolicy = policy{csp: CSPMain, frameOptions: "DENY", ownWindow: true}
	// embedPolicy: any page may frame the embed view; no X-Frame-Options,
	// whose only values would forbid that.
	embedPolicy = policy{csp: CSPEmbed}
	// pagePolicy: a page of ours that no other origin needs to frame.
	pagePolicy = policy{csp: CSPDefault, frameOptions: "DENY", ownWindow: true}
	// assetPolicy: key-free scripts, styles, the worker and the engine, which
	// documentation sites of any origin load through the element.
	assetPolicy = policy{csp: CSPDefault, anyOrigin: true}
)

// policies maps the site's stable paths — the pages and the documented
// entry points, which sitebuild never renames — to their policy. Every
// other file is served under a content-hashed name that changes with each
// build, and gets assetPolicy. New refuses a site with an HTML page that is
// not in this table, so a new page cannot be framed or connect anywhere by
// accident.
var policies = map[string]policy{
	"/index.html":      playgroundPolicy,
	"/embed.html":      embedPolicy,
	"/embed-docs.html": pagePolicy,
	// The element is loaded as a module script by pages of any origin,
	// with the style sheet that reserves its height from the first paint.
	"/tokenlab-element.js":  assetPolicy,
	"/tokenlab-element.css": assetPolicy,
	// The API module, the service worker and the manifest it reads.
	"/tokenlab.js":         assetPolicy,
	"/sw.js":               assetPolicy,
	"/asset-manifest.json": assetPolicy,
}

// apply sets the policy's headers.
func (p policy) apply(hdr http.Header) {
	hdr.Set("Content-Security-Policy", p.csp)
	if p.frameOptions != "" {
		hdr.Set("X-Frame-Options", p.frameOptions)
	}
	if p.ownWindow {
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
	}
	if p.anyOrigin {
		hdr.Set("Access-Control-Allow-Origin", "*")
		hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")
	}
}
