// Command serve serves the tokenlab playground on a loopback address.
//
// It embeds the built site (run `make build` first, or use `make serve`) and
// sends the headers documented in internal/server: precompressed variants,
// immutable caching for hashed assets and a strict Content-Security-Policy.
//
// Usage:
//
//	serve [-addr 127.0.0.1:8080] [-dir path/to/built/site]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"tokenlab/internal/server"
	"tokenlab/site"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on (host:port)")
	dir := flags.String("dir", "", "serve this built site directory instead of the embedded one (for development)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	var files fs.FS = site.Files()
	if *dir != "" {
		files = os.DirFS(*dir)
	}
	handler, err := server.New(files)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s: the port is already in use (another tokenlab?); choose another with -addr or `make serve ADDR=127.0.0.1:8081`", *addr)
		}
		return fmt.Errorf("cannot listen on %s: %w", *addr, err)
	}
	srv := server.NewHTTPServer(handler)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Printf("tokenlab is serving at http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}
