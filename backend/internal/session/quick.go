package session

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"sync"

	"github.com/connect4go/connect4/shared/protocol"
)

// Quick match. A player who seeks an opponent starts a match of mode Quick,
// as a friend starts an invitation, but its join key stays private: it goes
// into a Queue instead. The next player who seeks takes the oldest key out
// of the Queue and joins that match, as a friend follows a link. Everything
// a game between friends has then comes with it: spectators, resume,
// rematch, and, on several servers, the Store's records.

// A Queue holds the join keys of the quick matches whose creators wait for
// an opponent, oldest first, in pools (one per time control; "" for
// untimed games). Its methods are safe for concurrent use. A Store that
// several servers share implements it too, so that players on different
// servers are paired; otherwise the Hub keeps a queue of its own.
type Queue interface {
	// Seek takes the oldest key waiting in pool out and returns it; if
	// none waits but key, it adds key and returns "".
	Seek(ctx context.Context, pool, key string) (string, error)
	// Unseek takes key out of pool, if it is there.
	Unseek(ctx context.Context, pool, key string) error
	// Put adds key to pool, first in line if first, else last, unless it
	// is there already: a key taken out by Seek whose match could not be
	// joined for a passing reason goes back where it was.
	Put(ctx context.Context, pool, key string, first bool) error
}

// localQueue is the Queue of one server.
type localQueue struct {
	mu    sync.Mutex
	pools map[string][]string
}

// Seek implements Queue.
func (q *localQueue) Seek(_ context.Context, pool, key string) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	keys := slices.DeleteFunc(q.pools[pool], func(k string) bool { return k == key })
	if len(keys) > 0 {
		q.pools[pool] = keys[1:]
		return keys[0], nil
	}
	if q.pools == nil {
		q.pools = make(map[string][]string)
	}
	q.pools[pool] = append(keys, key)
	return "", nil
}

// Unseek implements Queue.
func (q *localQueue) Unseek(_ context.Context, pool, key string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pools[pool] = slices.DeleteFunc(q.pools[pool], func(k string) bool { return k == key })
	return nil
}

// Put implements Queue.
func (q *localQueue) Put(_ context.Context, pool, key string, first bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pools == nil {
		q.pools = make(map[string][]string)
	}
	keys := q.pools[pool]
	switch {
	case slices.Contains(keys, key):
	case first:
		q.pools[pool] = append([]string{key}, keys...)
	default:
		q.pools[pool] = append(keys, key)
	}
	return nil
}

// pairTries bounds how many waiting players a seeker tries in a row whose
// matches have gone meanwhile (they left, or cancelled, or their server was
// killed) before it waits in line itself. Each try takes a dead key out of
// the queue for good, so the next seeker finds fewer.
const pairTries = 256

// seek starts a quick match for c, with the clock of cmd, and pairs it with
// a player who chose the same clock, or puts it in the queue.
func (c *Client) seek(cmd protocol.Seek) error {
	if c.match != nil {
		if c.seat == 0 && c.match.isSeeking() {
			return protocol.ErrSeeking
		}
		return protocol.ErrInGame
	}
	c.version = protocol.Version
	m, err := newMatch(c.hub, protocol.Quick, opponent{}, cmd.Clock, c, true)
	if err != nil {
		return err
	}
	c.match, c.seat = m, 0
	return c.pair(false)
}

// pair takes c, the creator of a quick match that waits for an opponent, to
// the match of the player who waits longest, or else puts its match in the
// queue and tells c it waits: its Started, unless announced says c has it,
// then Seeking. A seeker paired at once is sent only the Started of the game
// it joined.
//
// Before it joins another's match, c withdraws its own, for good, with a
// record: a player who took its key from the queue meanwhile finds it
// closed, and tries the next, so that no one is ever in two matches. If
// the other's match could not be joined, c starts a match afresh.
func (c *Client) pair(announced bool) error {
	h := c.hub
	for range pairTries {
		own := c.match
		key, clock := own.queued()
		pool := clock.String()
		ctx := h.storeContext()
		other, err := h.queue.Seek(ctx, pool, key)
		ctx.cancel()
		switch {
		case err != nil:
			own.cancelSeek()
			c.match, c.seat = nil, spectator
			return unavailable(err)
		case other == "":
			own.waiting(c, announced)
			return nil
		case !h.joinable(other):
			continue // a key left behind: it is out of the queue now
		case !own.cancelSeek():
			// Paired meanwhile, by a player who took the key before:
			// c plays that game, and the other waits on.
			h.putBack(pool, other)
			return nil
		}
		c.match, c.seat = nil, spectator
		err = c.enter(JoinKey, other, protocol.ErrInvitation, func(m *match, c *Client) error { return m.join(c, coin()) })
		if err == nil {
			return nil
		}
		if !errors.Is(err, protocol.ErrInvitation) && !errors.Is(err, protocol.ErrSeatTaken) {
			h.putBack(pool, other) // its creator still waits: give the place back
		}
		m, err := newMatch(h, protocol.Quick, opponent{}, clock, c, true)
		if err != nil {
			return err
		}
		c.match, c.seat, announced = m, 0, false
	}
	// Only matches gone meanwhile in the way: wait in line.
	own := c.match
	key, clock := own.queued()
	pool := clock.String()
	ctx := h.storeContext()
	defer ctx.cancel()
	if err := h.queue.Put(ctx, pool, key, false); err != nil {
		own.cancelSeek()
		c.match, c.seat = nil, spectator
		return unavailable(err)
	}
	own.waiting(c, announced)
	return nil
}

// joinable reports whether a match has the join key key, as far as the Store
// knows; an error of the Store says yes, and the join that follows tells.
func (h *Hub) joinable(key string) bool {
	ctx := h.storeContext()
	defer ctx.cancel()
	_, err := h.store.Find(ctx, JoinKey, key)
	return !errors.Is(err, ErrNotFound)
}

// putBack puts key, taken out of pool by Seek, back first in line.
func (h *Hub) putBack(pool, key string) {
	ctx := h.storeContext()
	defer ctx.cancel()
	if err := h.queue.Put(ctx, pool, key, true); err != nil {
		h.log.Warn("quick match: giving a player back its place", "err", err)
	}
}

// coin returns true or false, at random.
func coin() bool {
	var b [1]byte
	rand.Read(b[:])
	return b[0]&1 == 1
}

// cancel takes c out of the queue, and ends its quick match.
func (c *Client) cancel() error {
	if c.match == nil || c.seat != 0 || !c.match.isSeeking() {
		return protocol.ErrNotSeeking
	}
	if !c.match.cancelSeek() {
		return protocol.ErrNotSeeking // paired meanwhile: its Started is on its way
	}
	c.match, c.seat = nil, spectator
	c.send(protocol.Cancelled{})
	return nil
}

// isSeeking reports whether m is a quick match that waits for an opponent.
func (m *match) isSeeking() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.seeking()
}

// queued returns the key that joins m, and its clock, whose name is the pool
// of the queue it waits in.
func (m *match) queued() (key string, clock protocol.TimeControl) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.head.Join, m.st.head.Clock
}

// waiting tells c, which holds the first seat of m, that it waits in the
// queue, with its Started first unless announced, and arms the offer of
// the computer; nothing if m was paired meanwhile (the pairing sent c its
// Started).
func (m *match) waiting(c *Client, announced bool) {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.st.seeking() || m.here[0].holder != c {
		return
	}
	if !announced {
		c.send(m.started(0))
	}
	since := m.hub.cfg.Now().UnixMilli()
	c.send(protocol.Seeking{Since: since, Playing: m.hub.Stats().Clients})
	if m.offer != nil {
		m.offer.Stop()
	}
	m.offer = m.hub.cfg.AfterFunc(m.hub.cfg.QuickWait, func() {
		defer m.guard(nil)
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.st.seeking() && m.here[0].holder == c {
			c.send(protocol.Seeking{Since: since, Playing: m.hub.Stats().Clients, Offer: true})
		}
	})
}

// cancelSeek takes m out of the queue and closes it for good, with a record
// that every server sees, unless it was paired meanwhile: then it reports
// false. A player who took m's key from the queue meanwhile finds it
// closed. Its creator stays connected, for another game.
func (m *match) cancelSeek() (ok bool) {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || !m.st.seeking() {
		return false
	}
	m.unseek()
	m.here[0].holder = nil // not closed with the match: it stays connected
	err := m.do(func() ([]Record, error) { return m.st.decideClose(m.hub.cfg.Now()), nil })
	if !m.closed {
		// The Store refused the record: end it here all the same.
		m.hub.log.Warn("quick match: closing a cancelled match", "match", m.num, "err", err)
		m.end(true)
	}
	return true
}

// unseek takes m out of the queue, and stops the offer of the computer; m.mu
// is held. A player who took m's key meanwhile finds m gone, or its creator
// away, and tries the next.
func (m *match) unseek() {
	if m.offer != nil {
		m.offer.Stop()
		m.offer = nil
	}
	ctx := m.hub.storeContext()
	defer ctx.cancel()
	if err := m.hub.queue.Unseek(ctx, m.st.head.Clock.String(), m.st.head.Join); err != nil {
		m.hub.log.Warn("quick match: leaving the queue", "match", m.num, "err", err)
	}
}
