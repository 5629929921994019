package session

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
)

// Feed hands news of a match to a Follower in order, on one short-lived
// goroutine at a time, started when news comes and ended when none is left:
// a Store that learns of records from a goroutine of its own posts them to a
// Feed, so that a follower slow to take them (its match busy with a Store
// call) delays no other, and no Store call waits for a match's lock.
//
// A Feed is itself a Follower whose methods return at once. It is safe for
// concurrent use.
type Feed struct {
	f    Follower
	own  appender // f, if it appends records itself
	news serial[news]
}

// appender is a Follower that appends records itself: news of records it is
// appending need not be handed to it (a match, whose own appends a Store in
// this process publishes while it waits for the Store).
type appender interface {
	// appending reports whether the follower is appending records that
	// end at position end. If it is, it takes news of them as had: should
	// its append fail, it catches up with the Store.
	appending(end int) bool
}

// news is what a follower is told: records appended, or to resync (recs nil).
type news struct {
	at   int
	recs []Record
}

// NewFeed returns a Feed that hands news to f.
func NewFeed(f Follower) *Feed {
	own, _ := f.(appender)
	return &Feed{f: f, own: own}
}

// Appended queues the records appended from position at for the follower.
func (e *Feed) Appended(at int, recs []Record) {
	if e.own != nil && e.own.appending(at+len(recs)) {
		return // its own, or another's that makes its own fail
	}
	e.news.post(news{at: at, recs: recs}, e.hand)
}

// Resync queues a resync for the follower.
func (e *Feed) Resync() { e.news.post(news{}, e.hand) }

// hand hands over the news that came while the follower was busy: records
// that follow one another as one call of Appended, so that a match that
// falls behind catches up at once, and sends each of its clients the
// records' events in one batch rather than one by one.
func (e *Feed) hand(queued []news) {
	for len(queued) > 0 {
		n := queued[0]
		queued = queued[1:]
		if n.recs == nil {
			e.f.Resync()
			continue
		}
		recs := n.recs
		for len(queued) > 0 && queued[0].recs != nil && queued[0].at <= n.at+len(recs) {
			next := queued[0]
			queued = queued[1:]
			if end := next.at + len(next.recs); end > n.at+len(recs) {
				// Copied, not appended to: the slices are the Store's.
				recs = slices.Concat(recs, next.recs[n.at+len(recs)-next.at:])
			}
		}
		e.f.Appended(n.at, recs)
	}
}

// serial hands values to a function in order, on one short-lived goroutine,
// started when a value comes and ended when none is left: whoever posts
// never waits for the function. The values posted while the function runs
// are handed to its next call together. Its zero value is ready to use, and
// it is safe for concurrent use.
type serial[T any] struct {
	mu      sync.Mutex
	queue   []T // from head on; its room is kept when it empties
	head    int
	running bool
}

// post queues v for f, the same function at every post.
func (q *serial[T]) post(v T, f func([]T)) {
	q.mu.Lock()
	q.queue = append(q.queue, v)
	start := !q.running
	q.running = true
	q.mu.Unlock()
	if start {
		go q.hand(f)
	}
}

// hand calls f with the queued values until none is left.
func (q *serial[T]) hand(f func([]T)) {
	for {
		q.mu.Lock()
		if q.head == len(q.queue) {
			clear(q.queue)
			q.queue, q.head = q.queue[:0], 0
			q.running = false
			q.mu.Unlock()
			return
		}
		// Posts append past the values handed, and only this goroutine
		// clears them, once f has returned.
		vs := q.queue[q.head:len(q.queue):len(q.queue)]
		q.head = len(q.queue)
		q.mu.Unlock()
		f(vs)
	}
}

// Local is what the servers that share a Store inside one process share
// besides the matches: who follows which match, and which servers run. The
// Stores of one machine, in memory and on disk, embed it; a Hub registers its
// server with it (see [Local.Register]). Its zero value is ready to use, and
// it is safe for concurrent use.
type Local struct {
	mu        sync.Mutex
	followers map[string]map[*Feed]struct{} // by match id
	servers   map[string]int                // registrations of each running server
}

// Follow implements Store: f is told of what any server of this process
// appends to match id from now on, until stop is called.
func (l *Local) Follow(id string, f Follower) (stop func()) {
	e := NewFeed(f)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.followers == nil {
		l.followers = make(map[string]map[*Feed]struct{})
	}
	if l.followers[id] == nil {
		l.followers[id] = make(map[*Feed]struct{})
	}
	l.followers[id][e] = struct{}{}
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.followers[id], e)
		if len(l.followers[id]) == 0 {
			delete(l.followers, id)
		}
	}
}

// Publish tells the followers of match id that recs were appended from
// position at.
func (l *Local) Publish(id string, at int, recs []Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for e := range l.followers[id] {
		e.Appended(at, recs)
	}
}

// Register records that server runs, until unregister is called; a Hub calls
// it for its Config.Server. It implements [Registry].
func (l *Local) Register(server string) (unregister func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.servers == nil {
		l.servers = make(map[string]int)
	}
	l.servers[server]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.servers[server]--; l.servers[server] == 0 {
				delete(l.servers, server)
			}
		})
	}
}

// Alive implements Store: a server runs while it is registered. A server of
// an earlier run of the process, whose records a Store on disk still holds,
// does not.
func (l *Local) Alive(_ context.Context, server string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.servers[server] > 0, nil
}

// A Registry is a Store that learns from the Hubs themselves which servers
// run, as the Stores of one process do ([Local]). A Hub registers its server
// with a Store that is a Registry, and unregisters it on Close.
type Registry interface {
	Register(server string) (unregister func())
}

// Health is whether a Store works, for the Stores that find out by
// themselves (a health check, a failed commit): they embed it, and tell it.
// Its zero value says that the Store works; it is safe for concurrent use.
type Health struct {
	mu        sync.Mutex
	err       error
	listeners []func(err error)
	changes   serial[error] // told to the listeners, in order
	// failing is err != nil, for SetHealth(nil) to return without the
	// lock while the Store works: a Store in this process tells it at
	// every write.
	failing atomic.Bool
}

// Ready returns nil while the Store works, else why not.
func (h *Health) Ready() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

// OnHealth has f told, in order and from a goroutine of its own, when the
// Store stops working (err says why) and when it works again (err is nil).
// f may take any lock: the Store does not wait for it.
func (h *Health) OnHealth(f func(err error)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.listeners = append(h.listeners, f)
}

// SetHealth records whether the Store works, has the listeners told of a
// change, and reports whether it was one. It does not wait for them: a
// listener that takes the locks of matches waiting on the Store would
// otherwise stall it.
func (h *Health) SetHealth(err error) (changed bool) {
	if err == nil && !h.failing.Load() {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	changed = (err == nil) != (h.err == nil)
	h.err = err
	h.failing.Store(err != nil)
	if changed && len(h.listeners) > 0 {
		h.changes.post(err, h.tell) // under h.mu, so that changes keep their order
	}
	return changed
}

// tell tells the listeners of the changes, one after the other.
func (h *Health) tell(changes []error) {
	h.mu.Lock()
	listeners := h.listeners
	h.mu.Unlock()
	for _, err := range changes {
		for _, f := range listeners {
			f(err)
		}
	}
}
