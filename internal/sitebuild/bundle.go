package sitebuild

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// The bundler works on the site in memory, under these virtual directories.
const (
	virtualSrc = "/site"
	virtualOut = "/out"
)

var (
	// moduleScript finds a page's module entry point.
	moduleScript = regexp.MustCompile(`<script type="module" src="([^"]+)"></script>`)
	// modulePreload finds a modulepreload hint and the end of its line.
	modulePreload = regexp.MustCompile(`<link rel="modulepreload" href="[^"]+">[ \t]*\n?`)
	// wholeLineComment finds a comment that fills its lines, and
	// htmlComment any other.
	wholeLineComment = regexp.MustCompile(`(?ms)^[ \t]*<!--.*?-->[ \t]*\n`)
	htmlComment      = regexp.MustCompile(`(?s)<!--.*?-->`)
	// importScriptsCall finds a classic worker's import of one script.
	importScriptsCall = regexp.MustCompile(`importScripts\("([^"]+)"\);`)
)

// bundle replaces the pages' module graphs with minified esbuild bundles,
// in place in files: every module entry point of a page (a <script
// type="module">) and the stable entry points other sites import keep their
// names, code they share goes into chunks, and dynamic imports stay lazy.
// Each page gets modulepreload hints for exactly the chunks its entry point
// imports statically. The source modules stay in files, unbundled, so that
// each remains importable on its own; nothing the pages load refers to them.
// Classic scripts are minified, with the scripts a worker imports inlined;
// style sheets are minified, and pages lose their comments.
func bundle(files map[string][]byte) error {
	entries, err := moduleEntries(files)
	if err != nil {
		return err
	}
	graph, err := buildModules(files, entries)
	if err != nil {
		return err
	}
	sources := maps.Clone(files)
	for _, name := range sortedKeys(sources) {
		data := sources[name]
		if strings.HasSuffix(name, ".html") {
			files[name] = preloadChunks(name, htmlComment.ReplaceAll(wholeLineComment.ReplaceAll(data, nil), nil), graph)
			continue
		}
		if graph.inputs[name] || graph.outputs[name] != nil {
			continue
		}
		var loader api.Loader
		switch path.Ext(name) {
		case ".js":
			loader = api.LoaderJS
			data = inlineImportedScripts(name, data, sources)
		case ".css":
			loader = api.LoaderCSS
		default:
			continue
		}
		min, err := minify(name, data, loader)
		if err != nil {
			return err
		}
		files[name] = min
	}
	for name, out := range graph.outputs {
		files[name] = out.contents
	}
	return nil
}

// moduleEntries lists the module entry points: each page's module scripts
// and the stable module URLs that other sites import.
func moduleEntries(files map[string][]byte) ([]string, error) {
	set := map[string]bool{}
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range moduleScript.FindAllSubmatch(data, -1) {
			entry := resolveRef(name, string(m[1]))
			if _, ok := files[entry]; !ok {
				return nil, fmt.Errorf("sitebuild: %s loads the module %s, which is not in the site", name, m[1])
			}
			set[entry] = true
		}
	}
	for name := range files {
		if isStable(name) && strings.HasSuffix(name, ".js") && name != "sw.js" {
			set[name] = true
		}
	}
	return sortedKeys(set), nil
}

// moduleGraph is what the bundler wrote.
type moduleGraph struct {
	// outputs maps each output's site name to its content and imports.
	outputs map[string]*output
	// inputs holds every source module that went into a bundle.
	inputs map[string]bool
}

type output struct {
	contents []byte
	// static lists the chunks this output imports statically.
	static []string
}

// buildModules bundles entries, which keep their names, reading every
// module from files.
func buildModules(files map[string][]byte, entries []string) (*moduleGraph, error) {
	virtual := make([]string, len(entries))
	for i, e := range entries {
		virtual[i] = path.Join(virtualSrc, e)
	}
	site := api.Plugin{Name: "tokenlab-site", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
			p := args.Path
			if args.Kind != api.ResolveEntryPoint {
				if !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") && !strings.HasPrefix(p, "/") {
					return api.OnResolveResult{}, fmt.Errorf("%s imports %q: modules of the site import each other by relative path only", strings.TrimPrefix(args.Importer, virtualSrc+"/"), p)
				}
				if strings.HasPrefix(p, "/") {
					p = path.Join(virtualSrc, p)
				} else {
					p = path.Join(path.Dir(args.Importer), p)
				}
			}
			if _, ok := files[strings.TrimPrefix(p, virtualSrc+"/")]; !ok {
				return api.OnResolveResult{}, fmt.Errorf("%s imports %q, which is not in the site", strings.TrimPrefix(args.Importer, virtualSrc+"/"), args.Path)
			}
			return api.OnResolveResult{Path: p}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
			contents := string(files[strings.TrimPrefix(args.Path, virtualSrc+"/")])
			return api.OnLoadResult{Contents: &contents, Loader: api.LoaderJS}, nil
		})
	}}
	res := api.Build(api.BuildOptions{
		EntryPoints:       virtual,
		AbsWorkingDir:     "/",
		Outdir:            virtualOut,
		Outbase:           virtualSrc,
		EntryNames:        "[dir]/[name]",
		ChunkNames:        "[name]-[hash]",
		Bundle:            true,
		Splitting:         true,
		Format:            api.FormatESModule,
		Target:            api.ESNext,
		MinifyWhitespace:  true,
		MinifySyntax:      true,
		MinifyIdentifiers: true,
		Charset:           api.CharsetUTF8,
		Metafile:          true,
		Plugins:           []api.Plugin{site},
		LogLevel:          api.LogLevelSilent,
	})
	if err := messages("bundling the modules", res.Errors); err != nil {
		return nil, err
	}
	var meta struct {
		Outputs map[string]struct {
			Imports []struct {
				Path string `json:"path"`
				Kind string `json:"kind"`
			} `json:"imports"`
			Inputs map[string]json.RawMessage `json:"inputs"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal([]byte(res.Metafile), &meta); err != nil {
		return nil, fmt.Errorf("sitebuild: reading esbuild's metafile: %w", err)
	}
	g := &moduleGraph{outputs: map[string]*output{}, inputs: map[string]bool{}}
	outName := func(p string) string { return strings.TrimPrefix("/"+p, virtualOut+"/") }
	for p, o := range meta.Outputs {
		out := &output{}
		for _, imp := range o.Imports {
			if imp.Kind == "import-statement" {
				out.static = append(out.static, outName(imp.Path))
			}
		}
		for in := range o.Inputs {
			g.inputs[strings.TrimPrefix("/"+in, virtualSrc+"/")] = true
		}
		g.outputs[outName(p)] = out
	}
	for _, f := range res.OutputFiles {
		out := g.outputs[strings.TrimPrefix(f.Path, virtualOut+"/")]
		if out == nil {
			return nil, fmt.Errorf("sitebuild: esbuild wrote %s, which its metafile does not list", f.Path)
		}
		out.contents = f.Contents
	}
	return g, nil
}

// preloadChunks replaces a page's modulepreload hints with one per chunk
// that its module entry points import statically, directly or not, placed
// before the entry point's script.
func preloadChunks(page string, html []byte, g *moduleGraph) []byte {
	html = modulePreload.ReplaceAll(html, nil)
	return moduleScript.ReplaceAllFunc(html, func(tag []byte) []byte {
		src := string(moduleScript.FindSubmatch(tag)[1])
		entry := resolveRef(page, src)
		seen := map[string]bool{}
		var walk func(string)
		walk = func(name string) {
			out := g.outputs[name]
			if out == nil {
				return
			}
			for _, c := range out.static {
				if !seen[c] {
					seen[c] = true
					walk(c)
				}
			}
		}
		walk(entry)
		var b strings.Builder
		for _, c := range sortedKeys(seen) {
			fmt.Fprintf(&b, "<link rel=\"modulepreload\" href=\"%s\">\n", relativeTo(page, c))
		}
		b.Write(tag)
		return []byte(b.String())
	})
}

// relativeTo returns the reference from the file from to the site file to.
func relativeTo(from, to string) string {
	depth := strings.Count(from, "/")
	return strings.Repeat("../", depth) + to
}

// inlineImportedScripts replaces a classic worker's importScripts("x.js")
// of a site file by that file's text: one request fewer before the worker
// can start its work.
func inlineImportedScripts(name string, data []byte, files map[string][]byte) []byte {
	return importScriptsCall.ReplaceAllFunc(data, func(call []byte) []byte {
		target := resolveRef(name, string(importScriptsCall.FindSubmatch(call)[1]))
		body, ok := files[target]
		if !ok {
			return call
		}
		return append(append([]byte("\n"), body...), '\n')
	})
}

// minify minifies one classic script or style sheet.
func minify(name string, data []byte, loader api.Loader) ([]byte, error) {
	res := api.Transform(string(data), api.TransformOptions{
		Loader:            loader,
		Target:            api.ESNext,
		MinifyWhitespace:  true,
		MinifySyntax:      true,
		MinifyIdentifiers: true,
		Charset:           api.CharsetUTF8,
		Sourcefile:        name,
		LogLevel:          api.LogLevelSilent,
	})
	if err := messages("minifying "+name, res.Errors); err != nil {
		return nil, err
	}
	return res.Code, nil
}

// messages turns esbuild's errors into one error naming each place.
func messages(doing string, msgs []api.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	var lines []string
	for _, m := range msgs {
		where := ""
		if m.Location != nil {
			where = fmt.Sprintf("%s:%d:%d: ", strings.TrimPrefix(m.Location.File, virtualSrc+"/"), m.Location.Line, m.Location.Column)
		}
		lines = append(lines, where+m.Text)
	}
	sort.Strings(lines)
	return fmt.Errorf("sitebuild: %s: %s", doing, strings.Join(lines, "; "))
}
