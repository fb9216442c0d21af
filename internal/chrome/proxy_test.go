package chrome

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestProxyForwardsLoopbackAndRefusesTheRest(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", r.Header.Get("Accept-Encoding"))
		io.WriteString(w, "hello from loopback")
	}))
	defer backend.Close()
	p, err := StartProxy()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	proxyURL, _ := url.Parse(p.URL())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), DisableCompression: true}}

	mark := p.Mark()
	req, _ := http.NewRequest(http.MethodGet, backend.URL+"/a", nil)
	req.Header.Set("Accept-Encoding", "br")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello from loopback" || resp.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("forwarded response = %q (%s), want the backend's, with the browser's Accept-Encoding passed through", body, resp.Header.Get("Content-Encoding"))
	}
	for _, foreign := range []string{"http://example.com/steal?token=x", "https://example.com/"} {
		resp, err := client.Get(foreign)
		if err == nil {
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s → %d, want 403", foreign, resp.StatusCode)
			}
			resp.Body.Close()
		}
	}
	got := p.Since(mark)
	if len(got) != 3 {
		t.Fatalf("recorded %d requests, want 3: %+v", len(got), got)
	}
	if got[0].Foreign || got[0].Bytes != int64(len("hello from loopback")) || got[0].Encoding != "br" || got[0].Status != 200 {
		t.Errorf("loopback request recorded as %+v", got[0])
	}
	if !got[1].Foreign || got[1].URL != "http://example.com/steal?token=x" {
		t.Errorf("plain foreign request recorded as %+v", got[1])
	}
	if !got[2].Foreign || got[2].Method != http.MethodConnect || got[2].URL != "https://example.com:443" {
		t.Errorf("HTTPS foreign request recorded as %+v", got[2])
	}
}

func TestProxyTunnelsHTTPSToLoopbackOnly(t *testing.T) {
	backend := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello over TLS")
	}))
	defer backend.Close()
	p, err := StartProxy()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	proxyURL, _ := url.Parse(p.URL())
	transport := backend.Client().Transport.(*http.Transport).Clone()
	transport.Proxy = http.ProxyURL(proxyURL)
	client := &http.Client{Transport: transport}

	mark := p.Mark()
	resp, err := client.Get(backend.URL + "/keys")
	if err != nil {
		t.Fatalf("GET through the tunnel: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello over TLS" {
		t.Fatalf("tunnelled response = %q, want the backend's", body)
	}
	if resp, err := client.Get("https://example.com/"); err == nil {
		resp.Body.Close()
		t.Error("an HTTPS request to example.com went through")
	}
	got := p.Since(mark)
	if len(got) != 2 {
		t.Fatalf("recorded %d requests, want 2: %+v", len(got), got)
	}
	if got[0].Foreign || got[0].Method != http.MethodConnect || got[0].URL != backend.URL || got[0].Status != http.StatusOK {
		t.Errorf("the loopback tunnel was recorded as %+v, want CONNECT %s, not foreign", got[0], backend.URL)
	}
	if !got[1].Foreign || got[1].URL != "https://example.com:443" {
		t.Errorf("the foreign CONNECT was recorded as %+v", got[1])
	}
}
