//go:build browser

package e2e

import (
	"fmt"
	"testing"
)

// TestLongSession runs 2000 mixed operations in one page — decode,
// explain, verify (valid and tampered), mint, malformed input, bad keys —
// plus a handful of key generations, the way a person poking at tokens for
// an afternoon would. Every answer is checked, the engine still answers
// afterwards, and the Go heap (tokenlab.stats(), runtime.MemStats) stays
// bounded: after the warm-up round, the live heap and the heap obtained
// from the browser grow by no more than a fixed allowance however many
// operations run.
func TestLongSession(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	var hasStats bool
	mustDecode(t, p.Eval(`typeof window.tokenlab.stats === "function"`), &hasStats)
	if !hasStats {
		t.Fatal("tokenlab.stats() is missing: the engine has a stats method (internal/engine/stats.go) but site/tokenlab.js does not list it")
	}

	const rounds = 10
	const perRound = 200 // operations per round: 2000 in all
	var res struct {
		Ops       int      `json:"ops"`
		Keygens   int      `json:"keygens"`
		Errors    []string `json:"errors"`
		Heap      []uint64 `json:"heap"`
		HeapSys   []uint64 `json:"heapSys"`
		Goroutine []int    `json:"goroutines"`
		Seconds   float64  `json:"seconds"`
		Last      string   `json:"last"`
	}
	mustDecode(t, p.Eval(fmt.Sprintf(`(async () => {
		const tl = window.tokenlab;
		const t0 = performance.now();
		const errors = [], heap = [], heapSys = [], goroutines = [];
		const fail = (what) => { if (errors.length < 10) errors.push(what); };
		let ops = 0, keygens = 0;
		const algs = ["ES256", "EdDSA", "HS256", "ES384", "RS256"];
		let key = await tl.generateKey({ alg: "ES256" }); keygens++;
		let minted = await tl.mint({ kind: "id_token", key });
		for (let round = 0; round < %d; round++) {
			if (round %% 2 === 0) {
				key = await tl.generateKey({ alg: algs[(round / 2) %% algs.length] }); keygens++;
			}
			for (let i = 0; i < %d; i++, ops++) {
				try {
					switch (i %% 8) {
					case 0:
						minted = await tl.mint({ kind: i %% 16 ? "id_token" : "access_token", key, claims: { n: ops } });
						if (minted.payload.n !== ops) fail("mint lost claim n at op " + ops);
						break;
					case 1: {
						const d = await tl.decode(minted.token);
						if (d.payload.n === undefined) fail("decode lost claims at op " + ops);
						break;
					}
					case 2: {
						const e = await tl.explain(minted.token);
						if (!e.claims.length) fail("explain returned no claims at op " + ops);
						break;
					}
					case 3: {
						const v = await tl.verify(minted.token, { key });
						if (!v.checks.find((c) => c.id === "signature" && c.ok)) fail("verify rejected a good signature at op " + ops + ": " + JSON.stringify(v.checks));
						break;
					}
					case 4: {
						const [h, pl, s] = minted.token.split(".");
						const tampered = h + "." + pl.slice(0, -2) + (pl.endsWith("A") ? "BA" : "AA") + "." + s;
						const v = await tl.verify(tampered, { key });
						if (v.valid) fail("verify accepted a tampered token at op " + ops);
						break;
					}
					case 5:
						try { await tl.decode("eyJhbGciOiJIUzI1NiJ9.not-base64!." + ops); fail("decode accepted garbage at op " + ops); }
						catch (e) { if (e.code !== "malformed") fail("garbage → " + e.code + " at op " + ops); }
						break;
					case 6:
						try { await tl.verify(minted.token, { key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" }); fail("verify accepted a broken key at op " + ops); }
						catch (e) { if (e.code !== "bad_key") fail("bad key → " + e.code + ": " + e.message + " at op " + ops); }
						break;
					case 7:
						try { await tl.mint({ kind: "id_token" }); fail("mint without a key succeeded at op " + ops); }
						catch (e) { if (e.code !== "bad_request") fail("mint without key → " + e.code + " at op " + ops); }
						break;
					}
				} catch (e) {
					fail("op " + ops + " (" + (i %% 8) + ") threw " + e.code + ": " + e.message);
				}
			}
			const s = await tl.stats();
			heap.push(s.heapAlloc); heapSys.push(s.heapSys); goroutines.push(s.goroutines);
		}
		const last = (await tl.decode(minted.token)).header.alg;
		return { ops, keygens, errors, heap, heapSys, goroutines, seconds: (performance.now() - t0) / 1000, last };
	})()`, rounds, perRound)), &res)

	t.Logf("%d operations and %d key generations in %.1f s; heapAlloc per round %v; heapSys %v; goroutines %v",
		res.Ops, res.Keygens, res.Seconds, res.Heap, res.HeapSys, res.Goroutine)
	if res.Ops != rounds*perRound {
		t.Errorf("ran %d operations, want %d", res.Ops, rounds*perRound)
	}
	for _, e := range res.Errors {
		t.Error(e)
	}
	if res.Last == "" {
		t.Error("the engine no longer decodes after the session")
	}
	if len(res.Heap) != rounds {
		t.Fatalf("got %d heap samples, want %d", len(res.Heap), rounds)
	}
	// Bounded: after the first round (caches, the catalog, the runtime
	// warming up) the heap obtained from the browser may grow by at most
	// 32 MiB over the remaining 1800 operations, and the goroutine count
	// does not grow with the number of calls.
	const allowance = 32 << 20
	if grow := int64(res.HeapSys[rounds-1]) - int64(res.HeapSys[0]); grow > allowance {
		t.Errorf("the Go heap obtained from the browser grew by %d MiB after warm-up (allowance %d MiB): %v", grow>>20, allowance>>20, res.HeapSys)
	}
	var maxLive uint64
	for _, h := range res.Heap {
		maxLive = max(maxLive, h)
	}
	if maxLive > res.HeapSys[rounds-1] || maxLive > 256<<20 {
		t.Errorf("live heap peaked at %d MiB", maxLive>>20)
	}
	if res.Goroutine[rounds-1] > res.Goroutine[0]+4 {
		t.Errorf("goroutines grew from %d to %d: calls leak goroutines", res.Goroutine[0], res.Goroutine[rounds-1])
	}
}
