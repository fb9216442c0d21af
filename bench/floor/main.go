//go:build js && wasm

// Command floor is the smallest Go WebAssembly program that starts like
// tokenlab's engine: it announces itself to its worker and waits. `make
// bench` builds it with the engine's flags and serves it with the product
// server's headers, so its start-up time is the floor any Go WASM engine
// pays (download, compile, Go runtime init) and tokenlab's ready time is
// read against it.
package main

import "syscall/js"

func main() {
	js.Global().Call("floorStarted", "floor")
	select {}
}
