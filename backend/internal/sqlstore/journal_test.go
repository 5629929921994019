package sqlstore

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/session/storetest"
	"github.com/connect4go/connect4/shared/protocol"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// The conformance suite again, with the journal folded in every
// millisecond: the reads meet folds half done.
func TestConformanceFoldingOften(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T, life session.Lifetimes) session.Store {
			s, err := open(t.TempDir(), life, quiet, time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		Invitations: true,
	})
}

// frame returns the bytes of a journal frame of reqs.
func frame(reqs ...*request) []byte {
	b := binary.AppendVarint(beginFrame(nil), time.Now().UnixMilli())
	for _, r := range reqs {
		b = appendChange(b, r)
	}
	return endFrame(b)
}

func create(id string) *request {
	return &request{op: 'c', id: id, head: session.Header{ID: id, Mode: "friends", Join: "j" + id, Token: "t" + id, Conn: "a/c",
		Clock: protocol.TimeControl{Base: 3 * time.Minute, Increment: 2 * time.Second}}}
}

func moves(id string, at, n int) *request {
	r := &request{op: 'a', id: id, at: at}
	for i := range n {
		r.recs = append(r.recs, session.Record{Op: session.Moved, Column: (at + i) % 7})
	}
	return r
}

func joined(id string, at int) *request {
	return &request{op: 'a', id: id, at: at, recs: []session.Record{{Op: session.Joined, Seat: 1, Token: "u" + id, Conn: "a/d"}}}
}

func drop(id string) *request { return &request{op: 'd', id: id} }

func TestFrames(t *testing.T) {
	a, b := frame(create("m"), moves("m", 0, 2)), frame(moves("m", 2, 1))
	whole := append(append([]byte{}, a...), b...)
	damaged := bytes.Clone(whole)
	damaged[len(damaged)-1] ^= 1
	long := bytes.Clone(whole[:len(a)])
	binary.LittleEndian.PutUint32(long, 1<<31)
	for _, c := range []struct {
		name  string
		data  []byte
		want  int // frames
		whole int // bytes
	}{
		{"empty", nil, 0, 0},
		{"two frames", whole, 2, len(whole)},
		{"the last cut short", whole[:len(whole)-1], 1, len(a)},
		{"only a header's first bytes left", whole[:len(a)+3], 1, len(a)},
		{"only a header left", whole[:len(a)+frameHeader], 1, len(a)},
		{"the last damaged", damaged, 1, len(a)},
		{"zeros after", append(bytes.Clone(whole), make([]byte, 20)...), 2, len(whole)},
		{"a length past the end", long, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs, n := frames(c.data)
			if len(fs) != c.want || n != c.whole {
				t.Errorf("frames = %d frames, %d bytes; want %d, %d", len(fs), n, c.want, c.whole)
			}
			var d decoder
			for _, f := range fs {
				if _, _, err := d.changes(f); err != nil {
					t.Errorf("changes: %v", err)
				}
			}
		})
	}
}

// Frames written to a segment, mapped or not, are read back whole, as a
// crash leaves it and once it is closed.
func TestJournal(t *testing.T) {
	for _, c := range []struct {
		name    string
		mapSize int64
	}{
		{"mapped", 0},
		{"mapped, then written past the mapping", 100},
		{"mapped too small for a frame", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			j := journal{dir: dir, n: 1, mapSize: c.mapSize}
			var want int64
			for i := range 10 {
				f := frame(moves("m", i, 1+i%3))
				if err := j.write(f); err != nil {
					t.Fatal(err)
				}
				want += int64(len(f))
			}
			check := func(when string) {
				t.Helper()
				fs, torn, err := readSegment(dir, 1)
				if err != nil || len(fs) != 10 || torn != 0 {
					t.Errorf("%s: %d frames, %d bytes torn, %v; want 10, 0", when, len(fs), torn, err)
				}
			}
			check("as a crash leaves it")
			if n := j.rotate(); n != 1 {
				t.Errorf("rotate = %d, want 1", n)
			}
			check("closed")
			if fi, err := os.Stat(segmentPath(dir, 1)); err != nil || fi.Size() != want {
				t.Errorf("closed segment: %v, %v; want %d bytes", fi, err, want)
			}
		})
	}
}

// segment writes segment n of dir, its frames one after the other, the
// last cut short by cut bytes.
func segment(t *testing.T, dir string, n int64, cut int, frames ...[]byte) {
	t.Helper()
	data := bytes.Join(frames, nil)
	if err := os.WriteFile(segmentPath(dir, n), data[:len(data)-cut], 0o640); err != nil {
		t.Fatal(err)
	}
}

// What a crash leaves in the journal is there after Open, once; a frame that
// was never written whole is not.
func TestRecovery(t *testing.T) {
	created := frame(create("m"), moves("m", 0, 2))
	for _, c := range []struct {
		name string
		// before writes the segments that a crash left, and may open and
		// close the store in between.
		before func(t *testing.T, dir string)
		recs   int  // records of m
		ended  bool // m ended
		token  bool // Find(TokenKey, "um") finds m
	}{
		{"one segment", func(t *testing.T, dir string) {
			segment(t, dir, 1, 0, created, frame(moves("m", 2, 1)))
		}, 3, false, false},
		{"a frame cut short", func(t *testing.T, dir string) {
			segment(t, dir, 1, 1, created, frame(moves("m", 2, 1)))
		}, 2, false, false},
		{"a frame with only its header", func(t *testing.T, dir string) {
			f := frame(moves("m", 2, 1))
			segment(t, dir, 1, len(f)-frameHeader, created, f)
		}, 2, false, false},
		{"two segments, the second joined then dropped", func(t *testing.T, dir string) {
			segment(t, dir, 1, 0, created)
			segment(t, dir, 2, 0, frame(joined("m", 2), moves("m", 3, 4)), frame(drop("m")))
		}, 7, true, false},
		{"joined, not dropped", func(t *testing.T, dir string) {
			segment(t, dir, 1, 0, created)
			segment(t, dir, 2, 0, frame(joined("m", 2), moves("m", 3, 4)))
		}, 7, false, true},
		{"a segment folded in but not removed (a crash between the two)", func(t *testing.T, dir string) {
			segment(t, dir, 1, 0, created)
			reopen(t, dir)
			segment(t, dir, 1, 0, created)
			segment(t, dir, 2, 0, frame(moves("m", 2, 1)))
		}, 3, false, false},
		{"a segment folded in twice", func(t *testing.T, dir string) {
			segment(t, dir, 1, 0, created, frame(joined("m", 2)))
			reopen(t, dir)
			segment(t, dir, 1, 0, created, frame(joined("m", 2)))
			forgetFolds(t, dir)
		}, 3, false, true},
		{"a segment of moves folded in twice", func(t *testing.T, dir string) {
			segment(t, dir, 1, 0, created)
			segment(t, dir, 2, 0, frame(moves("m", 2, 2)))
			reopen(t, dir)
			segment(t, dir, 2, 0, frame(moves("m", 2, 2)))
			forgetFolds(t, dir)
		}, 4, false, false},
		{"a segment folded in twice, after the match ended", func(t *testing.T, dir string) {
			segment(t, dir, 1, 0, created, frame(joined("m", 2)))
			segment(t, dir, 2, 0, frame(drop("m")))
			reopen(t, dir)
			segment(t, dir, 1, 0, created, frame(joined("m", 2)))
			forgetFolds(t, dir)
		}, 3, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			c.before(t, dir)
			s, err := Open(dir, session.Lifetimes{}, quiet)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if ns, err := segments(dir); err != nil || len(ns) != 0 {
				t.Errorf("segments left after Open: %v, %v", ns, err)
			}
			ctx := t.Context()
			load := s.Load
			if c.ended {
				load = func(ctx2 context.Context, id string, _ int) (session.Header, []session.Record, error) {
					return s.Archived(ctx2, id)
				}
			}
			h, recs, err := load(ctx, "m", 0)
			if err != nil || h != create("m").head || len(recs) != c.recs {
				t.Fatalf("load = %+v, %d records, %v; want %d records", h, len(recs), err, c.recs)
			}
			for i, rec := range recs {
				if rec.Op == session.Moved && rec.Column != i%7 {
					t.Errorf("record %d: %+v", i, rec)
				}
			}
			id, err := s.Find(ctx, session.TokenKey, "um")
			if found := err == nil && id == "m"; found != c.token {
				t.Errorf("Find(the joiner's token) = %q, %v; want found %v", id, err, c.token)
			}
			// What comes next goes to a new segment, and after it.
			if err := s.Append(ctx, "m", c.recs, session.Record{Op: session.Moved}); !c.ended && err != nil {
				t.Errorf("Append after recovery: %v", err)
			}
		})
	}
}

// reopen opens the store in dir, which folds its journal in, and closes it.
func reopen(t *testing.T, dir string) {
	t.Helper()
	s, err := Open(dir, session.Lifetimes{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// forgetFolds makes the database in dir forget which segments it folded
// in, so that they are folded in again.
func forgetFolds(t *testing.T, dir string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM meta`); err != nil {
		t.Fatal(err)
	}
}

// A store killed (SIGKILL) keeps every append it answered, folded in or
// not.
func TestKilled(t *testing.T) {
	const n = 100
	if dir := os.Getenv("SQLSTORE_KILLED_DIR"); dir != "" {
		s, err := open(dir, session.Lifetimes{}, quiet, 10*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Create(t.Context(), create("m").head); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := s.Append(t.Context(), "m", i, moves("m", i, 1).recs...); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Millisecond) // some folded in, some not
		}
		os.Stdout.WriteString("appended\n")
		select {} // until killed
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilled$")
	cmd.Env = append(os.Environ(), "SQLSTORE_KILLED_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	cmd.Process.Kill()
	cmd.Wait()
	if line != "appended\n" {
		t.Fatalf("the child said %q, %v", line, err)
	}
	s, err := Open(dir, session.Lifetimes{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, recs, err := s.Load(t.Context(), "m", 0)
	if err != nil || len(recs) != n {
		t.Fatalf("after kill -9: %d records, %v; want %d", len(recs), err, n)
	}
}

// A database of version 3 kept its journal in a table: Open folds what a
// crash left there into the matches, and drops the table.
func TestUpgradeFoldsTheJournalTable(t *testing.T) {
	dir := t.TempDir()
	segment(t, dir, 1, 0, frame(create("m"), moves("m", 0, 2)))
	reopen(t, dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	var row []byte
	for i := 2; i < 5; i++ {
		row = appendString(row, "m")
		row = binary.AppendUvarint(row, uint64(i))
		row = appendRecord(row, session.Record{Op: session.Moved, Column: i % 7})
	}
	for _, q := range []string{
		`CREATE TABLE journal (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, data BLOB NOT NULL)`,
		`PRAGMA user_version = 3`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := db.Exec(`INSERT INTO journal (at, data) VALUES (?, ?)`, time.Now().UnixMilli(), row); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(dir, session.Lifetimes{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, recs, err := s.Load(t.Context(), "m", 0)
	if err != nil || len(recs) != 5 || recs[4].Column != 4 {
		t.Fatalf("after the upgrade: %+v, %v; want 5 records", recs, err)
	}
	var tables int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'journal'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("the journal table: %d, %v; want it dropped", tables, err)
	}
}
