package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
)

// wasmReport is what a Go WebAssembly binary spends its bytes on: section
// sizes, and code bytes per Go package from the function-name section (build
// without -s to keep it). It answers "what dominates the engine?" the way
// `go tool nm -size` does for native binaries, which it cannot read.
type wasmReport struct {
	Total    int            `json:"total"`
	Sections map[string]int `json:"sections"`
	// Packages maps a Go package path to the bytes of its function bodies.
	Packages map[string]int `json:"packages"`
	// bodies holds each package's function bodies, concatenated, to
	// estimate what the package costs after brotli.
	bodies map[string][]byte
}

var sectionNames = map[byte]string{0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}

// analyzeWasm reads a wasm module and attributes its code to packages.
func analyzeWasm(path string) (*wasmReport, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 8 || !bytes.Equal(data[:4], []byte("\x00asm")) {
		return nil, fmt.Errorf("%s is not a WebAssembly module", path)
	}
	rep := &wasmReport{Total: len(data), Sections: map[string]int{}, Packages: map[string]int{}, bodies: map[string][]byte{}}
	r := bytes.NewReader(data[8:])
	var imported int
	var bodies [][]byte
	names := map[int]string{}
	for r.Len() > 0 {
		id, _ := r.ReadByte()
		size, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(r, body); err != nil {
			return nil, err
		}
		name := sectionNames[id]
		sr := bytes.NewReader(body)
		switch id {
		case 0:
			n, _ := readName(sr)
			name = "custom:" + n
			if n == "name" {
				parseFuncNames(sr, names)
			}
		case 2:
			imported, err = countFuncImports(sr)
			if err != nil {
				return nil, err
			}
		case 10:
			count, _ := binary.ReadUvarint(sr)
			for range count {
				n, _ := binary.ReadUvarint(sr)
				b := make([]byte, n)
				io.ReadFull(sr, b)
				bodies = append(bodies, b)
			}
		}
		rep.Sections[name] += int(size)
	}
	for i, b := range bodies {
		pkg := packageOf(names[imported+i])
		rep.Packages[pkg] += len(b)
		rep.bodies[pkg] = append(rep.bodies[pkg], b...)
	}
	return rep, nil
}

func readName(r *bytes.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r, b)
	return string(b), err
}

func countFuncImports(r *bytes.Reader) (int, error) {
	count, _ := binary.ReadUvarint(r)
	funcs := 0
	for range count {
		readName(r)
		readName(r)
		kind, _ := r.ReadByte()
		switch kind {
		case 0: // func: type index
			binary.ReadUvarint(r)
			funcs++
		case 1: // table: elemtype + limits
			r.ReadByte()
			readLimits(r)
		case 2: // memory
			readLimits(r)
		case 3: // global: valtype + mut
			r.ReadByte()
			r.ReadByte()
		default:
			return 0, errors.New("unknown import kind")
		}
	}
	return funcs, nil
}

func readLimits(r *bytes.Reader) {
	flag, _ := r.ReadByte()
	binary.ReadUvarint(r)
	if flag&1 != 0 {
		binary.ReadUvarint(r)
	}
}

func parseFuncNames(r *bytes.Reader, names map[int]string) {
	for r.Len() > 0 {
		sub, _ := r.ReadByte()
		size, _ := binary.ReadUvarint(r)
		if sub != 1 {
			r.Seek(int64(size), io.SeekCurrent)
			continue
		}
		count, _ := binary.ReadUvarint(r)
		for range count {
			idx, _ := binary.ReadUvarint(r)
			n, _ := readName(r)
			names[int(idx)] = n
		}
	}
}

// packageOf maps a function name from the wasm name section to its Go
// package. The linker writes package paths with '/', '.' and '-' replaced by
// '_' ("crypto_x509.(*Certificate).Verify" is written
// "crypto_x509.__Certificate_.Verify"), keeping the dot of a module's domain
// ("github.com_go_jose_go_jose_v4.…").
func packageOf(sym string) string {
	if sym == "" {
		return "(unnamed)"
	}
	for _, p := range []string{"type_.eq.", "type_.hash.", "go_"} {
		sym = strings.TrimPrefix(sym, p)
	}
	start := 0
	for _, domain := range []string{"github.com_", "golang.org_", "gopkg.in_", "go.opentelemetry.io_"} {
		if strings.HasPrefix(sym, domain) {
			start = len(domain)
		}
	}
	dot := strings.Index(sym[start:], ".")
	if dot < 0 {
		return sym
	}
	return strings.ReplaceAll(sym[:start+dot], "_", "/")
}

// printWasmReport writes the largest sections and packages.
func printWasmReport(w io.Writer, rep *wasmReport, top int) {
	fmt.Fprintf(w, "%s: %d bytes\n", "total", rep.Total)
	for _, kv := range sortedDesc(rep.Sections) {
		fmt.Fprintf(w, "  section %-22s %9d\n", kv.k, kv.v)
	}
	fmt.Fprintf(w, "code by package (top %d; br = its function bodies alone with brotli, an estimate of its share of the download):\n", top)
	for i, kv := range sortedDesc(rep.Packages) {
		if i == top {
			break
		}
		fmt.Fprintf(w, "  %-52s %9d   br≈%8d\n", kv.k, kv.v, brotliSize(rep.bodies[kv.k]))
	}
}

type kv struct {
	k string
	v int
}

func sortedDesc(m map[string]int) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].v > out[j].v || out[i].v == out[j].v && out[i].k < out[j].k })
	return out
}

func brotliSize(b []byte) int {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: 9, LGWin: 22})
	w.Write(b)
	w.Close()
	return buf.Len()
}
