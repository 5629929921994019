// Package sqlstore keeps the matches of one server in an embedded SQLite
// database, so that a restart, graceful or not, loses no move that anyone
// has seen. It is the only package that imports a database driver.
//
// The driver is modernc.org/sqlite: pure Go (no cgo, so the server stays one
// static binary), database/sql, and as fast here as the other pure-Go driver,
// github.com/ncruces/go-sqlite3 (SQLite compiled to wasm, run by wazero),
// which adds a wasm runtime to the binary: about 60 µs for a one-row
// transaction and 21-22 µs a row at 100 rows a transaction with either, in
// WAL mode with synchronous=NORMAL on the project's 2-core machine, and with
// this package's layout BenchmarkAppend gave 2.6-4.0 µs an append with
// modernc against 2.9-3.6 µs with ncruces, side by side on 2026-12-02
// (BENCHMARKS.md).
//
// Neither can afford a row a move: a whole move costs the server about 25 µs
// in memory. So the Store is log-structured. One goroutine, the committer,
// takes every write waiting at once into one transaction, and the moves of
// all the matches in it go into one row of a journal, a blob, in one INSERT
// of a fixed, prepared statement: a transaction costs about the same for one
// move or for a hundred. A move is thus committed before anyone is told of
// it. Every few seconds, and when the store opens, closes or sweeps, the
// committer folds the journal into the matches' own logs (a blob a match,
// one UPDATE a match for all its moves since), off the moves' path.
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
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
	id       TEXT PRIMARY KEY,
	mode     TEXT NOT NULL,
	join_key TEXT NOT NULL,
	token    TEXT NOT NULL,
	conn     TEXT NOT NULL,
	level    TEXT NOT NULL,
	yellow   INTEGER NOT NULL,
	clock    TEXT NOT NULL DEFAULT '', -- the time control, such as 3+2, or '' untimed
	created  INTEGER NOT NULL,
	last     INTEGER NOT NULL, -- the last record folded in, or the creation
	joined   INTEGER NOT NULL DEFAULT 0, -- a Joined record is among the records
	ended    INTEGER, -- when the match ended, for the archive; NULL while it lasts
	n        INTEGER NOT NULL DEFAULT 0, -- records in log
	log      BLOB NOT NULL DEFAULT x'' -- the records folded in, one after the other
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS matches_ended ON matches (ended, last);
CREATE TABLE IF NOT EXISTS journal (
	seq  INTEGER PRIMARY KEY, -- in the order committed
	at   INTEGER NOT NULL,    -- when
	data BLOB NOT NULL        -- the records of one transaction, with their matches and positions
);
CREATE TABLE IF NOT EXISTS keys (
	key   TEXT NOT NULL,
	kind  TEXT NOT NULL,
	match TEXT NOT NULL,
	PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keys_match ON keys (match);
PRAGMA user_version = 3;
`

// migrations bring the tables of an older version to the next: migrations[v]
// takes version v to v+1.
var migrations = map[int]string{
	2: `ALTER TABLE matches ADD COLUMN clock TEXT NOT NULL DEFAULT ''; PRAGMA user_version = 3;`,
}

// foldEvery is how often the committer folds the journal into the matches.
const foldEvery = 2 * time.Second

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
	quit    chan struct{} // closed by Close: the committer finishes
	closing sync.Once

	// w is the committer's own connection, and its statements prepared
	// once: parsing SQL again at every commit would cost more than the
	// commit.
	w                                   *sql.Conn
	begin, end, rollback, appendJournal *sql.Stmt

	// mu guards matches, what the committer knows of the matches that last
	// and were written to since the store opened, which the readers
	// consult for the records and times not yet folded in.
	mu      sync.Mutex
	matches map[string]*live
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

// ErrExists is returned by Create for an id that the database has, if only
// in its archive.
var ErrExists = errors.New("sqlstore: a match with this id exists")

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
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_pragma=wal_autocheckpoint(4000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	s := &Store{
		db: db, life: life.WithDefaults(), log: logger, lock: lock,
		reqs: make(chan *request, maxBatch), stopped: make(chan struct{}), quit: make(chan struct{}),
		matches: make(map[string]*live),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.setUp(ctx); err != nil {
		db.Close()
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %s: %w", path, err)
	}
	if err := s.prepare(ctx); err != nil {
		s.closeDB()
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %s: %w", path, err)
	}
	go s.commit()
	return s, nil
}

// prepare sets up the committer's connection and statements.
func (s *Store) prepare(ctx context.Context) error {
	w, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	s.w = w
	for _, p := range []struct {
		stmt **sql.Stmt
		q    string
	}{
		{&s.begin, "BEGIN IMMEDIATE"},
		{&s.end, "COMMIT"},
		{&s.rollback, "ROLLBACK"},
		{&s.appendJournal, "INSERT INTO journal (at, data) VALUES (?, ?)"},
	} {
		if *p.stmt, err = w.PrepareContext(ctx, p.q); err != nil {
			return err
		}
	}
	return nil
}

// closeDB closes the committer's statements and connection, then the
// database.
func (s *Store) closeDB() error {
	s.closeConn()
	return s.db.Close()
}

// closeConn closes the committer's statements and connection.
func (s *Store) closeConn() {
	for _, stmt := range []*sql.Stmt{s.begin, s.end, s.rollback, s.appendJournal} {
		if stmt != nil {
			stmt.Close()
		}
	}
	if s.w != nil {
		// Not back to the pool: it may be inside a transaction.
		s.w.Raw(func(any) error { return driver.ErrBadConn })
		s.w.Close()
	}
}

// reconnect gives the committer a new connection. If it fails, the next
// batches fail too, and say so; none is acknowledged.
func (s *Store) reconnect() {
	s.closeConn()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.prepare(ctx); err != nil {
		s.log.Error("reconnecting to the database", "err", err)
	}
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
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	for ; version != 0 && migrations[version] != ""; version++ {
		if _, err := s.db.ExecContext(ctx, migrations[version]); err != nil {
			return fmt.Errorf("bringing the tables from version %d to %d: %w", version, version+1, err)
		}
	}
	if version != 0 && version != 3 {
		return fmt.Errorf("the database has version %d of the tables, this server knows version 3", version)
	}
	if _, err := s.db.ExecContext(ctx, schema); err != nil {
		return err
	}
	return s.fold(ctx) // what a crash left in the journal
}

// ErrClosed is returned for a write asked for after Close.
var ErrClosed = errors.New("sqlstore: closed")

// Close stops the committer once the writes already asked for are done, and
// closes the database. Writes asked for later fail with ErrClosed.
func (s *Store) Close() error {
	s.closing.Do(func() { close(s.quit) })
	<-s.stopped
	err := s.closeDB()
	s.lock.Close()
	return err
}

// do hands r to the committer and waits for its answer.
func (s *Store) do(ctx context.Context, r *request) error {
	r.done = make(chan error, 1)
	select {
	case s.reqs <- r:
	case <-s.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-s.stopped:
		select {
		case err := <-r.done: // answered on the way out
			return err
		default:
			return ErrClosed
		}
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

// live is what the committer knows of a match that lasts, written to since
// the store opened.
type live struct {
	n      int // records, folded in or not
	mode   protocol.Mode
	joined bool
	last   time.Time // of the last record
}

// commit is the committer: it runs until Close, taking the requests waiting
// at once into one transaction, and folding the journal in now and then.
func (s *Store) commit() {
	defer close(s.stopped)
	var swept, folded time.Time
	for {
		var r *request
		select {
		case r = <-s.reqs:
		case <-s.quit:
			// The writes asked for before Close are done, then no more.
			select {
			case r = <-s.reqs:
			default:
			}
		}
		if r == nil {
			break
		}
		batch := s.gather(r)
		now := s.life.Now()
		errs, err := s.commitBatch(batch, now)
		if err != nil {
			// The cache changes only after a commit: nothing to undo.
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
			if err := s.sweep(now); err != nil {
				s.log.Warn("removing expired matches", "err", err)
			}
		}
		if time.Since(folded) >= foldEvery {
			folded = time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := s.fold(ctx); err != nil {
				s.log.Warn("folding the journal in", "err", err)
			}
			cancel()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.fold(ctx); err != nil {
		s.log.Warn("folding the journal in", "err", err)
	}
}

// gather returns the batch of requests that first begins: those waiting,
// and those that come while the goroutines that the last answers woke run.
// On one core, the committer would otherwise run before any of them: one
// write a commit.
func (s *Store) gather(first *request) []*request {
	batch := []*request{first}
	for yields := 0; yields < 4 && len(batch) < maxBatch; yields++ {
		n := len(batch)
		runtime.Gosched()
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		if len(batch) == n {
			break // no one else had anything to write
		}
	}
	return batch
}

// commitBatch writes batch in one transaction and returns each request's
// answer, or the error that failed the transaction.
func (s *Store) commitBatch(batch []*request, now time.Time) ([]error, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errs := make([]error, len(batch))
	// A batch of moves alone writes one row: that INSERT is a transaction
	// of its own. Anything else (a new match, an end, a new key) takes an
	// explicit one, so that all of it is committed, or none.
	explicit := slices.ContainsFunc(batch, func(r *request) bool {
		return r.op != 'a' || slices.ContainsFunc(r.recs, func(rec session.Record) bool { return rec.Op == session.Joined })
	})
	committed := !explicit
	if explicit {
		if _, err := s.begin.ExecContext(ctx); err != nil {
			return errs, err
		}
		defer func() {
			if !committed {
				// Not ctx, which may be what ended the batch: the driver
				// would not even try.
				if _, err := s.rollback.ExecContext(context.Background()); err != nil {
					// The connection may be left in the transaction, where
					// a later INSERT would seem to work and never be
					// committed: take a new one.
					s.log.Error("rolling back a failed commit: reconnecting", "err", err)
					s.reconnect()
				}
			}
		}()
	}
	tx := s.w
	var (
		journal []byte // the records appended
		keys    []any  // new keys: key, kind, match
		updates = make(map[string]live)
	)
	for i, r := range batch {
		switch r.op {
		case 'c':
			h := r.head
			res, err := tx.ExecContext(ctx, `INSERT INTO matches (id, mode, join_key, token, conn, level, yellow, clock, created, last) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				h.ID, string(h.Mode), h.Join, h.Token, h.Conn, h.Level, h.Yellow, h.Clock.String(), now.UnixMilli(), now.UnixMilli())
			if err != nil {
				return errs, err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				errs[i] = ErrExists // this request alone
				continue
			}
			if h.Join != "" {
				keys = append(keys, h.Join, string(session.JoinKey), h.ID)
			}
			if h.Token != "" {
				keys = append(keys, h.Token, string(session.TokenKey), h.ID)
			}
			updates[h.ID] = live{mode: h.Mode, last: now}
		case 'a':
			m, ok := updates[r.id]
			if !ok {
				known, err := s.match(ctx, tx, r.id)
				if err != nil {
					return errs, err
				}
				if known == nil {
					errs[i] = session.ErrNotFound
					continue
				}
				m = *known
			}
			switch {
			case s.expired(m.mode, m.joined, m.last, now):
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
				journal = appendEntry(journal, entry{match: r.id, seq: r.at + j, rec: rec})
				if rec.Op == session.Joined {
					keys = append(keys, rec.Token, string(session.TokenKey), r.id)
					m.joined = true
				}
			}
			m.n += len(r.recs)
			m.last = now
			updates[r.id] = m
		case 'd':
			if _, err := tx.ExecContext(ctx, `UPDATE matches SET ended = ? WHERE id = ? AND ended IS NULL`, now.UnixMilli(), r.id); err != nil {
				return errs, err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM keys WHERE match = ?`, r.id); err != nil {
				return errs, err
			}
			updates[r.id] = live{n: -1} // gone
		}
	}
	if len(journal) > 0 {
		if _, err := s.appendJournal.ExecContext(ctx, now.UnixMilli(), journal); err != nil {
			return errs, err
		}
	}
	if err := insertKeys(ctx, tx, keys); err != nil {
		return errs, err
	}
	if explicit {
		if _, err := s.end.ExecContext(ctx); err != nil {
			return errs, err
		}
		committed = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, m := range updates {
		if m.n < 0 {
			delete(s.matches, id)
			continue
		}
		s.matches[id] = &m
	}
	return errs, nil
}

// match returns what is known of match id, from the cache or, for a match
// not written to since the store opened, whose records are all folded in,
// from the database; nil if it ended.
func (s *Store) match(ctx context.Context, tx *sql.Conn, id string) (*live, error) {
	s.mu.Lock()
	m := s.matches[id]
	s.mu.Unlock()
	if m != nil {
		c := *m
		return &c, nil
	}
	var (
		mode    string
		joined  bool
		last, n int64
		ended   sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, `SELECT mode, joined, last, ended, n FROM matches WHERE id = ?`, id).Scan(&mode, &joined, &last, &ended, &n)
	switch {
	case errors.Is(err, sql.ErrNoRows) || ended.Valid:
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &live{n: int(n), mode: protocol.Mode(mode), joined: joined, last: time.UnixMilli(last)}, nil
}

// fold folds the journal into the matches' logs, in one transaction: each
// match's new records go to the end of its log in one UPDATE.
func (s *Store) fold(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, data FROM journal ORDER BY seq`)
	if err != nil {
		return err
	}
	type news struct {
		log    []byte
		n      int
		last   int64
		joined bool
	}
	byMatch := make(map[string]*news)
	var order []string
	var top int64 = -1
	for rows.Next() {
		var (
			seq, at int64
			data    []byte
		)
		if err := rows.Scan(&seq, &at, &data); err != nil {
			rows.Close()
			return err
		}
		es, err := entries(data)
		if err != nil {
			rows.Close()
			return fmt.Errorf("journal entry %d: %w", seq, err)
		}
		for _, e := range es {
			m := byMatch[e.match]
			if m == nil {
				m = &news{}
				byMatch[e.match] = m
				order = append(order, e.match)
			}
			m.log = appendRecord(m.log, e.rec)
			m.n++
			m.last = at
			m.joined = m.joined || e.rec.Op == session.Joined
		}
		top = seq
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if top < 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE matches SET log = log || ?, n = n + ?, last = max(last, ?), joined = joined OR ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range order {
		m := byMatch[id]
		if _, err := stmt.ExecContext(ctx, m.log, m.n, m.last, m.joined, id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM journal WHERE seq <= ?`, top); err != nil {
		return err
	}
	return tx.Commit()
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

// insertKeys inserts keys, three values each (key, kind, match), in one
// statement; there are few: a new match's, and a joiner's token.
func insertKeys(ctx context.Context, tx *sql.Conn, keys []any) error {
	if len(keys) == 0 {
		return nil
	}
	q := "INSERT INTO keys (key, kind, match) VALUES (?, ?, ?)" + strings.Repeat(", (?, ?, ?)", len(keys)/3-1)
	_, err := tx.ExecContext(ctx, q, keys...)
	return err
}

// sweep ends the matches that expired, which join the archive, and removes
// those of the archive older than Lifetimes.Archive. It folds the journal in
// first, so that the matches' times are the latest.
func (s *Store) sweep(now time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.fold(ctx); err != nil {
		return err
	}
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM matches WHERE ended <= ?`, ms-s.life.Archive.Milliseconds()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, m := range s.matches {
		if s.expired(m.mode, m.joined, m.last, now) {
			delete(s.matches, id)
		}
	}
	return nil
}

// latest returns a match's last record time and whether its second seat was
// taken, from the database's figures and the cache's, which may be newer.
func (s *Store) latest(id string, last int64, joined bool) (time.Time, bool) {
	t := time.UnixMilli(last)
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.matches[id]; m != nil {
		joined = joined || m.joined
		if m.last.After(t) {
			t = m.last
		}
	}
	return t, joined
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
	}
	at, joined := s.latest(id, last, joined)
	if s.expired(protocol.Mode(mode), joined, at, s.life.Now()) {
		return "", session.ErrNotFound
	}
	return id, nil
}

// Load implements session.Store.
func (s *Store) Load(ctx context.Context, id string, from int) (session.Header, []session.Record, error) {
	h, recs, ended, err := s.load(ctx, id)
	switch {
	case err != nil:
		return h, nil, err
	case ended || from > len(recs):
		return h, nil, session.ErrNotFound
	}
	return h, recs[from:], nil
}

// Archived returns the header and records of a match that ended, or
// session.ErrNotFound. It implements session.Archive.
func (s *Store) Archived(ctx context.Context, id string) (session.Header, []session.Record, error) {
	h, recs, ended, err := s.load(ctx, id)
	if err == nil && !ended {
		err = session.ErrNotFound
	}
	return h, recs, err
}

// load reads match id and all its records, folded in or still in the
// journal, in one read transaction, and whether it ended (or expired).
func (s *Store) load(ctx context.Context, id string) (session.Header, []session.Record, bool, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return session.Header{}, nil, false, err
	}
	defer tx.Rollback()
	var (
		h      = session.Header{ID: id}
		mode   string
		clock  string
		joined bool
		last   int64
		ended  sql.NullInt64
		log    []byte
	)
	err = tx.QueryRowContext(ctx, `SELECT mode, join_key, token, conn, level, yellow, clock, joined, last, ended, log FROM matches WHERE id = ?`, id).
		Scan(&mode, &h.Join, &h.Token, &h.Conn, &h.Level, &h.Yellow, &clock, &joined, &last, &ended, &log)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return h, nil, false, session.ErrNotFound
	case err != nil:
		return h, nil, false, err
	}
	h.Mode = protocol.Mode(mode)
	if h.Clock, err = protocol.ParseTimeControl(clock); err != nil {
		return h, nil, false, fmt.Errorf("match %s: %w: %v", id, session.ErrBadRecord, err)
	}
	recs, err := records(log)
	if err != nil {
		return h, nil, false, fmt.Errorf("match %s: %w", id, err)
	}
	// The journal holds the last seconds' records of every match.
	rows, err := tx.QueryContext(ctx, `SELECT seq, data FROM journal ORDER BY seq`)
	if err != nil {
		return h, nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			seq  int64
			data []byte
		)
		if err := rows.Scan(&seq, &data); err != nil {
			return h, nil, false, err
		}
		es, err := entries(data)
		if err != nil {
			return h, nil, false, fmt.Errorf("journal entry %d: %w", seq, err)
		}
		for _, e := range es {
			if e.match != id {
				continue
			}
			if e.seq != len(recs) {
				return h, nil, false, fmt.Errorf("match %s: record %d where %d was due: %w", id, e.seq, len(recs), session.ErrBadRecord)
			}
			recs = append(recs, e.rec)
		}
	}
	if err := rows.Err(); err != nil {
		return h, nil, false, err
	}
	at, joined := s.latest(id, last, joined)
	over := ended.Valid || s.expired(h.Mode, joined, at, s.life.Now())
	return h, recs, over, nil
}
