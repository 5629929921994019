package session

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/connect4go/connect4/shared/protocol"
)

// A Store keeps the matches: their keys and, in order, the records of what
// happened in them. The Hub keeps a copy of each match it has clients in and
// changes a match only by appending records at the end of what it has: when
// another server appended first, the Store refuses with ErrConflict, and the
// Hub catches up and decides again. So servers that share a Store never both
// accept a move for the same turn.
//
// [NewMemStore] keeps the matches of one process in memory; the sqlstore
// package keeps them on disk, and the redisstore package shares them between
// servers.
type Store interface {
	// Create stores a new match, findable by its keys from then on.
	Create(ctx context.Context, h Header) error
	// Find returns the id of the match that key names as kind, or
	// ErrNotFound.
	Find(ctx context.Context, kind KeyKind, key string) (string, error)
	// Load returns the header of match id and its records from the from-th
	// on, or ErrNotFound.
	Load(ctx context.Context, id string, from int) (Header, []Record, error)
	// Append adds recs to match id if it has exactly at records, fails with
	// ErrConflict if it has more, with ErrBehind if it has fewer (the Store
	// lost some), and with ErrNotFound if it has ended or has none. The
	// tokens of Joined records become keys of the match.
	Append(ctx context.Context, id string, at int, recs ...Record) error
	// Follow tells f of the records other servers append to match id, until
	// the returned stop is called. A Store that no other server shares may
	// tell it nothing.
	Follow(id string, f Follower) (stop func())
	// Alive reports whether the server named server, among those sharing
	// the Store, still runs (see Config.Server). A Store that no other
	// server shares says true.
	Alive(ctx context.Context, server string) (bool, error)
	// Drop forgets match id: no one is in it any more, nor can come back,
	// or it closed for idleness. A Store that servers share may keep it
	// until it expires instead, for a spectator on another server.
	Drop(ctx context.Context, id string)
}

// An Archive is a Store that keeps the matches that ended, with their
// records, for review and history.
type Archive interface {
	// Archived returns the header and records of match id, which ended, or
	// ErrNotFound if it has not ended or is not kept any more.
	Archived(ctx context.Context, id string) (Header, []Record, error)
}

// A Follower is told of the records appended to a match.
type Follower interface {
	// Appended is told that recs were appended from position at on. Calls for
	// one match come one at a time, in order, but some may be missed and
	// some repeated.
	Appended(at int, recs []Record)
	// Resync is told that records may have been missed, after a lost
	// connection to the Store.
	Resync()
}

// Errors of a Store.
var (
	ErrNotFound = errors.New("session: no such match")
	ErrConflict = errors.New("session: match changed meanwhile")
	ErrBehind   = errors.New("session: the store has fewer records than the server")
)

// KeyKind says what a key gives its holder.
type KeyKind string

// The kinds of keys. A match's id is its watch key.
const (
	JoinKey  KeyKind = "join"
	WatchKey KeyKind = "watch"
	TokenKey KeyKind = "token"
)

// Header is what a match starts with.
type Header struct {
	ID     string // the watch key
	Mode   protocol.Mode
	Join   string               // the join key of a Friends match, or ""
	Token  string               // the first seat's resume token, or "" in a tutorial hot-seat game
	Conn   string               // the connection that holds the first seat
	Level  string               // the computer's level, in a Computer match
	Yellow bool                 // the human plays yellow in the first game
	Clock  protocol.TimeControl // the clock of each game, between two people; zero for none
}

// Op is the kind of a Record.
type Op byte

// The records of a match.
const (
	Joined    Op = 'J' // the second seat taken, with Token, by Conn; in a Quick match, Seat 1 if it plays red first
	Held      Op = 'H' // Seat's token used again by Conn, who holds it now
	Left      Op = 'L' // Seat's holder gone, back by At or the game is abandoned
	Moved     Op = 'M' // a checker in Column, by whoever's turn it was
	Offered   Op = 'O' // Seat wants a rematch; the second offer starts it
	NewRound  Op = 'N' // the next game, colours swapped
	Abandoned Op = 'A' // Seat did not come back in time
	Closed    Op = 'C' // the match closed for idleness
	TimedOut  Op = 'T' // Seat's clock ran out, in a timed game
	TookBack  Op = 'B' // the last Column moves taken back, in a hot-seat game or against the computer
)

// Record is one thing that happened in a match. Which fields count depends on
// Op.
type Record struct {
	Op     Op
	Seat   int
	Column int
	Token  string
	Conn   string
	// At is, for a Left record, when the seat is given up; in a timed
	// game, for the records that start or end a turn (Joined, Moved,
	// Offered, NewRound, TimedOut), when they happened. To the millisecond.
	At time.Time
}

// ErrBadRecord is returned by a Store that holds a record it cannot read.
var ErrBadRecord = errors.New("session: malformed record")

// Lifetimes says how long a Store of one machine keeps a match that no
// server holds. The zero value of a field means its default.
type Lifetimes struct {
	// Match is how long a match is kept after its last record; the default
	// is an hour. Keep it above the games' idle time (Config.Idle), so that
	// the idle close finds the match and records it.
	Match time.Duration
	// Invitation is how long a match between friends whose second seat was
	// never taken is kept after its last record, for the friend to come;
	// the default is a day.
	Invitation time.Duration
	// Archive is how long a match that ended is kept, with its records, for
	// review and history; the default is 30 days. A Store without an archive
	// ignores it.
	Archive time.Duration
	// Now tells the time; the default is time.Now.
	Now func() time.Time
}

// WithDefaults returns l with its zero fields set to their defaults.
func (l Lifetimes) WithDefaults() Lifetimes {
	if l.Match == 0 {
		l.Match = time.Hour
	}
	if l.Invitation == 0 {
		l.Invitation = 24 * time.Hour
	}
	if l.Archive == 0 {
		l.Archive = 30 * 24 * time.Hour
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	return l
}

// Of returns how long a match is kept after its last record: joined says
// whether its second seat was ever taken, in a match between friends.
func (l Lifetimes) Of(mode protocol.Mode, joined bool) time.Duration {
	if mode == protocol.Friends && !joined {
		return l.Invitation
	}
	return l.Match
}

// memStore is the Store of one process: it keeps the matches in memory, and
// loses them when the process ends. Matches expire as its Lifetimes say; it
// keeps no archive.
type memStore struct {
	Local
	life Lifetimes

	mu      sync.Mutex
	keys    map[KeyKind]map[string]string // join keys and tokens
	matches map[string]*memMatch
	swept   time.Time // when expired matches were last removed
}

type memMatch struct {
	head   Header
	recs   []Record
	joined bool      // a Joined record is among recs
	last   time.Time // of the last record, or the creation
	keys   []string  // join key and tokens
}

var _ Store = (*memStore)(nil)

// NewMemStore returns the Store of a single process, which keeps the matches
// in memory for as long as life says. It is safe for concurrent use.
func NewMemStore(life Lifetimes) Store {
	return &memStore{
		life:    life.WithDefaults(),
		keys:    map[KeyKind]map[string]string{JoinKey: {}, TokenKey: {}},
		matches: make(map[string]*memMatch),
	}
}

// sweepEvery is how often a Store of one machine removes expired matches.
const sweepEvery = time.Minute

func (s *memStore) Create(_ context.Context, h Header) error {
	now := s.life.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.swept) >= sweepEvery {
		s.swept = now
		for id, m := range s.matches {
			if s.expired(m, now) {
				s.dropLocked(id, m)
			}
		}
	}
	m := &memMatch{head: h, last: now}
	s.matches[h.ID] = m
	s.indexLocked(m, JoinKey, h.Join, h.ID)
	s.indexLocked(m, TokenKey, h.Token, h.ID)
	return nil
}

// expired reports whether m expired by now.
func (s *memStore) expired(m *memMatch, now time.Time) bool {
	return now.Sub(m.last) >= s.life.Of(m.head.Mode, m.joined)
}

// indexLocked makes key of kind name match id, unless it is empty; s.mu is
// held.
func (s *memStore) indexLocked(m *memMatch, kind KeyKind, key, id string) {
	if key != "" {
		s.keys[kind][key] = id
		m.keys = append(m.keys, key)
	}
}

// matchLocked returns match id unless it expired, or nil; s.mu is held.
func (s *memStore) matchLocked(id string) *memMatch { return s.matchAtLocked(id, s.life.Now()) }

// matchAtLocked returns match id unless it expired by now, or nil; s.mu is
// held.
func (s *memStore) matchAtLocked(id string, now time.Time) *memMatch {
	m := s.matches[id]
	if m == nil || s.expired(m, now) {
		return nil
	}
	return m
}

func (s *memStore) Find(_ context.Context, kind KeyKind, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := key
	if kind != WatchKey {
		id = s.keys[kind][key]
	}
	if s.matchLocked(id) == nil {
		return "", ErrNotFound
	}
	return id, nil
}

func (s *memStore) Load(_ context.Context, id string, from int) (Header, []Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.matchLocked(id)
	if m == nil || from > len(m.recs) {
		return Header{}, nil, ErrNotFound
	}
	return m.head, slices.Clone(m.recs[from:]), nil
}

func (s *memStore) Append(_ context.Context, id string, at int, recs ...Record) error {
	now := s.life.Now() // one reading of the clock a move
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.matchAtLocked(id, now)
	switch {
	case m == nil:
		return ErrNotFound
	case at > len(m.recs):
		return ErrBehind
	case at < len(m.recs):
		return ErrConflict
	}
	m.recs = append(m.recs, recs...)
	m.last = now
	for _, r := range recs {
		if r.Op == Joined {
			m.joined = true
			s.indexLocked(m, TokenKey, r.Token, id)
		}
	}
	s.Publish(id, at, recs) // under s.mu, so that news of one match keeps its order
	return nil
}

func (s *memStore) Drop(_ context.Context, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.matches[id]; ok {
		s.dropLocked(id, m)
	}
}

// dropLocked forgets match id and its keys; s.mu is held.
func (s *memStore) dropLocked(id string, m *memMatch) {
	for _, key := range m.keys {
		delete(s.keys[JoinKey], key)
		delete(s.keys[TokenKey], key)
	}
	delete(s.matches, id)
}
