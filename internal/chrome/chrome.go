// Package chrome starts Debian's headless Chromium for tokenlab's browser
// tests and benchmarks, with the flags this environment needs: no sandbox
// when running as root, no background networking (the machine's network is
// closed), and a fresh profile per browser.
package chrome

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// DefaultPath is where Debian's chromium package installs the browser.
const DefaultPath = "/usr/bin/chromium"

// ServicesSink is where the browser's own background services are sent:
// the discard port on loopback, so they never leave the machine and never
// count as the page's requests (see Request.BrowserInternal).
const ServicesSink = "http://127.0.0.1:9/"

// Path returns the browser to drive: $CHROMIUM when set, else DefaultPath.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return DefaultPath
}

// ErrNoBrowser reports that Chromium is not installed; tests fail with it
// rather than skip, so CI cannot pass without running them.
var ErrNoBrowser = errors.New("chrome: Chromium is not installed; run `make browser-deps` (installs Debian's chromium as root) or set CHROMIUM=/path/to/chromium")

// NewAllocator returns a context that launches a new headless Chromium with a
// fresh temporary profile. Cancel it to stop the browser.
func NewAllocator(parent context.Context, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc, error) {
	path := Path()
	if _, err := exec.LookPath(path); err != nil {
		return nil, nil, fmt.Errorf("%w (looked for %s)", ErrNoBrowser, path)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.DisableGPU,
		chromedp.NoSandbox,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-component-extensions-with-background-pages", true),
		chromedp.Flag("disable-features", "AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,DialMediaRouteProvider,PrivacySandboxSettings4,LensOverlay"),
		chromedp.Flag("bwsi", true),
		// Chromium's own services (sign-in, component updates) would
		// otherwise call Google even with the flags above; point them at a
		// dead loopback port so the recording proxy sees only the page.
		chromedp.Flag("gaia-url", ServicesSink),
		chromedp.Flag("component-updater", "url-source="+ServicesSink),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := chromedp.NewExecAllocator(parent, append(opts, extra...)...)
	return ctx, cancel, nil
}
