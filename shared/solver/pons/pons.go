// Package pons loads Pascal Pons' Connect Four benchmark positions for
// tests and benchmarks (the solver's, and the page worker's sample of the
// server's scores), from shared/solver/testdata/pons (see the README.md
// there).
package pons

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Sets lists the six benchmark files, easiest first.
var Sets = []string{"Test_L3_R1", "Test_L2_R1", "Test_L2_R2", "Test_L1_R1", "Test_L1_R2", "Test_L1_R3"}

// ErrNoData is returned when the benchmark files cannot be found.
var ErrNoData = errors.New("pons: benchmark data not found")

// Case is one line of a benchmark file.
type Case struct {
	Line  int    // from 1
	Moves string // columns played, digits 1 to 7
	Score int    // the exact score for the side to move
}

// Dir returns the directory holding the benchmark files, shared/solver/testdata/pons:
// found from this source file, so from any package's test, or, when the binary
// was built with -trimpath, as testdata/pons relative to the working directory
// (which go test sets to the package directory: right for shared/solver).
func Dir() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Join(filepath.Dir(file), "..", "testdata", "pons")
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	return filepath.Join("testdata", "pons")
}

// Load reads the benchmark file called name, one of Sets.
func Load(name string) ([]Case, error) {
	f, err := os.Open(filepath.Join(Dir(), name))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoData, err)
	}
	defer f.Close()
	var cases []Case
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		moves, score, ok := strings.Cut(sc.Text(), " ")
		n, err := strconv.Atoi(score)
		if !ok || err != nil {
			return nil, fmt.Errorf("pons: %s line %d: want \"<moves> <score>\", got %q", name, line, sc.Text())
		}
		cases = append(cases, Case{Line: line, Moves: moves, Score: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("pons: %s: %w", name, err)
	}
	return cases, nil
}
