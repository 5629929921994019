package sqlstore_test

import (
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/session/storetest"
	"github.com/connect4go/connect4/backend/internal/sqlstore"
	"github.com/connect4go/connect4/shared/protocol"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func open(t testing.TB, dir string, life session.Lifetimes) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(dir, life, discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T, life session.Lifetimes) session.Store {
			return open(t, t.TempDir(), life)
		},
		Invitations: true,
	})
}

// A second process, or a second Store, cannot use the same directory.
func TestOneStoreADirectory(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, session.Lifetimes{})
	if s, err := sqlstore.Open(dir, session.Lifetimes{}, discard); !errors.Is(err, sqlstore.ErrLocked) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
}

// A directory that cannot be written, or a file that is not a database, is
// an error of Open, never a silent fallback.
func TestUnusable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Log("running as root: a read-only directory is writable; only the damaged file is tried")
	} else {
		ro := t.TempDir()
		if err := os.Chmod(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		if s, err := sqlstore.Open(filepath.Join(ro, "data"), session.Lifetimes{}, discard); err == nil {
			s.Close()
			t.Error("Open in a read-only directory worked")
		}
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, sqlstore.FileName), []byte("this is not a database, not at all; it is text that goes on for a while"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := sqlstore.Open(bad, session.Lifetimes{}, discard); err == nil {
		s.Close()
		t.Error("Open of a damaged database worked")
	}
}

// withMatch opens a store in a new directory, which it returns, and creates
// a match in it; the test closes the store.
func withMatch(t *testing.T) (*sqlstore.Store, string, session.Header) {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlstore.Open(dir, session.Lifetimes{}, discard)
	if err != nil {
		t.Fatal(err)
	}
	h := session.Header{ID: "w", Mode: "hotseat", Token: "t", Conn: "a/c"}
	if err := s.Create(t.Context(), h); err != nil {
		t.Fatal(err)
	}
	return s, dir, h
}

// Whatever was appended before Close is there after the next Open.
func TestReopen(t *testing.T) {
	s, dir, h := withMatch(t)
	ctx := t.Context()
	for i := range 42 {
		if err := s.Append(ctx, "w", i, session.Record{Op: session.Moved, Column: i % 7}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir, session.Lifetimes{})
	got, recs, err := s.Load(ctx, "w", 0)
	if err != nil || got != h || len(recs) != 42 || recs[41].Column != 41%7 {
		t.Fatalf("after reopening: %+v, %d records, %v", got, len(recs), err)
	}
	if id, err := s.Find(ctx, session.TokenKey, "t"); err != nil || id != "w" {
		t.Errorf("Find(token) after reopening = %q, %v", id, err)
	}
	if err := s.Create(ctx, h); !errors.Is(err, sqlstore.ErrExists) {
		t.Errorf("Create of the same id after reopening: %v, want ErrExists", err)
	}
}

// A write after Close is refused, never a panic; a second match of an id
// that the database has, if only in its archive, is refused alone.
func TestClosedAndTwice(t *testing.T) {
	s, _, h := withMatch(t)
	ctx := t.Context()
	s.Drop(ctx, "w")
	if err := s.Create(ctx, h); !errors.Is(err, sqlstore.ErrExists) {
		t.Errorf("Create of an archived id: %v, want ErrExists", err)
	}
	if err := s.Create(ctx, session.Header{ID: "v", Mode: "hotseat", Token: "u", Conn: "a/c"}); err != nil {
		t.Errorf("Create after a refused one: %v", err)
	}
	if err := s.Ready(); err != nil {
		t.Errorf("Ready after a refused Create: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "v", 0, session.Record{Op: session.Moved, Column: 3}); !errors.Is(err, sqlstore.ErrClosed) {
		t.Errorf("Append after Close: %v, want ErrClosed", err)
	}
}

// A database of version 2, from before games had clocks, is brought to the
// current tables on Open: its matches load, untimed, and timed ones can be
// made.
func TestMigrates(t *testing.T) {
	s, dir, h := withMatch(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, sqlstore.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE matches DROP COLUMN clock`, `PRAGMA user_version = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s = open(t, dir, session.Lifetimes{})
	if got, _, err := s.Load(t.Context(), "w", 0); err != nil || got != h {
		t.Fatalf("the old match: %+v, %v", got, err)
	}
	timed := session.Header{ID: "w2", Mode: "friends", Join: "j", Token: "t2", Conn: "a/c",
		Clock: protocol.TimeControl{Base: 5 * time.Minute}}
	if err := s.Create(t.Context(), timed); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Load(t.Context(), "w2", 0); err != nil || got != timed {
		t.Errorf("a timed match: %+v, %v", got, err)
	}
}
