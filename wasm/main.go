//go:build js && wasm

// Command wasm is tokenlab's WebAssembly entry point: a thin syscall/js
// bridge that hands JSON between the worker (site/worker.js) and
// internal/engine. It owns no logic, recovers every panic, and never exits.
package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"tokenlab/internal/engine"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	eng := engine.New(engine.Options{})
	api := js.Global().Get("Object").New()
	api.Set("version", version)
	api.Set("call", wrap(func(args []js.Value) (string, error) {
		if len(args) != 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
			return "", &engine.Error{Code: engine.CodeBadRequest, Message: "call(method, argsJSON) takes two strings"}
		}
		out, err := eng.Call(args[0].String(), []byte(args[1].String()))
		return string(out), err
	}))
	// The worker defines tokenlabStarted before running the program and
	// resolves its readiness promise with the API object.
	js.Global().Call("tokenlabStarted", api)
	select {}
}

// wrap adapts fn to a JavaScript function returning a Promise. fn runs in a
// goroutine so the worker's event loop is never blocked by a callback (a
// blocked js.FuncOf can deadlock the Go scheduler). A panic becomes a
// rejection with code "internal"; the program keeps serving.
func wrap(fn func(args []js.Value) (string, error)) js.Func {
	promise := js.Global().Get("Promise")
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		var executor js.Func
		executor = js.FuncOf(func(_ js.Value, settle []js.Value) any {
			resolve, reject := settle[0], settle[1]
			go func() {
				defer executor.Release()
				result, err := safely(fn, args)
				if err != nil {
					reject.Invoke(errorJSON(err))
					return
				}
				resolve.Invoke(result)
			}()
			return nil
		})
		return promise.New(executor)
	})
}

func safely(fn func(args []js.Value) (string, error), args []js.Value) (result string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &engine.Error{Code: engine.CodeInternal, Message: fmt.Sprintf("tokenlab's bridge hit a bug (%v); the engine is still running", r)}
		}
	}()
	return fn(args)
}

// errorJSON encodes err as {code, message} for the worker.
func errorJSON(err error) string {
	e, ok := err.(*engine.Error)
	if !ok {
		e = &engine.Error{Code: engine.CodeInternal, Message: err.Error()}
	}
	out, _ := json.Marshal(e)
	return string(out)
}
