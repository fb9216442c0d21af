// Command sitebuild writes tokenlab's static site: bundled and minified
// scripts and styles, hashed asset names, rewritten references and
// precompressed copies (see internal/sitebuild).
//
// Usage:
//
//	sitebuild -out site/build -version v1 site .build/engine
package main

import (
	"flag"
	"fmt"
	"os"

	"tokenlab/internal/sitebuild"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "sitebuild:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("sitebuild", flag.ContinueOnError)
	out := flags.String("out", "site/build", "output directory (emptied first, hidden files kept)")
	version := flags.String("version", "dev", "release string substituted for "+sitebuild.VersionPlaceholder)
	cache := flags.String("cache", "", "directory that keeps compressed copies between builds")
	bundle := flags.Bool("bundle", true, "bundle and minify the pages' scripts and styles (-bundle=false serves the sources as they are, for development)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() == 0 {
		return fmt.Errorf("name at least one source directory")
	}
	m, err := sitebuild.Build(sitebuild.Options{Sources: flags.Args(), Out: *out, Version: *version, CacheDir: *cache, Bundle: *bundle})
	if err != nil {
		return err
	}
	fmt.Printf("sitebuild: wrote %d assets to %s (version %s)\n", len(m.Assets), *out, m.Version)
	return nil
}
