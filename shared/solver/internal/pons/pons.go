// Package pons loads Pascal Pons' Connect Four benchmark positions for the
// solver's tests and benchmarks.
//
// The data files are not in the repository: they live in ../shared/data/pons
// beside the repository root (the directory holding go.work), or wherever the
// environment variable PONS_DATA points.
package pons

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// Dir returns the directory holding the benchmark files: $PONS_DATA if set,
// otherwise ../shared/data/pons relative to the first directory at or above the
// working directory that holds go.work.
func Dir() (string, error) {
	if dir := os.Getenv("PONS_DATA"); dir != "" {
		return dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNoData, err)
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			data := filepath.Join(dir, "..", "shared", "data", "pons")
			if _, err := os.Stat(data); err != nil {
				return "", fmt.Errorf("%w: %w (set PONS_DATA to the directory holding Test_L3_R1 and the others)", ErrNoData, err)
			}
			return data, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.work at or above %s (set PONS_DATA to the directory holding Test_L3_R1 and the others)", ErrNoData, wd)
		}
		dir = parent
	}
}

// Load reads the benchmark file called name, one of Sets.
func Load(name string) ([]Case, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, name))
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
