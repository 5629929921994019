package sqlstore_test

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
)

// benchMatches is how many matches BenchmarkAppend appends to at once, as
// the closed loop's 100 games do.
const benchMatches = 100

// BenchmarkAppend measures Append under concurrency: about benchMatches
// goroutines, each appending Moved records one at a time at its own match's
// next position, as the matches of a busy server do. The SQLite store
// appends each to its journal (and folds the journal into the database every
// foldEvery, which a run may or may not include); the memory store, the
// reference, shows what the store costs without durability. An op is one
// Append of one record.
func BenchmarkAppend(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		s := open(b, b.TempDir(), session.Lifetimes{})
		benchAppend(b, s)
	})
	b.Run("memory", func(b *testing.B) {
		benchAppend(b, session.NewMemStore(session.Lifetimes{}))
	})
}

func benchAppend(b *testing.B, s session.Store) {
	ctx := b.Context()
	per := (benchMatches + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	goroutines := per * runtime.GOMAXPROCS(0)
	ids := make([]string, goroutines)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench%d", i)
		if err := s.Create(ctx, session.Header{ID: ids[i], Mode: "hotseat", Token: "t" + ids[i], Conn: "a/c"}); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	b.SetParallelism(per)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := ids[next.Add(1)-1]
		for at := 0; pb.Next(); at++ {
			if err := s.Append(ctx, id, at, session.Record{Op: session.Moved, Column: at % 7}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
