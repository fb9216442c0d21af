package engine

import (
	"encoding/json"
	"runtime"
)

// Stats is the engine's memory use as Go's runtime reports it, so a long
// session can prove that memory stays bounded (runtime.MemStats).
type Stats struct {
	// HeapAlloc is the bytes of live and not yet collected heap objects.
	HeapAlloc uint64 `json:"heapAlloc"`
	// HeapSys is the heap memory obtained from the host (for js/wasm: the
	// part of the WebAssembly memory the heap spans).
	HeapSys uint64 `json:"heapSys"`
	// Sys is all memory obtained from the host.
	Sys uint64 `json:"sys"`
	// NumGC counts completed garbage collections.
	NumGC uint32 `json:"numGC"`
	// Goroutines is the number of goroutines, which must not grow with
	// the number of calls.
	Goroutines int `json:"goroutines"`
}

// stats: stats() → {heapAlloc, heapSys, sys, numGC, goroutines}. It takes
// no arguments and reads the runtime's counters without forcing a GC.
func (e *Engine) stats(args []json.RawMessage) (any, error) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return Stats{HeapAlloc: m.HeapAlloc, HeapSys: m.HeapSys, Sys: m.Sys, NumGC: m.NumGC, Goroutines: runtime.NumGoroutine()}, nil
}
