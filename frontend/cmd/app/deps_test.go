//go:build !js

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The packages that only the page's Web Worker may hold (frontend/cmd/worker):
// the solver's search, the computer's players, the opening book.
var workerOnly = []string{
	"github.com/connect4go/connect4/frontend/internal/worker",
	"github.com/connect4go/connect4/shared/bot",
	"github.com/connect4go/connect4/shared/solver/book",
}

// wasmEnv is the environment of a build for the browser.
func wasmEnv() []string {
	return append(os.Environ(), "GOOS=js", "GOARCH=wasm")
}

// The search of shared/solver, which the page imports for its types (and
// may use its small helpers such as Scores.Best): its functions must not be
// linked into app.wasm.
var search = []string{
	"github.com/connect4go/connect4/shared/solver.(*Solver)",
	"github.com/connect4go/connect4/shared/solver.(*table)",
	"github.com/connect4go/connect4/shared/solver.New",
}

// TestWorkerOnlyPackages checks that app.wasm does not grow with the
// solver: the page imports none of the worker's packages, and none of the
// solver's search is linked in.
func TestWorkerOnlyPackages(t *testing.T) {
	list := exec.Command("go", "list", "-deps", ".")
	list.Env = wasmEnv()
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, p := range workerOnly {
		for _, d := range deps {
			if d == p {
				t.Errorf("the page imports %s", p)
			}
		}
	}

	// The symbols of an unstripped build name every function linked in.
	wasm := filepath.Join(t.TempDir(), "app.wasm")
	build := exec.Command("go", "build", "-o", wasm, ".")
	build.Env = wasmEnv()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(wasm)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range workerOnly {
		if bytes.Contains(data, []byte(p+".")) {
			t.Errorf("app.wasm holds functions of %s", p)
		}
	}
	for _, f := range search {
		if bytes.Contains(data, []byte(f)) {
			t.Errorf("app.wasm holds the solver's search: %s", f)
		}
	}
}
