//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tokenlab/internal/engine"
)

// docExample is one ```js block of docs/API.md with the heading above it.
type docExample struct {
	heading, code string
}

// docExamples returns the ```js blocks of docs/API.md, in order.
func docExamples(t *testing.T) []docExample {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "API.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []docExample
	heading := ""
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(line, "#") {
			heading = strings.TrimSpace(strings.TrimLeft(line, "#"))
		}
		if line != "```js" {
			continue
		}
		var code []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			code = append(code, lines[i])
		}
		out = append(out, docExample{heading: heading, code: strings.Join(code, "\n")})
	}
	return out
}

// staticImport is the documented way to get the API in a module.
var staticImport = regexp.MustCompile(`(?m)^import \{ tokenlab \} from "(/tokenlab\.js)";$`)

// docsShim is installed in the page before the examples run. window.__docs
// wraps the API object an example uses: a method the page's tokenlab.js
// does not expose yet (the engine has it, and docs/API.md documents it) is
// sent to a second engine worker of the built site, speaking the worker's
// protocol, so that the reference can be checked before the page wires
// the method up. window.__docsFallbacks lists the methods that needed it.
const docsShim = `(() => {
  const engineMethods = %s;
  let fallback;
  function worker() {
    fallback ??= (async () => {
      const manifest = await (await fetch("/asset-manifest.json")).json();
      const w = new Worker("/" + manifest.assets["worker.js"]);
      await new Promise((resolve, reject) => {
        w.addEventListener("message", (e) => e.data.type === "ready" ? resolve() : e.data.type === "failed" && reject(new Error(e.data.message)), { once: true });
      });
      return w;
    })();
    return fallback;
  }
  let nextId = 1;
  // post sends one call; the worker takes the arguments either as a JSON
  // array (results and errors come back as values) or as its JSON text
  // (results and errors come back as JSON text).
  async function post(method, args, asText) {
    const w = await worker();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const listen = (e) => {
        if (e.data.id !== id) return;
        w.removeEventListener("message", listen);
        let { result, error } = e.data;
        if (typeof result === "string") result = JSON.parse(result);
        if (typeof error === "string") error = JSON.parse(error);
        if (error) reject(Object.assign(new Error(error.message), { name: "TokenlabError", code: error.code }));
        else resolve(result);
      };
      w.addEventListener("message", listen);
      w.postMessage({ id, method, args: asText ? JSON.stringify(args) : args });
    });
  }
  async function call(method, args) {
    window.__docsFallbacks.add(method);
    try {
      return await post(method, args, true);
    } catch (e) {
      if (e.code === "bad_request" && /must be a JSON array/.test(e.message)) return post(method, args, false);
      throw e;
    }
  }
  window.__docsFallbacks = new Set();
  window.__docs = (api) => new Proxy(api, {
    get(target, prop, receiver) {
      if (prop in target || typeof prop !== "string" || !engineMethods.includes(prop)) return Reflect.get(target, prop, receiver);
      return (...args) => call(prop, args);
    },
  });
  return true;
})()`

// consoleLog finds a console.log call and the comment after it that shows
// what it prints.
var consoleLog = regexp.MustCompile(`console\.log\(`)

// expectedValues reads the comment after a console.log: the JSON values it
// starts with, separated by spaces ("EC" "P-256" true), up to the first
// text that is not JSON ("(the release string)"); undefined reads as null,
// as the page reports it.
func expectedValues(comment string) []any {
	dec := json.NewDecoder(strings.NewReader(regexp.MustCompile(`\bundefined\b`).ReplaceAllString(comment, "null")))
	var out []any
	for {
		var v any
		if dec.Decode(&v) != nil {
			return out
		}
		out = append(out, v)
	}
}

// matches compares a logged value with the documented one; a documented
// string ending in "…" is a prefix.
func matches(got, want any) bool {
	if w, ok := want.(string); ok && strings.HasSuffix(w, "…") {
		g, ok := got.(string)
		return ok && strings.HasPrefix(g, strings.TrimSpace(strings.TrimSuffix(w, "…")))
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	return string(g) == string(w)
}

// TestAPIDocExamples runs every ```js example of docs/API.md, in order, in
// the playground page: each must finish without throwing and without a
// console error, and each console.log must print the values its comment
// shows. An example may import the API as the documentation shows
// (import { tokenlab } from "/tokenlab.js") or use window.tokenlab.
func TestAPIDocExamples(t *testing.T) {
	examples := docExamples(t)
	if len(examples) < 12 {
		t.Fatalf("docs/API.md has %d ```js examples; every method has one", len(examples))
	}
	methods, err := json.Marshal(engine.New(engine.Options{}).MethodNames())
	if err != nil {
		t.Fatal(err)
	}
	page := NewPage(t)
	page.Open("/")
	page.Eval(fmt.Sprintf(docsShim, methods))
	for i, ex := range examples {
		t.Run(fmt.Sprintf("%02d %s", i+1, ex.heading), func(t *testing.T) {
			lines := strings.Split(ex.code, "\n")
			want := map[int][]any{}
			for n, line := range lines {
				if !consoleLog.MatchString(line) {
					continue
				}
				lines[n] = consoleLog.ReplaceAllString(line, fmt.Sprintf("__log(%d, ", n))
				if _, comment, ok := strings.Cut(line, "); // "); ok && len(expectedValues(comment)) > 0 {
					want[n] = expectedValues(comment)
				}
			}
			code := strings.Join(lines, "\n")
			prelude := "const __logs = []; const __log = (line, ...values) => { __logs.push({ line, values: values.map((v) => v === undefined ? null : v) }); console.log(...values); };\n" +
				"const tokenlab = window.__docs(window.tokenlab);\n"
			if staticImport.MatchString(code) {
				prelude = strings.SplitAfter(prelude, "\n")[0]
				code = staticImport.ReplaceAllString(code, `const tokenlab = window.__docs((await import("$1")).tokenlab);`)
			}
			expr := "(async () => {\n" + prelude + code + "\nreturn __logs;\n})().then((logs) => ({ ok: true, logs }), (e) => ({ ok: false, error: String(e && e.stack || e) }))"
			var res struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
				Logs  []struct {
					Line   int   `json:"line"`
					Values []any `json:"values"`
				} `json:"logs"`
			}
			if err := json.Unmarshal(page.For(t).Eval(expr), &res); err != nil {
				t.Fatal(err)
			}
			if !res.OK {
				t.Fatalf("the example threw: %s\n%s", res.Error, ex.code)
			}
			checked := 0
			for _, log := range res.Logs {
				for i, w := range want[log.Line] {
					checked++
					if i >= len(log.Values) || !matches(log.Values[i], w) {
						t.Errorf("line %d: %s\nprints %s; the comment says value %d is %s", log.Line+1, strings.TrimSpace(strings.Split(ex.code, "\n")[log.Line]), mustMarshal(log.Values), i+1, mustMarshal(w))
						break
					}
				}
			}
			if checked == 0 && len(want) > 0 {
				t.Errorf("no documented value was printed: %d console.log lines have comments", len(want))
			}
		})
	}
	var fallbacks []string
	if err := json.Unmarshal(page.Eval(`[...window.__docsFallbacks]`), &fallbacks); err != nil {
		t.Fatal(err)
	}
	if len(fallbacks) > 0 {
		t.Logf("the page's tokenlab.js does not expose %q yet; these examples ran against the engine through a second worker", fallbacks)
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
