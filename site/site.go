// Package site holds tokenlab's static page sources and embeds the built
// site (site/build, written by `make build`) for cmd/serve.
//
// The build directory is committed with a placeholder so that `go build ./...`
// works on a fresh clone; until `make build` has run, Files holds no
// index.html and the server refuses to start with a message saying so.
package site

import (
	"embed"
	"io/fs"
)

//go:embed all:build
var build embed.FS

// Files returns the built site, rooted at its top directory.
func Files() fs.FS {
	sub, err := fs.Sub(build, "build")
	if err != nil {
		// fs.Sub fails only for an invalid directory name, a constant here.
		panic(err)
	}
	return sub
}
