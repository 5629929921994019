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
// Neither can afford a transaction a commit: a whole move costs the server
// about 25 µs in memory, and every SQLite commit writes whole pages of 4 KiB
// to its WAL. So the moves do not go through SQLite as they come. One
// goroutine, the committer, takes every write waiting at once and appends
// their changes (new matches, records, matches dropped) to a journal file as
// one checksummed frame, in one write(2) (journal.go): bytes, not pages. A
// change is thus in the operating system's hands before anyone is told of
// it, and survives the server's crash or kill -9. Every foldEvery the
// committer starts a new journal file, and another goroutine, the folder,
// folds the one it closed into the database in one transaction (a row a
// match it touched), flushed to disk, then removes the file. Open folds in
// whatever a crash left.
//
// Until it is folded in, what the journal holds is also kept in memory (the
// matches' records since the last fold, their new keys, their ends), and the
// reads add it to what the database says.
//
// An operating system crash or a power cut may lose the journal's last
// seconds, which are not flushed to disk (fsync) before the fold: the moves
// of the last foldEvery or so.
//
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
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// FileName is the database's file in the data directory.
const FileName = "connect4.db"

// maxBatch bounds the requests one commit carries.
const maxBatch = 1024

// version is the version of the tables, in PRAGMA user_version.
const version = 3

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

// foldEvery is how often the committer starts a new journal segment, and
// the folder folds the last one in.
const foldEvery = 2 * time.Second

// Store is a session.Store in a SQLite database and its journal. It is safe
// for concurrent use; call Close when done.
type Store struct {
	session.Local
	session.Health // whether the last commit, and the last fold, worked
	db             *sql.DB
	dir            string
	life           session.Lifetimes
	log            *slog.Logger
	lock           *os.File // flocked: one process a directory

	reqs    chan *request
	jobs    chan job      // from the committer to the folder
	stopped chan struct{} // closed when the committer returns
	done    chan struct{} // closed when the folder returns
	quit    chan struct{} // closed by Close: the committer finishes
	closing sync.Once

	// The committer's: the segment it writes to, and a frame's buffer.
	journal journal
	frame   []byte
	every   time.Duration // foldEvery, but in tests

	// fc is the connection that writes to the database, the folder's once
	// the store is open. Its commits are flushed to disk
	// (synchronous=FULL): the journal they fold in is removed after them.
	fc *sql.Conn

	// mu guards matches and keys, what the committer knows of the matches
	// that last and were written to since the store opened, and what the
	// journal holds that the database does not yet; and gen, which counts
	// the folds, and foldErr, how the last one went.
	mu      sync.Mutex
	matches map[string]*live
	keys    map[key]string // the keys not folded in yet, and their matches
	gen     uint64
	foldErr error
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

// live is what the committer knows of a match that lasts (or ended, until
// the database knows it), written to since the store opened.
type live struct {
	n      int // records, folded in or not
	mode   protocol.Mode
	joined bool
	last   time.Time // of the last record
	ended  bool      // dropped, not yet folded in

	head    *session.Header  // while the database has no row for it
	folded  int              // records in the database's log
	pending []session.Record // the records from folded on, in the journal only
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
		db: db, dir: dir, life: life.WithDefaults(), log: logger, lock: lock,
		reqs: make(chan *request, maxBatch), jobs: make(chan job, 16),
		stopped: make(chan struct{}), done: make(chan struct{}), quit: make(chan struct{}),
		matches: make(map[string]*live), keys: make(map[key]string), every: every,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.setUp(ctx); err != nil {
		s.closeDB()
		lock.Close()
		return nil, fmt.Errorf("sqlstore: %s: %w", path, err)
	}
	go s.commit()
	go s.folder()
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
	if v != 0 && v != 2 && v != version {
		return fmt.Errorf("the database has version %d of the tables, this server knows version %d", v, version)
	}
	if err := s.connect(ctx); err != nil {
		return err
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
		if err := s.foldSegment(ctx, n); err != nil {
			return fmt.Errorf("journal segment %d: %w", n, err)
		}
		last = max(last, n)
	}
	s.journal = journal{dir: s.dir, n: last + 1}
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

// ErrClosed is returned for a write asked for after Close.
var ErrClosed = errors.New("sqlstore: closed")

// Close stops the committer once the writes already asked for are done,
// folds the journal in, and closes the database. Writes asked for later
// fail with ErrClosed.
func (s *Store) Close() error {
	s.closing.Do(func() { close(s.quit) })
	<-s.stopped
	<-s.done
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

// commit is the committer: it runs until Close, taking the requests waiting
// at once into one frame of the journal, and starting a new segment of the
// journal every foldEvery, and for a sweep once a minute.
func (s *Store) commit() {
	defer close(s.stopped)
	tick := time.NewTicker(s.every)
	defer tick.Stop()
	var swept time.Time
	for {
		var r *request
		select {
		case r = <-s.reqs:
		case <-tick.C:
			s.rotate(time.Time{})
			continue
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
		s.mu.Lock()
		if err == nil {
			err = s.foldErr
		}
		s.mu.Unlock()
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
			s.rotate(now)
		}
	}
	// The folder folds the last segment in, then stops.
	if n := s.journal.rotate(); n > 0 {
		s.jobs <- job{seg: n}
	}
	close(s.jobs)
}

// rotate starts a new segment of the journal and has the folder fold the
// last one in, then sweep if sweep is not zero; unless the folder is behind
// by as many jobs as it can queue, which then wait.
func (s *Store) rotate(sweep time.Time) {
	if len(s.jobs) == cap(s.jobs) {
		return
	}
	if n := s.journal.rotate(); n > 0 || !sweep.IsZero() {
		s.jobs <- job{seg: n, sweep: sweep}
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

// view is what a batch sees of a match.
type view struct {
	exists, ended bool
	n             int
	mode          protocol.Mode
	joined        bool
	last          time.Time
}

// commitBatch writes the changes of batch to the journal in one frame, and
// returns each request's answer, or the error that failed the write.
func (s *Store) commitBatch(batch []*request, now time.Time) ([]error, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errs := make([]error, len(batch))
	written := make([]bool, len(batch))
	before := make(map[string]view) // what the batch found
	views := make(map[string]view)  // and made of it
	frame := binary.AppendVarint(beginFrame(s.frame), now.UnixMilli())
	empty := len(frame)
	for i, r := range batch {
		v, ok := views[r.id]
		if !ok {
			var err error
			if v, err = s.view(ctx, r.id); err != nil {
				errs[i] = err
				continue
			}
			before[r.id] = v
		}
		switch r.op {
		case 'c':
			if v.exists {
				errs[i] = ErrExists
				continue
			}
			v = view{exists: true, mode: r.head.Mode, last: now}
		case 'a':
			switch {
			case !v.exists || v.ended || s.expired(v.mode, v.joined, v.last, now):
				errs[i] = session.ErrNotFound
				continue
			case r.at > v.n:
				errs[i] = session.ErrBehind
				continue
			case r.at < v.n:
				errs[i] = session.ErrConflict
				continue
			}
			v.n += len(r.recs)
			v.last = now
			v.joined = v.joined || slices.ContainsFunc(r.recs, func(rec session.Record) bool { return rec.Op == session.Joined })
		case 'd':
			if !v.exists || v.ended {
				continue // nothing to do
			}
			v.ended = true
		}
		views[r.id] = v
		frame = appendChange(frame, r)
		written[i] = true
	}
	if len(frame) == empty {
		return errs, nil
	}
	frame = endFrame(frame)
	if cap(frame) <= 1<<20 {
		s.frame = frame
	}
	if err := s.journal.write(frame); err != nil {
		for i := range errs {
			if written[i] {
				errs[i] = err
			}
		}
		return errs, err
	}
	s.remember(batch, written, before, now)
	return errs, nil
}

// view returns what is known of match id: from what the journal holds, or
// for a match not written to since the store opened, from the database.
func (s *Store) view(ctx context.Context, id string) (view, error) {
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
	err := s.db.QueryRowContext(ctx, `SELECT mode, joined, last, ended, n FROM matches WHERE id = ?`, id).Scan(&mode, &joined, &last, &ended, &n)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return view{}, nil
	case err != nil:
		return view{}, err
	}
	return view{exists: true, ended: ended.Valid, n: int(n), mode: protocol.Mode(mode), joined: joined, last: time.UnixMilli(last)}, nil
}

// remember notes what the requests written to the journal changed, which
// the database will know from their fold on; before is what the batch found
// of their matches.
func (s *Store) remember(batch []*request, written []bool, before map[string]view, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range batch {
		if !written[i] {
			continue
		}
		m := s.matches[r.id]
		if m == nil && r.op != 'c' {
			b := before[r.id]
			m = &live{n: b.n, folded: b.n, mode: b.mode, joined: b.joined, last: b.last}
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
			m.pending = append(m.pending, r.recs...)
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
}

// folder is the folder: it runs until the committer stops and its last
// segment is folded in, folding the segments in as the committer closes
// them, and sweeping when asked to.
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
		err := s.foldSegment(ctx, n)
		cancel()
		s.mu.Lock()
		s.foldErr = err
		s.mu.Unlock()
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
// transaction, unless the database says it was already, then forgets what
// it held and removes it.
func (s *Store) foldSegment(ctx context.Context, n int64) error {
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
	var f fold
	for _, frame := range frames {
		at, cs, err := changes(frame)
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
			k := min(c.n, len(m.pending))
			m.folded += k
			m.pending = m.pending[k:]
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
// sweeps after folding in the segment that the committer closed for it, so
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
			joined bool
			last   int64
			ended  sql.NullInt64
			log    []byte
		)
		err := s.db.QueryRowContext(ctx, `SELECT mode, join_key, token, conn, level, yellow, joined, last, ended, log FROM matches WHERE id = ?`, id).
			Scan(&mode, &h.Join, &h.Token, &h.Conn, &h.Level, &h.Yellow, &joined, &last, &ended, &log)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return h, nil, false, err
		}
		h.Mode = protocol.Mode(mode)
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
		switch {
		case !found && (m == nil || m.head == nil):
			s.mu.Unlock()
			return h, nil, false, session.ErrNotFound
		case !found:
			h = *m.head
			recs = slices.Clone(m.pending)
		case m != nil:
			skip := len(recs) - m.folded
			if skip < 0 || skip > len(m.pending) {
				s.mu.Unlock()
				return h, nil, false, fmt.Errorf("match %s: %d records in the database where %d were folded in: %w", id, len(recs), m.folded, session.ErrBadRecord)
			}
			recs = append(recs, m.pending[skip:]...)
		}
		s.mu.Unlock()
		at, joined, over := s.latest(id, last, joined)
		over = over || ended.Valid || s.expired(h.Mode, joined, at, s.life.Now())
		return h, recs, over, nil
	}
}
