package server

import (
	"net/http"
	"time"
)

// NewHTTPServer wraps h in an http.Server with the timeouts and limits a
// public static host needs: slow or oversized request headers cannot pin
// connections or memory.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}
