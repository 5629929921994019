package sqlstore

import (
	"fmt"
	"testing"
)

// The filter never says "no" of an id it was given, across its growths, and
// says "maybe" of few others.
func TestIDs(t *testing.T) {
	var s ids
	const n = 5 * idsPerFilter // three filters
	for i := range n {
		s.add(fmt.Sprint("in", i))
	}
	if len(s.filters) != 3 {
		t.Errorf("%d filters for %d ids, want 3", len(s.filters), n)
	}
	for i := range n {
		if !s.mayHave(fmt.Sprint("in", i)) {
			t.Fatalf("mayHave(in%d) = false for an id added", i)
		}
	}
	maybe := 0
	for i := range n {
		if s.mayHave(fmt.Sprint("out", i)) {
			maybe++
		}
	}
	// About 1% a filter, three filters.
	if maybe > n*5/100 {
		t.Errorf("%d of %d ids never added said maybe", maybe, n)
	}
}
