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
// the layout of 2026-12-02 (a journal table) BenchmarkAppend gave 2.6-4.0 µs
// an append with modernc against 2.9-3.6 µs with ncruces, side by side
// (BENCHMARKS.md).
//
// Neither can afford a transaction a write: a whole move costs the server
// about 25 µs in memory, and every SQLite commit writes whole pages of 4 KiB
// to its WAL. So the writes do not go through SQLite as they come. Each
// write (a new match, records appended, a match dropped) is checked and
// appended to a journal file as one checksummed frame, in one write(2)
// (journal.go): bytes, not pages, about 1 µs. The writes take turns on a
// mutex, as the memory store's do, rather than queue for a goroutine that
// would group them: on one core the hand-over cost more than the write(2)
// it saved. A change is thus in the operating system's hands before anyone
// is told of it, and survives the server's crash or kill -9. Every
// foldEvery a new journal file is begun, and a goroutine, the folder, folds
// the one closed into the database in one transaction (a row a match it
// touched), flushed to disk, then removes the file. Open folds in whatever a
// crash left.
//
// Until it is folded in, what the journal holds is also kept in memory (the
// matches' records since the last fold, their new keys, their ends), and the
// reads add it to what the database says.
//
// A new match's id must not be in the database, if only in its archive: a
// Bloom filter of the database's ids (ids.go) answers for most new ids with
// no query, which at 5,000 players arriving at once was half of what the
// store added to the moves' p99.
//
// An operating system crash or a power cut may lose what the journal holds
// (it is not flushed to disk with fsync): the changes of the last foldEvery,
// and of the fold under way. What was folded in is on disk.
//
// One process at a time may use a data directory: a second fails to open it.
//
// Matches that end stay in the database, with their records, as an archive
// for Lifetimes.Archive; matches no server holds expire as session.Lifetimes
// say, and then join the archive.
package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// FileName is the database's file in the data directory.
const FileName = "connect4.db"

// version is the version of the tables, in PRAGMA user_version: 2 and 3
// kept their journal in a table; 3 added the clock.
const version = 4

// migrations bring the tables of an older version to the next: migrations[v]
// takes version v to v+1. Version 3 to 4 is upgrade's.
var migrations = map[int]string{
	2: `ALTER TABLE matches ADD COLUMN clock TEXT NOT NULL DEFAULT ''; PRAGMA user_version = 3;`,
}

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
CREATE TABLE IF NOT EXISTS keys (
	key   TEXT NOT NULL,
	kind  TEXT NOT NULL,
	match TEXT NOT NULL,
	PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keys_match ON keys (match);
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY, -- 'folded': the last journal segment folded in
	value INTEGER NOT NULL
) WITHOUT ROWID;
`

// foldEvery is how often a new journal segment is begun, and the last one
// folded in. A fold costs a statement a match that it touches, so the
// longer the time, the fewer statements for the same moves (a match made
// and ended within it costs one); but it is as long as an operating system
// crash may lose, and the memory the journal's records take (a few MB at
// 10,000 moves a second).
const foldEvery = 10 * time.Second

// Store is a session.Store in a SQLite database and its journal. It is safe
// for concurrent use; call Close when done.
type Store struct {
	session.Local
	session.Health // whether the last write, and the last fold, worked
	db             *sql.DB
	dir            string
	life           session.Lifetimes
	log            *slog.Logger
	lock           *os.File      // flocked: one process a directory
	every          time.Duration // foldEvery, but in tests

	jobs    chan job      // from the writers to the folder
	done    chan struct{} // closed when the folder returns
	quit    chan struct{} // closed by Close
	closing sync.Once
	foldErr atomic.Pointer[error] // how the last fold went

	// wmu is held by a write from its checks to its answer: the writes
	// come one at a time, each a frame of the journal. It guards journal,
	// frame, rc, find, known, swept and closed.
	wmu     sync.Mutex
	journal journal
	frame   []byte
	swept   time.Time // when the last sweep was asked for
	closed  bool
	// find reads what the database knows of a match, for a write to a
	// match not written to since the store opened, on rc, the writes' own
	// connection.
	rc   *sql.Conn
	find *sql.Stmt
	// known are the ids the database had at Open, and those made since:
	// a new match whose id it has not seen needs no query.
	known ids

	// fc is the connection that writes to the database, the folder's once
	// the store is open. Its commits are flushed to disk
	// (synchronous=FULL): the journal they fold in is removed after them.
	fc *sql.Conn

	// mu guards matches and keys, what is known of the matches written to
	// since the store opened, and what the journal holds that the database
	// does not yet; and gen, which counts the folds.
	mu      sync.Mutex
	matches map[string]*live
	keys    map[key]string // the keys not folded in yet, and their matches
	gen     uint64
}

var (
	_ session.Store    = (*Store)(nil)
	_ session.Registry = (*Store)(nil)
)

// request is one write.
type request struct {
	op   byte // 'c' create, 'a' append, 'd' drop
	head session.Header
	id   string
	at   int
	recs []session.Record
}

// job is the folder's work: a segment to fold in, if seg > 0, then a sweep,
// if sweep is not zero.
type job struct {
	seg   int64
	sweep time.Time
}

// key is one of a match's keys.
type key struct {
	kind session.KeyKind
	key  string
}

// live is what is known of a match that lasts (or ended, until the
// database knows it), written to since the store opened.
type live struct {
	n      int // records, folded in or not
	mode   protocol.Mode
	joined bool
	last   time.Time // of the last record
	ended  bool      // dropped, not yet folded in

	head    *session.Header // while the database has no row for it
	folded  int             // records in the database's log
	pending []byte          // the records from folded on, in the journal only, as a log holds them
}

// ErrExists is returned by Create for an id that the database has, if only
// in its archive.
var ErrExists = errors.New("sqlstore: a match with this id exists")

// ErrLocked is returned by Open when another process uses the directory.
var ErrLocked = errors.New("sqlstore: the data directory is in use by another process")

// Open opens, or creates, the database in directory dir, creating dir if
// need be, folds in what the journal holds, and checks that it can write
// there.
func Open(dir string, life session.Lifetimes, logger *slog.Logger) (*Store, error) {
	return open(dir, life, logger, foldEvery)
}

// open is Open with every for foldEvery.
func open(dir string, life session.Lifetimes, logger *slog.Logger, every time.Duration) (*Store, error) {
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
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_pragma=wal_autocheckpoint(4000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	s := &Store{
		db: db, dir: dir, life: life.WithDefaults(), log: logger, lock: lock, every: every,
		jobs: make(chan job, 16), done: make(chan struct{}), quit: make(chan struct{}),
		matches: make(map[string]*live), keys: make(map[key]string),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.setUp(ctx); err != nil {
		s.closeDB()
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %s: %w", path, err)
	}
	go s.folder()
	go s.rotating()
	return s, nil
}

// setUp creates the tables, checks that the database can be written, and
// folds in the journal that the last process left.
func (s *Store) setUp(ctx context.Context) error {
	var check string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return err
	}
	if check != "ok" {
		return fmt.Errorf("the database is damaged: %s", check)
	}
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if err := s.connect(ctx); err != nil {
		return err
	}
	for ; v != 0 && migrations[v] != ""; v++ {
		if _, err := s.fc.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("bringing the tables from version %d to %d: %w", v, v+1, err)
		}
	}
	if v != 0 && v != 3 && v != version {
		return fmt.Errorf("the database has version %d of the tables, this server knows version %d", v, version)
	}
	if _, err := s.fc.ExecContext(ctx, schema); err != nil {
		return err
	}
	if v != version {
		if err := s.upgrade(ctx); err != nil {
			return err
		}
	}
	ns, err := segments(s.dir)
	if err != nil {
		return err
	}
	last, err := s.lastFolded(ctx, s.fc)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if err := s.foldSegment(ctx, n, false); err != nil {
			return fmt.Errorf("journal segment %d: %w", n, err)
		}
		last = max(last, n)
	}
	s.journal = journal{dir: s.dir, n: last + 1}
	rows, err := s.fc.QueryContext(ctx, `SELECT id FROM matches`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		s.known.add(id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return s.prepareFind(ctx)
}

// prepareFind gives the writes their own connection to read from, and
// their statement on it.
func (s *Store) prepareFind(ctx context.Context) error {
	if s.rc != nil {
		s.find.Close()
		s.rc.Close()
		s.rc, s.find = nil, nil
	}
	rc, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	find, err := rc.PrepareContext(ctx, `SELECT mode, joined, last, ended, n FROM matches WHERE id = ?`)
	if err != nil {
		rc.Close()
		return err
	}
	s.rc, s.find = rc, find
	return nil
}

// connect opens fc, the connection that writes.
func (s *Store) connect(ctx context.Context) error {
	fc, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	s.fc = fc
	return nil
}

// closeDB closes the writing connection, then the database.
func (s *Store) closeDB() error {
	if s.rc != nil {
		s.find.Close()
		s.rc.Close()
	}
	s.closeConn()
	return s.db.Close()
}

// closeConn closes the writing connection, which is not given back to the
// pool: it may be inside a transaction.
func (s *Store) closeConn() {
	if s.fc != nil {
		s.fc.Raw(func(any) error { return driver.ErrBadConn })
		s.fc.Close()
		s.fc = nil
	}
}

// quitting reports whether Close was called.
func (s *Store) quitting() bool {
	select {
	case <-s.quit:
		return true
	default:
		return false
	}
}

// ErrClosed is returned for a write asked for after Close.
var ErrClosed = errors.New("sqlstore: closed")

// Close folds the journal in and closes the database. Writes asked for
// later fail with ErrClosed.
func (s *Store) Close() error {
	s.closing.Do(func() {
		close(s.quit)
		s.wmu.Lock()
		s.closed = true
		// The folder folds the last segment in, then stops.
		if n := s.journal.rotate(); n > 0 {
			s.jobs <- job{seg: n}
		}
		close(s.jobs)
		s.wmu.Unlock()
	})
	<-s.done
	err := s.closeDB()
	s.lock.Close()
	return err
}

// Create implements session.Store.
func (s *Store) Create(ctx context.Context, h session.Header) error {
	return s.write(ctx, &request{op: 'c', head: h, id: h.ID})
}

// Append implements session.Store.
func (s *Store) Append(ctx context.Context, id string, at int, recs ...session.Record) error {
	return s.write(ctx, &request{op: 'a', id: id, at: at, recs: recs})
}

// Drop implements session.Store: the match ends and joins the archive; its
// keys go.
func (s *Store) Drop(ctx context.Context, id string) {
	if err := s.write(ctx, &request{op: 'd', id: id}); err != nil {
		s.log.Warn("dropping a match", "err", err)
	}
}

// rotating starts a new segment of the journal every s.every, until Close.
func (s *Store) rotating() {
	tick := time.NewTicker(s.every)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-s.quit:
			return
		}
		s.wmu.Lock()
		if !s.closed {
			s.rotateLocked(time.Time{})
		}
		s.wmu.Unlock()
	}
}

// rotateLocked starts a new segment of the journal and has the folder fold
// the last one in, then sweep if sweep is not zero; unless the folder is
// behind by as many jobs as it can queue, when they wait. s.wmu is held.
func (s *Store) rotateLocked(sweep time.Time) {
	if len(s.jobs) == cap(s.jobs) {
		return
	}
	if n := s.journal.rotate(); n > 0 || !sweep.IsZero() {
		s.jobs <- job{seg: n, sweep: sweep}
	}
}

// view is what a write sees of a match.
type view struct {
	exists, ended bool
	n             int
	mode          protocol.Mode
	joined        bool
	last          time.Time
}

// write checks r, writes its change to the journal as one frame, and
// publishes the records appended.
func (s *Store) write(ctx context.Context, r *request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return ErrClosed
	}
	now := s.life.Now()
	var v view
	if r.op != 'c' || s.known.mayHave(r.id) {
		var err error
		if v, err = s.view(r.id); err != nil {
			return err
		}
	}
	switch r.op {
	case 'c':
		if v.exists {
			return ErrExists
		}
	case 'a':
		switch {
		case !v.exists || v.ended || s.expired(v.mode, v.joined, v.last, now):
			return session.ErrNotFound
		case r.at > v.n:
			return session.ErrBehind
		case r.at < v.n:
			return session.ErrConflict
		}
	case 'd':
		if !v.exists || v.ended {
			return nil // nothing to do
		}
	}
	frame := binary.AppendVarint(beginFrame(s.frame), now.UnixMilli())
	frame = endFrame(appendChange(frame, r))
	if cap(frame) <= 1<<16 {
		s.frame = frame
	}
	if s.journal.full(len(frame)) {
		s.rotateLocked(time.Time{}) // unless the folder is behind: then written past the mapping
	}
	err := s.journal.write(frame)
	if s.SetHealth(cmp.Or(err, s.lastFoldErr())) {
		if err != nil {
			s.log.Error("database unwritable", "err", err)
		} else {
			s.log.Info("database writable again")
		}
	}
	if err != nil {
		return err
	}
	s.remember(r, v, now)
	if r.op == 'c' {
		s.known.add(r.id)
	}
	if r.op == 'a' {
		s.Publish(r.id, r.at, r.recs) // under s.wmu, so that news of one match keeps its order
	}
	if now.Sub(s.swept) >= time.Minute {
		s.swept = now
		s.rotateLocked(now)
	}
	return nil
}

// lastFoldErr returns the error of the last fold, or nil.
func (s *Store) lastFoldErr() error {
	if p := s.foldErr.Load(); p != nil {
		return *p
	}
	return nil
}

// view returns what is known of match id: from what the journal holds, or
// for a match not written to since the store opened, from the database.
// s.wmu is held.
func (s *Store) view(id string) (view, error) {
	s.mu.Lock()
	m := s.matches[id]
	var v view
	if m != nil {
		v = view{exists: true, ended: m.ended, n: m.n, mode: m.mode, joined: m.joined, last: m.last}
	}
	s.mu.Unlock()
	if m != nil {
		return v, nil
	}
	var (
		mode    string
		joined  bool
		last, n int64
		ended   sql.NullInt64
	)
	// Without a deadline: the driver watches a context that has one with a
	// goroutine a query.
	if s.find == nil {
		return view{}, errors.New("no connection to the database")
	}
	err := s.find.QueryRowContext(context.Background(), id).Scan(&mode, &joined, &last, &ended, &n)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return view{}, nil
	case err != nil:
		// The connection may be broken: the next write takes a new one.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if rerr := s.prepareFind(ctx); rerr != nil {
			s.log.Error("reconnecting to the database", "err", rerr)
		}
		return view{}, err
	}
	return view{exists: true, ended: ended.Valid, n: int(n), mode: protocol.Mode(mode), joined: joined, last: time.UnixMilli(last)}, nil
}

// remember notes what r, written to the journal, changed, which the
// database will know from its fold on; v is what r found of its match.
func (s *Store) remember(r *request, v view, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.matches[r.id]
	if m == nil && r.op != 'c' {
		m = &live{n: v.n, folded: v.n, mode: v.mode, joined: v.joined, last: v.last}
		s.matches[r.id] = m
	}
	switch r.op {
	case 'c':
		h := r.head
		s.matches[r.id] = &live{mode: h.Mode, last: now, head: &h}
		if h.Join != "" {
			s.keys[key{session.JoinKey, h.Join}] = h.ID
		}
		if h.Token != "" {
			s.keys[key{session.TokenKey, h.Token}] = h.ID
		}
	case 'a':
		for _, rec := range r.recs {
			m.pending = appendRecord(m.pending, rec)
		}
		m.n += len(r.recs)
		m.last = now
		for _, rec := range r.recs {
			if rec.Op == session.Joined {
				m.joined = true
				s.keys[key{session.TokenKey, rec.Token}] = r.id
			}
		}
	case 'd':
		m.ended = true
	}
}

// folder is the folder: it runs until Close, and the last segment is folded
// in, folding the segments in as the writes close them, and sweeping when
// asked to.
func (s *Store) folder() {
	defer close(s.done)
	for j := range s.jobs {
		if j.seg > 0 && !s.foldRetrying(j.seg) {
			for range s.jobs {
				// Closing, with a fold that fails: the segments left are
				// folded in at the next Open.
			}
			return
		}
		if !j.sweep.IsZero() {
			if err := s.sweep(j.sweep); err != nil {
				s.log.Warn("removing expired matches", "err", err)
			}
		}
	}
}

// foldRetrying folds segment n in, and tries again every second until it
// works, or until Close, when it gives up and returns false.
func (s *Store) foldRetrying(n int64) bool {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := s.foldSegment(ctx, n, !s.quitting())
		cancel()
		if err != nil {
			s.foldErr.Store(&err)
		} else {
			s.foldErr.Store(nil)
		}
		if err == nil {
			return true
		}
		s.log.Error("folding the journal into the database", "segment", n, "err", err)
		// The connection may be left in the transaction: take a new one.
		s.closeConn()
		select {
		case <-time.After(time.Second):
		case <-s.quit:
			return false
		}
		ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
		err = s.connect(ctx)
		cancel()
		if err != nil {
			s.log.Error("reconnecting to the database", "err", err)
		}
	}
}

// foldSegment folds journal segment n into the database in one
// transaction, paced if paced, unless the database says it was already,
// then forgets what it held and removes it.
func (s *Store) foldSegment(ctx context.Context, n int64, paced bool) error {
	if s.fc == nil {
		return errors.New("no connection to the database")
	}
	frames, torn, err := readSegment(s.dir, n)
	if err != nil {
		return err
	}
	if torn > 0 {
		s.log.Warn("journal: the end of a segment is not a whole frame, a write that never finished: ignored", "segment", n, "bytes", torn)
	}
	f := fold{paced: paced}
	var d decoder
	for _, frame := range frames {
		at, cs, err := d.changes(frame)
		if err != nil {
			return err
		}
		f.add(at, cs)
	}
	tx, err := s.fc.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	last, err := s.lastFolded(ctx, tx)
	if err != nil {
		return err
	}
	if n > last {
		if err := f.apply(ctx, tx, s.log); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('folded', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, n); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		s.forget(&f)
	}
	if err := os.Remove(segmentPath(s.dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Folded in: the next Open removes it.
		s.log.Warn("removing a journal segment folded in", "err", err)
	}
	return nil
}

// querier is a *sql.Conn or a *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// lastFolded returns the number of the last journal segment folded in.
func (s *Store) lastFolded(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'folded'`).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// forget drops what the journal held of f, now in the database.
func (s *Store) forget(f *fold) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, c := range f.matches {
		if m := s.matches[id]; m != nil {
			if c.head != nil {
				m.head = nil
			}
			m.folded += c.n
			m.pending = m.pending[min(len(c.log), len(m.pending)):]
			if len(m.pending) == 0 {
				m.pending = nil
			}
			if c.ended != 0 {
				delete(s.matches, id)
			}
		}
		for _, k := range c.keys {
			if s.keys[k] == id {
				delete(s.keys, k)
			}
		}
	}
	s.gen++
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

// sweep ends the matches that expired by now, which join the archive, and
// removes those of the archive older than Lifetimes.Archive. The folder
// sweeps after folding in the segment that was closed for it, so
// that the database's times are the latest, but for the records written
// since, which the journal's times in memory account for.
func (s *Store) sweep(now time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if s.fc == nil {
		return errors.New("no connection to the database")
	}
	tx, err := s.fc.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ms := now.UnixMilli()
	rows, err := tx.QueryContext(ctx, `SELECT id, mode, joined, last FROM matches WHERE ended IS NULL AND last <= ? - CASE WHEN mode = 'friends' AND joined = 0 THEN ? ELSE ? END`,
		ms, s.life.Invitation.Milliseconds(), s.life.Match.Milliseconds())
	if err != nil {
		return err
	}
	var expired []string
	for rows.Next() {
		var (
			id, mode string
			joined   bool
			last     int64
		)
		if err := rows.Scan(&id, &mode, &joined, &last); err != nil {
			rows.Close()
			return err
		}
		at, joined, ended := s.latest(id, last, joined)
		if ended || s.expired(protocol.Mode(mode), joined, at, now) {
			expired = append(expired, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range expired {
		if _, err := tx.ExecContext(ctx, `UPDATE matches SET ended = ? WHERE id = ? AND ended IS NULL`, ms, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM keys WHERE match = ?`, id); err != nil {
			return err
		}
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
		if !m.ended && m.head == nil && len(m.pending) == 0 && s.expired(m.mode, m.joined, m.last, now) {
			delete(s.matches, id)
		}
	}
	return nil
}

// latest returns a match's last record time, whether its second seat was
// taken and whether it ended, from the database's figures and the
// journal's, which may be newer.
func (s *Store) latest(id string, last int64, joined bool) (time.Time, bool, bool) {
	t := time.UnixMilli(last)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.matches[id]
	if m == nil {
		return t, joined, false
	}
	if m.last.After(t) {
		t = m.last
	}
	return t, joined || m.joined, m.ended
}

// Find implements session.Store.
func (s *Store) Find(ctx context.Context, kind session.KeyKind, k string) (string, error) {
	now := s.life.Now()
	for {
		// First what the journal holds, then the database, then the
		// journal again: if a fold came in between, the database may say
		// what the journal no longer does, or not yet.
		s.mu.Lock()
		gen := s.gen
		id, ok := s.keys[key{kind, k}]
		if kind == session.WatchKey {
			id, ok = k, s.matches[k] != nil && s.matches[k].head != nil
		}
		if m := s.matches[id]; ok && m != nil {
			gone := m.ended || s.expired(m.mode, m.joined, m.last, now)
			s.mu.Unlock()
			if gone {
				return "", session.ErrNotFound
			}
			return id, nil
		}
		s.mu.Unlock()
		q := `SELECT id, mode, joined, last FROM matches WHERE id = ? AND ended IS NULL`
		args := []any{k}
		if kind != session.WatchKey {
			q = `SELECT m.id, m.mode, m.joined, m.last FROM keys k JOIN matches m ON m.id = k.match WHERE k.kind = ? AND k.key = ? AND m.ended IS NULL`
			args = []any{string(kind), k}
		}
		var (
			mode   string
			joined bool
			last   int64
		)
		err := s.db.QueryRowContext(ctx, q, args...).Scan(&id, &mode, &joined, &last)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return "", session.ErrNotFound
		case err != nil:
			return "", err
		}
		s.mu.Lock()
		again := s.gen != gen
		s.mu.Unlock()
		if again {
			continue
		}
		at, joined, ended := s.latest(id, last, joined)
		if ended || s.expired(protocol.Mode(mode), joined, at, now) {
			return "", session.ErrNotFound
		}
		return id, nil
	}
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
// journal, and whether it ended (or expired).
func (s *Store) load(ctx context.Context, id string) (session.Header, []session.Record, bool, error) {
	for {
		s.mu.Lock()
		gen := s.gen
		s.mu.Unlock()
		var (
			h      = session.Header{ID: id}
			mode   string
			clock  string
			joined bool
			last   int64
			ended  sql.NullInt64
			log    []byte
		)
		err := s.db.QueryRowContext(ctx, `SELECT mode, join_key, token, conn, level, yellow, clock, joined, last, ended, log FROM matches WHERE id = ?`, id).
			Scan(&mode, &h.Join, &h.Token, &h.Conn, &h.Level, &h.Yellow, &clock, &joined, &last, &ended, &log)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
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
		s.mu.Lock()
		if s.gen != gen {
			s.mu.Unlock()
			continue // a fold came in between: the journal may have lost what the database did not have
		}
		m := s.matches[id]
		if !found && (m == nil || m.head == nil) {
			s.mu.Unlock()
			return h, nil, false, session.ErrNotFound
		}
		if !found {
			h = *m.head
		}
		var (
			pending []byte
			folded  int
		)
		if m != nil {
			pending, folded = slices.Clone(m.pending), m.folded
		}
		s.mu.Unlock()
		if m != nil {
			more, err := records(pending)
			skip := len(recs) - folded
			if err == nil && (skip < 0 || skip > len(more)) {
				err = fmt.Errorf("%d records in the database where %d were folded in: %w", len(recs), folded, session.ErrBadRecord)
			}
			if err != nil {
				return h, nil, false, fmt.Errorf("match %s: %w", id, err)
			}
			recs = append(recs, more[skip:]...)
		}
		at, joined, over := s.latest(id, last, joined)
		over = over || ended.Valid || s.expired(h.Mode, joined, at, s.life.Now())
		return h, recs, over, nil
	}
}
