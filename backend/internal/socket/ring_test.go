package socket

import (
	"slices"
	"testing"
)

// Each member is visited once a round, a new one only after a whole round,
// and a removed one no more.
func TestRing(t *testing.T) {
	r := newRing[int](3)
	visit := func() []int {
		got := r.visit(nil)
		slices.Sort(got)
		return got
	}
	steps := []struct {
		name string
		do   func()
		want []int // what the next visit finds
	}{
		{"empty", func() {}, nil},
		{"1 joins the slot visited last", func() { r.add(1) }, nil},
		{"a round later", func() {}, nil},
		{"its turn", func() {}, []int{1}},
		{"2 joins the slot of 1", func() { r.add(2) }, nil},
		{"3 joins the next", func() { r.add(3) }, nil},
		{"1 and 2, a round after 1's last", func() {}, []int{1, 2}},
		{"3", func() {}, []int{3}},
		{"2 leaves, twice; 3 joins again", func() { r.remove(2); r.remove(2); r.add(3) }, nil},
		{"1 alone", func() {}, []int{1}},
		{"3 once", func() {}, []int{3}},
	}
	for _, s := range steps {
		s.do()
		if got := visit(); !slices.Equal(got, s.want) {
			t.Fatalf("%s: visit found %v, want %v", s.name, got, s.want)
		}
	}
	all := r.all(nil)
	slices.Sort(all)
	if !slices.Equal(all, []int{1, 3}) || r.len() != 2 {
		t.Errorf("all %v, len %d; want [1 3], 2", all, r.len())
	}
}
