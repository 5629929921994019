// Command worker is the page's Web Worker, compiled to WebAssembly: it runs
// the exact solver and the computer's players away from the page's thread,
// so that the board never freezes while they search, and keeps them out of
// app.wasm, which loads it only when first needed.
//
// The page starts it with new Worker("worker.js"): a few lines that load the
// toolchain's wasm_exec.js and run worker.wasm. It then posts {type:
// "ready"}, and answers each message of the page, one at a time and in order
// (see package frontend/internal/worker for the questions):
//
//	page → worker: {id: 7, kind: "analyze", moves: "4453"}
//	               {id: 8, kind: "think", moves: "4453", level: "perfect"}
//	               {id: 9, kind: "memory"}
//	worker → page: {id: 7, scores: [-2, 1, …, -128]}
//	               {id: 8, column: 3}
//	               {id: 9, bytes: 36634624}
//	               {id: 10, error: "…"}
//	               {id: 11, error: "analysis: too early…", scores: [-127, 1, …]}
//
// The last is an analysis cut short (worker.ErrTooHard): its scores are the
// columns it could score, -127 (analysis.Unknown) or -126
// (analysis.NotBetter) for the others.
//
// A worker that cannot start or stops posts {type: "error", error: "…"}
// from worker.js. Build it with
//
//	GOOS=js GOARCH=wasm go build -o backend/internal/static/dist/worker.wasm ./frontend/cmd/worker
package main
