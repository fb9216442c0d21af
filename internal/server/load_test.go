package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

// These tests run the handler behind the real net/http server (the one
// NewHTTPServer configures) on a loopback port, as an exposed static host
// would: load, slow and oversized headers, methods, traversal, HEAD and
// Range, and graceful shutdown. Every loop is bounded in count and time.

// bigAsset stands in for the engine: about 1 MiB that does not compress.
var bigAsset = func() []byte {
	b := make([]byte, 1<<20)
	rand.Read(b)
	return b
}()

func loadSite(t *testing.T) fstest.MapFS {
	s := testSite(t)
	s["tokenlab.fedcba987654.wasm"] = &fstest.MapFile{Data: bigAsset}
	return s
}

// startReal serves h with srv's settings on 127.0.0.1 and returns the base
// URL; the server is closed when the test ends.
func startReal(t *testing.T, srv *http.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func realHandler(t *testing.T) *Handler {
	t.Helper()
	h, err := New(loadSite(t))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// rawRequest sends request text as is (no client-side path cleaning) and
// returns the status code and body.
func rawRequest(t *testing.T, addr, request string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", request, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServerLimitsAreConfigured(t *testing.T) {
	srv := NewHTTPServer(http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("ReadHeaderTimeout = %v, want a few seconds", srv.ReadHeaderTimeout)
	}
	if srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Errorf("timeouts read %v write %v idle %v: all must be set", srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	if srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 64<<10 {
		t.Errorf("MaxHeaderBytes = %d, want a small bound", srv.MaxHeaderBytes)
	}
}

// TestLoadAllAssets has concurrent clients fetch every asset, with the
// encodings browsers ask for, for a fixed time: zero errors, every body
// complete.
func TestLoadAllAssets(t *testing.T) {
	h := realHandler(t)
	base := startReal(t, NewHTTPServer(h))
	var paths []string
	for p := range h.files {
		paths = append(paths, p)
	}
	paths = append(paths, "/")
	encodings := []string{"gzip, deflate, br, zstd", "gzip", "", "identity"}

	const clients = 8
	const duration = 2 * time.Second
	var requests, failures atomic.Int64
	var mu sync.Mutex
	var firstErrors []string
	fail := func(format string, args ...any) {
		failures.Add(1)
		mu.Lock()
		defer mu.Unlock()
		if len(firstErrors) < 5 {
			firstErrors = append(firstErrors, fmt.Sprintf(format, args...))
		}
	}
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 2}}
			defer client.CloseIdleConnections()
			for i := c; time.Now().Before(deadline); i++ {
				p := paths[i%len(paths)]
				req, _ := http.NewRequest(http.MethodGet, base+p, nil)
				if enc := encodings[i%len(encodings)]; enc != "" {
					req.Header.Set("Accept-Encoding", enc)
				}
				requests.Add(1)
				resp, err := client.Do(req)
				if err != nil {
					fail("GET %s: %v", p, err)
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					fail("GET %s: %d after %d bytes: %v", p, resp.StatusCode, n, err)
					continue
				}
				if resp.ContentLength >= 0 && n != resp.ContentLength {
					fail("GET %s: %d of %d bytes", p, n, resp.ContentLength)
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d clients, %v: %d requests, %d errors", clients, duration, requests.Load(), failures.Load())
	if failures.Load() != 0 {
		t.Errorf("%d of %d requests failed; first: %v", failures.Load(), requests.Load(), firstErrors)
	}
	if requests.Load() < clients*10 {
		t.Errorf("only %d requests in %v: the server is far too slow", requests.Load(), duration)
	}
}

// TestSlowHeaderClientsTimeOut opens many connections that never finish
// their headers (slowloris). The server keeps answering other clients
// meanwhile and closes the slow connections after ReadHeaderTimeout. The
// timeout is shortened here to keep the test quick; its production value
// is checked by TestServerLimitsAreConfigured.
func TestSlowHeaderClientsTimeOut(t *testing.T) {
	srv := NewHTTPServer(realHandler(t))
	srv.ReadHeaderTimeout = 300 * time.Millisecond
	base := startReal(t, srv)
	addr := strings.TrimPrefix(base, "http://")

	const slow = 64
	conns := make([]net.Conn, 0, slow)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range slow {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "GET /index.html HTTP/1.1\r\nHost: tokenlab\r\nX-Slow: ")
		conns = append(conns, c)
	}

	// Others are served while the slow clients hold their connections.
	start := time.Now()
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(base + "/index.html")
	if err != nil {
		t.Fatalf("a normal client was not served while %d slow clients waited: %v", slow, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || time.Since(start) > time.Second {
		t.Errorf("a normal client got %d after %v", resp.StatusCode, time.Since(start))
	}

	// Every slow connection is closed by the server shortly after the
	// header timeout.
	closed := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		_, err := io.ReadAll(c) // returns at EOF when the server hangs up
		if err == nil {
			closed++
		}
	}
	if closed != slow {
		t.Errorf("the server closed %d of %d slow-header connections within 3 s", closed, slow)
	}
	if time.Since(start) > 4*time.Second {
		t.Errorf("closing the slow connections took %v", time.Since(start))
	}
}

func TestOversizedHeadersGet431(t *testing.T) {
	base := startReal(t, NewHTTPServer(realHandler(t)))
	addr := strings.TrimPrefix(base, "http://")
	huge := strings.Repeat("a", 64<<10)
	code, _ := rawRequest(t, addr, "GET /index.html HTTP/1.1\r\nHost: tokenlab\r\nCookie: "+huge+"\r\n\r\n")
	if code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 64 KiB header → %d, want 431", code)
	}
	many := strings.Repeat("X-A: b\r\n", 4000)
	code, _ = rawRequest(t, addr, "GET /index.html HTTP/1.1\r\nHost: tokenlab\r\n"+many+"\r\n")
	if code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("4000 header lines → %d, want 431", code)
	}
	// The server is still fine.
	if code, _ := rawRequest(t, addr, "GET /index.html HTTP/1.1\r\nHost: tokenlab\r\nConnection: close\r\n\r\n"); code != http.StatusOK {
		t.Errorf("after oversized requests, GET → %d", code)
	}
}

func TestRealServerMethods(t *testing.T) {
	base := startReal(t, NewHTTPServer(realHandler(t)))
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions, "TRACE", "PROPFIND"} {
		req, _ := http.NewRequest(m, base+"/index.html", strings.NewReader(`{"token":"eyJ..."}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s → %d, Allow %q; want 405 with Allow: GET, HEAD", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}

// TestRealServerTraversal sends raw request lines, so that neither the
// client nor a proxy cleans the path first.
func TestRealServerTraversal(t *testing.T) {
	base := startReal(t, NewHTTPServer(realHandler(t)))
	addr := strings.TrimPrefix(base, "http://")
	for _, target := range []string{
		"/../go.mod", "/../../../../etc/passwd", "/%2e%2e/go.mod", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/..%2f..%2fgo.mod",
		"/elements/../../go.mod", "/..\\go.mod", "/%5c..%5cgo.mod", "/\\etc\\passwd", "/%252e%252e/go.mod",
		"//etc/passwd", "/etc/passwd", "/C:/Windows/win.ini", "/c:%5cwindows%5cwin.ini", "/index.html%00.js",
		"/.%2e/go.mod", "/%c0%ae%c0%ae/go.mod", "http://tokenlab/../go.mod", "*", "../go.mod",
	} {
		code, body := rawRequest(t, addr, "GET "+target+" HTTP/1.1\r\nHost: tokenlab\r\nConnection: close\r\n\r\n")
		if code == http.StatusOK || strings.Contains(body, "module tokenlab") || strings.Contains(body, "root:") {
			t.Errorf("GET %s → %d %.60q: it must not serve anything outside the site", target, code, body)
		}
	}
}

func TestRealServerHeadAndRange(t *testing.T) {
	base := startReal(t, NewHTTPServer(realHandler(t)))
	const wasm = "/tokenlab.fedcba987654.wasm"
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	resp, err := client.Head(base + wasm)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) != 0 || resp.ContentLength != int64(len(bigAsset)) || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("HEAD → %d, %d body bytes, length %d, type %q", resp.StatusCode, len(body), resp.ContentLength, resp.Header.Get("Content-Type"))
	}

	for _, tc := range []struct {
		rng    string
		status int
		want   []byte
	}{
		{"bytes=0-3", http.StatusPartialContent, bigAsset[:4]},
		{"bytes=1048570-", http.StatusPartialContent, bigAsset[1048570:]},
		{"bytes=-5", http.StatusPartialContent, bigAsset[len(bigAsset)-5:]},
		{"bytes=2000000-2000010", http.StatusRequestedRangeNotSatisfiable, nil},
	} {
		req, _ := http.NewRequest(http.MethodGet, base+wasm, nil)
		req.Header.Set("Range", tc.rng)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || (tc.want != nil && !bytes.Equal(got, tc.want)) {
			t.Errorf("Range %s → %d with %d bytes, want %d with %d bytes", tc.rng, resp.StatusCode, len(got), tc.status, len(tc.want))
		}
	}
	// A multi-range request is answered as multipart/byteranges.
	req, _ := http.NewRequest(http.MethodGet, base+wasm, nil)
	req.Header.Set("Range", "bytes=0-1,10-11")
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !strings.HasPrefix(resp.Header.Get("Content-Type"), "multipart/byteranges") {
		t.Errorf("multi-range → %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestGracefulShutdownFinishesInFlight starts requests that are still
// being handled when Shutdown is called: each completes with its whole
// body, Shutdown returns once they are done, and new connections are
// refused afterwards.
func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	h := realHandler(t)
	entered := make(chan struct{}, 4)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		time.Sleep(400 * time.Millisecond) // a slow client link, in effect
		h.ServeHTTP(w, r)
	})
	srv := NewHTTPServer(slow)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()

	const inFlight = 4
	type result struct {
		status int
		n      int
		err    error
	}
	results := make(chan result, inFlight)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	for range inFlight {
		go func() {
			resp, err := client.Get(base + "/tokenlab.fedcba987654.wasm")
			if err != nil {
				results <- result{err: err}
				return
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			results <- result{resp.StatusCode, len(b), err}
		}()
	}
	for range inFlight {
		<-entered
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Errorf("Shutdown returned after %v, before the in-flight requests could finish", time.Since(start))
	}
	for range inFlight {
		r := <-results
		if r.err != nil || r.status != http.StatusOK || r.n != len(bigAsset) {
			t.Errorf("an in-flight request ended with %d, %d of %d bytes, %v", r.status, r.n, len(bigAsset), r.err)
		}
	}
	if err := <-served; err != http.ErrServerClosed {
		t.Errorf("Serve returned %v, want ErrServerClosed", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("the server still accepts connections after Shutdown")
	}
}
