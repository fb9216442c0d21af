package chrome

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// Request is one request the browser sent through a Proxy.
type Request struct {
	Method string
	URL    string
	Status int
	// Bytes is the size of the response body as transferred (after
	// content coding), the figure a user's network would carry.
	Bytes int64
	// Encoding is the response's Content-Encoding.
	Encoding string
	// Foreign reports a request for anything but a loopback address; the
	// proxy refuses it and records it.
	Foreign bool
}

// Proxy is a recording HTTP proxy that the browser is made to use for every
// request, from pages, workers and service workers alike (the DevTools
// network events of a page do not show its workers' requests). Requests to
// loopback addresses are forwarded, and an HTTPS CONNECT to a loopback
// address is tunnelled (its requests are encrypted, so only the tunnel's
// origin is recorded); anything else is refused and recorded as foreign.
// Use it as an independent witness that nothing leaves the machine and to
// count transferred bytes.
type Proxy struct {
	ln        net.Listener
	srv       *http.Server
	transport *http.Transport

	mu  sync.Mutex
	log []Request
}

// StartProxy starts a Proxy on a loopback port.
func StartProxy() (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		ln: ln,
		// No compression of its own: the browser's Accept-Encoding goes
		// through unchanged and the encoded body comes back untouched.
		transport: &http.Transport{Proxy: nil, DisableCompression: true, MaxIdleConnsPerHost: 16},
	}
	p.srv = &http.Server{Handler: p}
	go p.srv.Serve(ln)
	return p, nil
}

// URL returns the proxy's address for Chromium's --proxy-server flag.
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// Close stops the proxy.
func (p *Proxy) Close() error {
	p.transport.CloseIdleConnections()
	return p.srv.Close()
}

// Requests returns every request recorded so far, in order.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.log...)
}

// Mark returns a position in the log; Since(mark) returns what came after.
func (p *Proxy) Mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.log)
}

// Since returns the requests recorded after mark.
func (p *Proxy) Since(mark int) []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	if mark > len(p.log) {
		mark = len(p.log)
	}
	return append([]Request(nil), p.log[mark:]...)
}

func (p *Proxy) record(r Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = append(p.log, r)
}

// ServeHTTP forwards loopback requests and refuses the rest.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	if !isLoopback(r.URL.Hostname()) {
		p.record(Request{Method: r.Method, URL: r.URL.String(), Status: http.StatusForbidden, Foreign: true})
		http.Error(w, "tokenlab test proxy: no requests leave this machine", http.StatusForbidden)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	for _, h := range []string{"Proxy-Connection", "Proxy-Authorization", "Connection", "Keep-Alive", "Te", "Trailer", "Upgrade"} {
		out.Header.Del(h)
	}
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		p.record(Request{Method: r.Method, URL: r.URL.String(), Status: http.StatusBadGateway})
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	n, _ := io.Copy(w, resp.Body)
	p.record(Request{Method: r.Method, URL: r.URL.String(), Status: resp.StatusCode, Bytes: n, Encoding: resp.Header.Get("Content-Encoding")})
}

// tunnel serves a CONNECT: to a loopback address (an HTTPS server a test
// started) it relays the encrypted bytes both ways and records the
// tunnel's origin; anything else is refused and recorded as foreign.
func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	origin := "https://" + r.Host
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil || !isLoopback(host) {
		p.record(Request{Method: r.Method, URL: origin, Status: http.StatusForbidden, Foreign: true})
		http.Error(w, "tokenlab test proxy: no connections leave this machine", http.StatusForbidden)
		return
	}
	upstream, err := net.Dial("tcp", r.Host)
	if err != nil {
		p.record(Request{Method: r.Method, URL: origin, Status: http.StatusBadGateway})
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer upstream.Close()
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "tokenlab test proxy: cannot tunnel", http.StatusInternalServerError)
		return
	}
	client, buffered, err := hijacker.Hijack()
	if err != nil {
		return
	}
	defer client.Close()
	p.record(Request{Method: r.Method, URL: origin, Status: http.StatusOK})
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	relay := func(dst io.Writer, src io.Reader) {
		io.Copy(dst, src)
		done <- struct{}{}
	}
	go relay(upstream, buffered)
	go relay(client, upstream)
	<-done // either side closing ends the tunnel
}

// BrowserInternal reports a request of the browser's own services,
// redirected to ServicesSink, rather than of a page.
func (r Request) BrowserInternal() bool {
	return strings.HasPrefix(r.URL, ServicesSink)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Flags makes a browser send every request, loopback included, through p.
func (p *Proxy) Flags() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ProxyServer(p.URL()),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
	}
}
