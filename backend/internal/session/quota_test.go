package session

import (
	"testing"
	"time"
)

func TestQuota(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	type step struct {
		op       string // take, park, open, release
		from, id string
		at       int // seconds: the time of a take, the end of a park
		want     bool
	}
	tests := []struct {
		name  string
		max   int
		steps []step
	}{
		{"up to the limit, per address", 2, []step{
			{"take", "a", "1", 0, true}, {"take", "a", "2", 0, true}, {"take", "a", "3", 0, false},
			{"take", "b", "4", 0, true},
		}},
		{"an ended match frees its place", 1, []step{
			{"take", "a", "1", 0, true}, {"take", "a", "2", 0, false},
			{"release", "", "1", 0, false}, {"take", "a", "2", 0, true},
		}},
		{"a match let go counts until the Store forgets it", 1, []step{
			{"take", "a", "1", 0, true}, {"park", "", "1", 60, false},
			{"take", "a", "2", 59, false}, {"take", "a", "2", 60, true},
		}},
		{"a match loaded again counts while open", 1, []step{
			{"take", "a", "1", 0, true}, {"park", "", "1", 60, false}, {"open", "", "1", 0, false},
			{"take", "a", "2", 3600, false},
			{"release", "", "1", 0, false}, {"take", "a", "2", 3600, true},
		}},
		{"no limit", -1, []step{
			{"take", "a", "1", 0, true}, {"take", "a", "2", 0, true},
		}},
		{"no address, no limit", 1, []step{
			{"take", "", "1", 0, true}, {"take", "", "2", 0, true},
		}},
		{"addresses that never come back are forgotten", 1, []step{
			{"take", "a", "1", 0, true}, {"park", "", "1", 60, false},
			{"take", "b", "2", 120, true},
			{"count", "a", "", 0, false},
		}},
		{"unknown ids are ignored", 1, []step{
			{"park", "", "x", 10, false}, {"open", "", "x", 0, false}, {"release", "", "x", 0, false},
			{"take", "a", "1", 0, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQuota(tt.max)
			for i, s := range tt.steps {
				switch s.op {
				case "take":
					if got := q.take(s.from, s.id, at(s.at)); got != s.want {
						t.Fatalf("step %d: take(%s, %s) = %v, want %v", i, s.from, s.id, got, s.want)
					}
				case "park":
					q.park(s.id, at(s.at))
				case "open":
					q.open(s.id)
				case "release":
					q.release(s.id)
				case "count":
					if _, ok := q.held[s.from]; ok != s.want {
						t.Fatalf("step %d: %s held %v, want %v", i, s.from, ok, s.want)
					}
				}
			}
			for from, ids := range q.held {
				for id := range ids {
					if q.owner[id] != from {
						t.Errorf("match %s held by %s, owned by %q", id, from, q.owner[id])
					}
				}
			}
		})
	}
}
