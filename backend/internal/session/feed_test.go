package session_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
)

// busyFollower is a Follower that is busy with its first news until the test
// lets it go, and writes down what it is told: "at:columns" for Appended
// (each record a Moved whose Column numbers it), "resync" for Resync.
type busyFollower struct {
	busy, free chan struct{}

	mu   sync.Mutex
	told []string
}

func (f *busyFollower) tell(s string) {
	f.mu.Lock()
	f.told = append(f.told, s)
	first := len(f.told) == 1
	f.mu.Unlock()
	if first {
		f.busy <- struct{}{}
		<-f.free
	}
}

func (f *busyFollower) Appended(at int, recs []session.Record) {
	columns := make([]int, len(recs))
	for i, r := range recs {
		columns[i] = r.Column
	}
	f.tell(fmt.Sprintf("%d:%v", at, columns))
}

func (f *busyFollower) Resync() { f.tell("resync") }

// recs returns the records from position at to end, each numbered by its
// Column.
func recs(at, end int) []session.Record {
	var rs []session.Record
	for i := at; i < end; i++ {
		rs = append(rs, session.Record{Op: session.Moved, Column: i})
	}
	return rs
}

// The news that comes while the follower is busy is handed over at once:
// records that follow one another, repeated or not, in one call, so that a
// match behind sends its clients one batch (see TestCatchUpInOneBatch).
func TestFeedHandsNewsAtOnce(t *testing.T) {
	type news struct{ at, end int } // at -1: a resync
	run := make([]news, 0, 19)
	for at := 1; at < 20; at++ {
		run = append(run, news{at, at + 1})
	}
	tests := []struct {
		name string
		news []news // while the follower is busy with 0:[0]
		want []string
	}{
		{"a run", run, []string{"1:[1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19]"}},
		{"repeated and overlapping", []news{{1, 3}, {1, 2}, {2, 4}, {3, 4}}, []string{"1:[1 2 3]"}},
		{"a gap", []news{{1, 2}, {3, 4}, {4, 5}}, []string{"1:[1]", "3:[3 4]"}},
		{"a resync between", []news{{1, 2}, {-1, 0}, {2, 3}}, []string{"1:[1]", "resync", "2:[2]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &busyFollower{busy: make(chan struct{}), free: make(chan struct{})}
			feed := session.NewFeed(f)
			feed.Appended(0, recs(0, 1))
			<-f.busy
			for _, n := range tt.news {
				if n.at < 0 {
					feed.Resync()
				} else {
					feed.Appended(n.at, recs(n.at, n.end))
				}
			}
			close(f.free)
			want := append([]string{"0:[0]"}, tt.want...)
			deadline := time.Now().Add(5 * time.Second)
			for {
				f.mu.Lock()
				told := slices.Clone(f.told)
				f.mu.Unlock()
				if len(told) >= len(want) || time.Now().After(deadline) {
					if !slices.Equal(told, want) {
						t.Errorf("the follower was told %q, want %q", told, want)
					}
					return
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
}
