package sitebuild

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// bundledSite is a small site shaped like tokenlab's: two pages whose
// modules share the API module, a stable entry point other sites import, a
// lazily loaded module, a classic worker that imports the Go glue, and a
// style sheet.
var bundledSite = map[string]string{
	"index.html": `<!doctype html>
<!-- a comment that names state.js -->
<link rel="stylesheet" href="app.css">
<script src="boot.js"></script>
<link rel="modulepreload" href="tokenlab.js">
<link rel="modulepreload" href="state.js"><!-- the store -->
<script type="module" src="app.js"></script>
<a href="embed.html">embed</a>`,
	"embed.html": `<!doctype html><script type="module" src="embed.js"></script>`,
	"app.css":    "/* the page */\nbody {\n  color: red;\n}\n",
	"boot.js":    "// starts the engine\nnew Worker(new URL(\"./worker.js\", document.currentScript.src));\n",
	"app.js": `import { tokenlab } from "./tokenlab.js";
import { Store } from "./state.js";
export const store = new Store(tokenlab);
document.addEventListener("click", () => import("./flow/lazy.js").then((m) => m.run()));`,
	"embed.js":     `import { tokenlab } from "./tokenlab.js"; console.log(tokenlab.version);`,
	"state.js":     `export class Store { constructor(api) { this.api = api; this.marker = "STATE_MODULE"; } }`,
	"flow/lazy.js": `import { tokenlab } from "../tokenlab.js"; export function run() { return ["LAZY_MODULE", tokenlab]; }`,
	"tokenlab.js": `const VERSION = "__TOKENLAB_VERSION__";
const WORKER_URL = new URL("./worker.js", import.meta.url);
export const tokenlab = { version: VERSION, worker: WORKER_URL, marker: "API_MODULE" };`,
	"tokenlab-element.js": `export class TokenPlayground extends HTMLElement {}`,
	"worker.js":           "importScripts(\"./wasm_exec.js\");\nfetch(new URL(\"./tokenlab.wasm\", self.location.href));\n",
	"sw.js":               `const ENTRY_POINTS = ["./app.js"];`,
}

func buildBundled(t *testing.T) (*Manifest, string) {
	t.Helper()
	src := writeTree(t, bundledSite)
	engine := writeTree(t, map[string]string{
		"tokenlab.wasm": strings.Repeat("\x00asm", 100),
		"wasm_exec.js":  "\"use strict\";\n(() => { globalThis.Go = class { GO_GLUE() {} }; })();\n",
	})
	out := filepath.Join(t.TempDir(), "out")
	m, err := Build(Options{Sources: []string{src, engine}, Out: out, Version: "v9", Bundle: true})
	if err != nil {
		t.Fatal(err)
	}
	return m, out
}

func TestBundleKeepsEntryPointsAndSharesModules(t *testing.T) {
	m, out := buildBundled(t)
	read := func(served string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, served))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	// What the pages load: every file the precache list names.
	loaded := map[string]string{}
	for _, served := range m.Precache {
		loaded[served] = read(served)
	}
	count := func(marker string) (n int) {
		for _, body := range loaded {
			n += strings.Count(body, marker)
		}
		return n
	}
	// One copy of each module among what the pages load: the API module
	// must be one instance for app.js, embed.js, the lazy module and
	// sites importing tokenlab.js.
	for _, marker := range []string{"API_MODULE", "STATE_MODULE", "LAZY_MODULE", "GO_GLUE"} {
		if n := count(marker); n != 1 {
			t.Errorf("%s appears %d times in what the pages load, want once", marker, n)
		}
	}
	app := read(m.Assets["app.js"])
	if strings.Contains(app, "state.js") || strings.Contains(app, "STATE_MODULE") == false {
		t.Errorf("app.js does not carry the store's code itself:\n%s", app)
	}
	if !regexp.MustCompile(`import\("\./lazy-[A-Z0-9]+\.[0-9a-f]{12}\.js"\)`).MatchString(app + strings.Join(slices.Collect(mapValues(loaded)), "\n")) {
		t.Errorf("the lazy module is not a chunk loaded with import():\n%s", app)
	}
	if !strings.Contains(strings.Join(slices.Collect(mapValues(loaded)), "\n"), `"v9"`) {
		t.Error("the version was not substituted in the bundles")
	}
	if got := read("tokenlab.js"); !strings.Contains(got, "export") || !strings.Contains(got, "chunk-") {
		t.Errorf("the stable tokenlab.js should re-export the shared chunk, got:\n%s", got)
	}

	// The page preloads exactly the chunks app.js imports statically, with
	// their served names, and none of the modules the bundle absorbed.
	index := read("index.html")
	preloads := regexp.MustCompile(`<link rel="modulepreload" href="([^"]+)">`).FindAllStringSubmatch(index, -1)
	if len(preloads) == 0 {
		t.Fatalf("index.html preloads nothing:\n%s", index)
	}
	for _, p := range preloads {
		if _, ok := loaded[p[1]]; !ok || !strings.HasPrefix(p[1], "chunk-") {
			t.Errorf("index.html preloads %s, which is not a chunk the build wrote", p[1])
		}
		if !strings.Contains(app, `"./`+p[1]+`"`) {
			t.Errorf("index.html preloads %s, which app.js does not import", p[1])
		}
	}
	if strings.Contains(index, "<!--") || strings.Contains(index, "state") {
		t.Errorf("index.html keeps its comments or a preload of an absorbed module:\n%s", index)
	}

	// Classic scripts: minified, the worker with the Go glue inlined.
	worker := read(m.Assets["worker.js"])
	if strings.Contains(worker, "importScripts") || !strings.Contains(worker, "GO_GLUE") || !strings.Contains(worker, m.Assets["tokenlab.wasm"]) {
		t.Errorf("the worker should carry the glue and name the hashed engine:\n%s", worker)
	}
	if boot := read(m.Assets["boot.js"]); strings.Contains(boot, "//") && strings.Contains(boot, "starts the engine") {
		t.Errorf("boot.js was not minified:\n%s", boot)
	}
	if css := read(m.Assets["app.css"]); strings.Contains(css, "/*") || strings.Contains(css, "\n  ") {
		t.Errorf("app.css was not minified:\n%s", css)
	}

	// The source modules stay importable on their own, but the precache
	// list leaves them and the inlined glue out.
	for _, name := range []string{"state.js", "flow/lazy.js", "wasm_exec.js"} {
		served, ok := m.Assets[name]
		if !ok {
			t.Errorf("%s is not in the manifest", name)
			continue
		}
		if slices.Contains(m.Precache, served) {
			t.Errorf("%s (%s) is precached although no page loads it", name, served)
		}
	}
	if !strings.Contains(read(m.Assets["state.js"]), "STATE_MODULE") {
		t.Error("the unbundled state.js lost its code")
	}
	for _, want := range []string{"index.html", "embed.html", "tokenlab.js", "tokenlab-element.js", "sw.js", m.Assets["tokenlab.wasm"], m.Assets["worker.js"], m.Assets["app.css"]} {
		if !slices.Contains(m.Precache, want) {
			t.Errorf("%s is not precached: %v", want, m.Precache)
		}
	}
}

func TestBundleIsDeterministic(t *testing.T) {
	a, _ := buildBundled(t)
	b, _ := buildBundled(t)
	if !slices.Equal(a.Precache, b.Precache) {
		t.Errorf("two builds of the same sources differ:\n%v\n%v", a.Precache, b.Precache)
	}
}

func TestBundleRefusesBareImports(t *testing.T) {
	src := writeTree(t, map[string]string{
		"index.html": `<script type="module" src="app.js"></script>`,
		"app.js":     `import { x } from "lodash";`,
	})
	_, err := Build(Options{Sources: []string{src}, Out: t.TempDir(), Bundle: true})
	if err == nil || !strings.Contains(err.Error(), "relative path") {
		t.Fatalf("a bare import: err = %v, want one saying modules import by relative path", err)
	}
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, k := range sortedKeys(m) {
			if !yield(m[k]) {
				return
			}
		}
	}
}
