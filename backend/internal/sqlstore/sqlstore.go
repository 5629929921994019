// Package sqlstore keeps the matches of one server in an embedded SQLite
// database, so that a restart, graceful or not, loses no move that anyone
// has seen. It is the only package that imports a database driver.
//
// The driver is modernc.org/sqlite: pure Go (no cgo, so the server stays one
// static binary), database/sql, and as fast here as the other pure-Go driver,
// github.com/ncruces/go-sqlite3 (SQLite compiled to wasm, run by wazero):
// about 60 µs for a one-row transaction and 21-22 µs a row at 100 rows a
// transaction with either, in WAL mode with synchronous=NORMAL on the
// project's 2-core machine. Neither can commit a transaction per move at the
// server's speed (about 20 µs a move in memory), so the Store groups commits:
// one goroutine, the committer, takes every append waiting at once and
// commits them in one transaction of a few statements (one multi-row INSERT
// of the records, one UPDATE of the matches touched), then answers each. A
// move is thus committed before anyone is told of it, and under load a
// commit carries the moves of many matches.
//
// The database is in WAL mode with synchronous=NORMAL: a committed move
// survives the server's crash or kill -9; an operating system crash or a
// power cut may lose the last transactions before the WAL reaches the disk.
// One process at a time may use a data directory: a second fails to open it.
//
// Matches that end stay in the database, with their records, as an archive
// for Lifetimes.Archive; matches no server holds expire as session.Lifetimes
// say, and then join the archive.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// FileName is the database's file in the data directory.
const FileName = "connect4.db"

// maxBatch bounds the requests one transaction carries.
const maxBatch = 1024

// schema creates the tables. Times are Unix milliseconds.
const schema = `
CREATE TABLE IF NOT EXISTS matches (
	id      TEXT PRIMARY KEY,
	mode    TEXT NOT NULL,
	join_key TEXT NOT NULL,
	token   TEXT NOT NULL,
	conn    TEXT NOT NULL,
	level   TEXT NOT NULL,
	yellow  INTEGER NOT NULL,
	created INTEGER NOT NULL,
	last    INTEGER NOT NULL, -- the last record, or the creation
	joined  INTEGER NOT NULL DEFAULT 0, -- a Joined record is among the records
	ended   INTEGER -- when the match ended, for the archive; NULL while it lasts
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS matches_ended ON matches (ended, last);
CREATE TABLE IF NOT EXISTS records (
	match TEXT NOT NULL,
	seq   INTEGER NOT NULL,
	op    TEXT NOT NULL,
	seat  INTEGER NOT NULL,
	col   INTEGER NOT NULL,
	token TEXT NOT NULL,
	conn  TEXT NOT NULL,
	until INTEGER NOT NULL,
	PRIMARY KEY (match, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keys (
	key   TEXT NOT NULL,
	kind  TEXT NOT NULL,
	match TEXT NOT NULL,
	PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keys_match ON keys (match);
PRAGMA user_version = 1;
`

// Store is a session.Store in a SQLite database. It is safe for concurrent
// use; call Close when done.
type Store struct {
	session.Local
	session.Health // whether the last commit worked
	db             *sql.DB
	life           session.Lifetimes
	log            *slog.Logger
	lock           *os.File // flocked: one process a directory

	reqs    chan *request
	stopped chan struct{}
	closing sync.Once
}

var (
	_ session.Store    = (*Store)(nil)
	_ session.Registry = (*Store)(nil)
)

// request is one write for the committer.
type request struct {
	op   byte // 'c' create, 'a' append, 'd' drop
	head session.Header
	id   string
	at   int
	recs []session.Record
	done chan error
}

// ErrLocked is returned by Open when another process uses the directory.
var ErrLocked = errors.New("sqlstore: the data directory is in use by another process")

// Open opens, or creates, the database in directory dir, creating dir if
// need be, and checks that it can write there.
func Open(dir string, life session.Lifetimes, logger *slog.Logger) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, "connect4.lock"), os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
	}
	path := filepath.Join(dir, FileName)
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	s := &Store{
		db: db, life: life.WithDefaults(), log: logger, lock: lock,
		reqs: make(chan *request, maxBatch), stopped: make(chan struct{}),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.setUp(ctx); err != nil {
		db.Close()
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %s: %w", path, err)
	}
	go s.commit()
	return s, nil
}

// setUp creates the tables and checks that the database can be written.
func (s *Store) setUp(ctx context.Context) error {
	var check string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return err
	}
	if check != "ok" {
		return fmt.Errorf("the database is damaged: %s", check)
	}
	if _, err := s.db.ExecContext(ctx, schema); err != nil {
		return err
	}
	return nil
}

// Close stops the committer once the writes already asked for are done, and
// closes the database.
func (s *Store) Close() error {
	s.closing.Do(func() { close(s.reqs) })
	<-s.stopped
	err := s.db.Close()
	s.lock.Close()
	return err
}

// do hands r to the committer and waits for its answer.
func (s *Store) do(ctx context.Context, r *request) error {
	r.done = make(chan error, 1)
	select {
	case s.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // it may still be committed: the caller catches up
	}
}

// Create implements session.Store.
func (s *Store) Create(ctx context.Context, h session.Header) error {
	return s.do(ctx, &request{op: 'c', head: h, id: h.ID})
}

// Append implements session.Store.
func (s *Store) Append(ctx context.Context, id string, at int, recs ...session.Record) error {
	return s.do(ctx, &request{op: 'a', id: id, at: at, recs: recs})
}

// Drop implements session.Store: the match ends and joins the archive; its
// keys go.
func (s *Store) Drop(ctx context.Context, id string) {
	if err := s.do(ctx, &request{op: 'd', id: id}); err != nil {
		s.log.Warn("dropping a match", "err", err)
	}
}

// live is what the committer knows of a match that lasts.
type live struct {
	n      int // records
	mode   protocol.Mode
	joined bool
	last   time.Time
}

// commit is the committer: it runs until Close, taking the requests waiting
// at once into one transaction.
func (s *Store) commit() {
	defer close(s.stopped)
	matches := make(map[string]*live) // a cache of what the database says
	var swept time.Time
	for r := range s.reqs {
		batch := []*request{r}
	more:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break more
				}
				batch = append(batch, r)
			default:
				break more
			}
		}
		now := s.life.Now()
		errs, err := s.commitBatch(batch, matches, now)
		if err != nil {
			clear(matches) // what the cache says may not have been committed
			for i := range errs {
				errs[i] = err
			}
		}
		if s.SetHealth(err) {
			if err != nil {
				s.log.Error("database unwritable", "err", err)
			} else {
				s.log.Info("database writable again")
			}
		}
		for i, r := range batch {
			r.done <- errs[i]
			if errs[i] == nil && r.op == 'a' {
				s.Publish(r.id, r.at, r.recs)
			}
		}
		if now.Sub(swept) >= time.Minute {
			swept = now
			if err := s.sweep(now, matches); err != nil {
				s.log.Warn("removing expired matches", "err", err)
			}
		}
	}
}

// commitBatch writes batch in one transaction and returns each request's
// answer, or the error that failed the transaction.
func (s *Store) commitBatch(batch []*request, matches map[string]*live, now time.Time) ([]error, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return make([]error, len(batch)), err
	}
	defer tx.Rollback()
	errs := make([]error, len(batch))
	var (
		rows    []any    // the records' columns
		touched []string // matches appended to
		joined  []string // matches whose second seat was taken
		keys    []any    // new keys: key, kind, match
	)
	for i, r := range batch {
		switch r.op {
		case 'c':
			h := r.head
			_, err := tx.ExecContext(ctx, `INSERT INTO matches (id, mode, join_key, token, conn, level, yellow, created, last) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				h.ID, string(h.Mode), h.Join, h.Token, h.Conn, h.Level, h.Yellow, now.UnixMilli(), now.UnixMilli())
			if err != nil {
				return errs, err
			}
			if h.Join != "" {
				keys = append(keys, h.Join, string(session.JoinKey), h.ID)
			}
			if h.Token != "" {
				keys = append(keys, h.Token, string(session.TokenKey), h.ID)
			}
			matches[h.ID] = &live{mode: h.Mode, last: now}
		case 'a':
			m, err := s.match(ctx, tx, r.id, matches, now)
			switch {
			case err != nil:
				return errs, err
			case m == nil:
				errs[i] = session.ErrNotFound
				continue
			case r.at > m.n:
				errs[i] = session.ErrBehind
				continue
			case r.at < m.n:
				errs[i] = session.ErrConflict
				continue
			}
			for j, rec := range r.recs {
				rows = append(rows, r.id, r.at+j, string(rec.Op), rec.Seat, rec.Column, rec.Token, rec.Conn, millis(rec.Until))
				if rec.Op == session.Joined {
					keys = append(keys, rec.Token, string(session.TokenKey), r.id)
					if !m.joined {
						m.joined = true
						joined = append(joined, r.id)
					}
				}
			}
			m.n += len(r.recs)
			m.last = now
			touched = append(touched, r.id)
		case 'd':
			if _, err := tx.ExecContext(ctx, `UPDATE matches SET ended = ? WHERE id = ? AND ended IS NULL`, now.UnixMilli(), r.id); err != nil {
				return errs, err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM keys WHERE match = ?`, r.id); err != nil {
				return errs, err
			}
			delete(matches, r.id)
		}
	}
	if err := insert(ctx, tx, "records (match, seq, op, seat, col, token, conn, until)", 8, rows); err != nil {
		return errs, err
	}
	if err := insert(ctx, tx, "keys (key, kind, match)", 3, keys); err != nil {
		return errs, err
	}
	if err := update(ctx, tx, "last = "+fmt.Sprint(now.UnixMilli()), touched); err != nil {
		return errs, err
	}
	if err := update(ctx, tx, "joined = 1", joined); err != nil {
		return errs, err
	}
	return errs, tx.Commit()
}

// match returns what is known of match id from the cache, or the database,
// or nil if it ended or expired.
func (s *Store) match(ctx context.Context, tx *sql.Tx, id string, matches map[string]*live, now time.Time) (*live, error) {
	m := matches[id]
	if m == nil {
		var (
			mode        string
			joined      bool
			last, count int64
			ended       sql.NullInt64
		)
		err := tx.QueryRowContext(ctx, `SELECT mode, joined, last, ended, (SELECT count(*) FROM records WHERE match = ?1) FROM matches WHERE id = ?1`, id).
			Scan(&mode, &joined, &last, &ended, &count)
		switch {
		case errors.Is(err, sql.ErrNoRows) || ended.Valid:
			return nil, nil
		case err != nil:
			return nil, err
		}
		m = &live{n: int(count), mode: protocol.Mode(mode), joined: joined, last: time.UnixMilli(last)}
		matches[id] = m
	}
	if s.expired(m.mode, m.joined, m.last, now) {
		return nil, nil
	}
	return m, nil
}

// expired reports whether a match whose last record was at last expired by
// now.
func (s *Store) expired(mode protocol.Mode, joined bool, last, now time.Time) bool {
	return now.Sub(last) >= s.life.Of(mode, joined)
}

// millis returns t in Unix milliseconds, 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// insert inserts rows, of width columns each, into table in multi-row
// statements.
func insert(ctx context.Context, tx *sql.Tx, table string, width int, rows []any) error {
	// SQLite takes at most 32,766 parameters a statement.
	per := 32766 / width
	for len(rows) > 0 {
		n := min(len(rows)/width, per)
		row := "(?" + strings.Repeat(", ?", width-1) + ")"
		q := "INSERT INTO " + table + " VALUES " + row + strings.Repeat(", "+row, n-1)
		if _, err := tx.ExecContext(ctx, q, rows[:n*width]...); err != nil {
			return err
		}
		rows = rows[n*width:]
	}
	return nil
}

// update sets set on the matches of ids, in statements of many ids.
func update(ctx context.Context, tx *sql.Tx, set string, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), 32766)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		q := "UPDATE matches SET " + set + " WHERE id IN (?" + strings.Repeat(", ?", n-1) + ")"
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// sweep ends the matches that expired, which join the archive, and removes
// those of the archive older than Lifetimes.Archive.
func (s *Store) sweep(now time.Time, matches map[string]*live) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ms := now.UnixMilli()
	expired := `ended IS NULL AND last <= ? - CASE WHEN mode = 'friends' AND joined = 0 THEN ? ELSE ? END`
	args := []any{ms, s.life.Invitation.Milliseconds(), s.life.Match.Milliseconds()}
	if _, err := tx.ExecContext(ctx, `DELETE FROM keys WHERE match IN (SELECT id FROM matches WHERE `+expired+`)`, args...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE matches SET ended = ? WHERE `+expired, append([]any{ms}, args...)...); err != nil {
		return err
	}
	old := ms - s.life.Archive.Milliseconds()
	if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE match IN (SELECT id FROM matches WHERE ended <= ?)`, old); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM matches WHERE ended <= ?`, old); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for id, m := range matches {
		if s.expired(m.mode, m.joined, m.last, now) {
			delete(matches, id)
		}
	}
	return nil
}

// Find implements session.Store.
func (s *Store) Find(ctx context.Context, kind session.KeyKind, key string) (string, error) {
	q := `SELECT id, mode, joined, last FROM matches WHERE id = ? AND ended IS NULL`
	args := []any{key}
	if kind != session.WatchKey {
		q = `SELECT m.id, m.mode, m.joined, m.last FROM keys k JOIN matches m ON m.id = k.match WHERE k.kind = ? AND k.key = ? AND m.ended IS NULL`
		args = []any{string(kind), key}
	}
	var (
		id, mode string
		joined   bool
		last     int64
	)
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&id, &mode, &joined, &last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", session.ErrNotFound
	case err != nil:
		return "", err
	case s.expired(protocol.Mode(mode), joined, time.UnixMilli(last), s.life.Now()):
		return "", session.ErrNotFound
	}
	return id, nil
}

// Load implements session.Store.
func (s *Store) Load(ctx context.Context, id string, from int) (session.Header, []session.Record, error) {
	h, recs, ended, err := s.load(ctx, id, from)
	if err == nil && ended {
		err = session.ErrNotFound
	}
	return h, recs, err
}

// Archived returns the header and records of a match that ended, or
// session.ErrNotFound. It implements session.Archive.
func (s *Store) Archived(ctx context.Context, id string) (session.Header, []session.Record, error) {
	h, recs, ended, err := s.load(ctx, id, 0)
	if err == nil && !ended {
		err = session.ErrNotFound
	}
	return h, recs, err
}

// load reads match id from its from-th record on, in one read transaction,
// and whether it ended (or expired).
func (s *Store) load(ctx context.Context, id string, from int) (session.Header, []session.Record, bool, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return session.Header{}, nil, false, err
	}
	defer tx.Rollback()
	var (
		h      = session.Header{ID: id}
		mode   string
		joined bool
		last   int64
		ended  sql.NullInt64
	)
	err = tx.QueryRowContext(ctx, `SELECT mode, join_key, token, conn, level, yellow, joined, last, ended FROM matches WHERE id = ?`, id).
		Scan(&mode, &h.Join, &h.Token, &h.Conn, &h.Level, &h.Yellow, &joined, &last, &ended)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return h, nil, false, session.ErrNotFound
	case err != nil:
		return h, nil, false, err
	}
	h.Mode = protocol.Mode(mode)
	over := ended.Valid || s.expired(h.Mode, joined, time.UnixMilli(last), s.life.Now())
	rows, err := tx.QueryContext(ctx, `SELECT seq, op, seat, col, token, conn, until FROM records WHERE match = ? AND seq >= ? ORDER BY seq`, id, from)
	if err != nil {
		return h, nil, false, err
	}
	defer rows.Close()
	var recs []session.Record
	for want := from; rows.Next(); want++ {
		var (
			r     session.Record
			seq   int
			op    string
			until int64
		)
		if err := rows.Scan(&seq, &op, &r.Seat, &r.Column, &r.Token, &r.Conn, &until); err != nil {
			return h, nil, false, err
		}
		if seq != want || len(op) != 1 {
			return h, nil, false, fmt.Errorf("match %s: record %d: %w", id, seq, session.ErrBadRecord)
		}
		r.Op = session.Op(op[0])
		if until != 0 {
			r.Until = time.UnixMilli(until)
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return h, nil, false, err
	}
	if from > 0 && len(recs) == 0 {
		// from may be past the end: the match has fewer records.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE match = ?`, id).Scan(&n); err != nil {
			return h, nil, false, err
		}
		if from > n {
			return h, nil, false, session.ErrNotFound
		}
	}
	return h, recs, over, nil
}
