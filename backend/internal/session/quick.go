package session

import (
	"context"
	"crypto/rand"
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

// pairTries bounds how many waiting players a seeker tries in a row whose
// matches have gone meanwhile (they left, or cancelled) before it waits in
// the queue itself.
const pairTries = 8

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
	return c.pair()
}

// pair takes c, the creator of a quick match that waits for an opponent, to
// the match of the player who waits longest, or else puts its match in the
// queue and tells c it waits.
func (c *Client) pair() error {
	own, h := c.match, c.hub
	key, pool := own.queued()
	for range pairTries {
		ctx, cancel := h.storeContext()
		other, err := h.queue.Seek(ctx, pool, key)
		cancel()
		switch {
		case err != nil:
			own.cancelSeek()
			c.match, c.seat = nil, spectator
			return unavailable(err)
		case other == "":
			own.waiting(c)
			return nil
		}
		err = c.enter(JoinKey, other, protocol.ErrInvitation, func(m *match, c *Client) error { return m.join(c, coin()) })
		if err == nil {
			own.cancelSeek()
			return nil
		}
		c.match, c.seat = own, 0 // its creator left the queue meanwhile: the next
	}
	ctx, cancel := h.storeContext()
	defer cancel()
	if err := h.queue.Unseek(ctx, pool, key); err != nil {
		h.log.Warn("quick match: leaving the queue", "err", err)
	}
	own.waiting(c)
	return nil
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

// queued returns the key that joins m, and the pool of the queue it waits
// in: its time control.
func (m *match) queued() (key, pool string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.head.Join, m.st.head.Clock.String()
}

// waiting tells c, which holds the first seat of m, that it waits in the
// queue, and arms the offer of the computer; nothing if m was paired
// meanwhile.
func (m *match) waiting(c *Client) {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.st.seeking() || m.here[0].holder != c {
		return
	}
	since := m.hub.cfg.Now()
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

// cancelSeek takes m out of the queue and ends it, unless it was paired
// meanwhile: then it reports false. Its creator stays connected, for
// another game.
func (m *match) cancelSeek() bool {
	defer m.guard(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.st.seeking() {
		return false
	}
	m.unseek()
	m.here[0].holder = nil
	m.end(true)
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
	ctx, cancel := m.hub.storeContext()
	defer cancel()
	if err := m.hub.queue.Unseek(ctx, m.st.head.Clock.String(), m.st.head.Join); err != nil {
		m.hub.log.Warn("quick match: leaving the queue", "match", m.num, "err", err)
	}
}
