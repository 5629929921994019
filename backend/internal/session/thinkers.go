package session

import "sync"

// fairQueue orders the jobs of many clients: each client has at most one job
// running and its waiting jobs in the order they came, and the clients take
// turns, so that one client with many jobs never holds back another. It
// bounds the jobs waiting per client and in all. It is plain data, with no
// lock: thinkers guards it.
type fairQueue[T any] struct {
	maxPerClient, maxTotal int
	waiting                map[string][]T  // by client, oldest first
	turns                  []string        // the clients with jobs waiting, next turn first
	busy                   map[string]bool // the clients with a job running
	n                      int             // jobs waiting in all
}

func newFairQueue[T any](maxPerClient, maxTotal int) fairQueue[T] {
	return fairQueue[T]{maxPerClient: maxPerClient, maxTotal: maxTotal,
		waiting: make(map[string][]T), busy: make(map[string]bool)}
}

// push adds job for client, or reports false if client, or the queue, has as
// many waiting as it may.
func (q *fairQueue[T]) push(client string, job T) bool {
	jobs := q.waiting[client]
	if len(jobs) >= q.maxPerClient || q.n >= q.maxTotal {
		return false
	}
	if len(jobs) == 0 {
		q.turns = append(q.turns, client)
	}
	q.waiting[client] = append(jobs, job)
	q.n++
	return true
}

// next returns the oldest job of the first client in turn with none
// running, and marks that client busy until finish; false if no client may
// start one.
func (q *fairQueue[T]) next() (string, T, bool) {
	for i, client := range q.turns {
		if q.busy[client] {
			continue
		}
		jobs := q.waiting[client]
		job := jobs[0]
		var zero T
		jobs[0] = zero
		q.turns = append(q.turns[:i], q.turns[i+1:]...)
		if jobs = jobs[1:]; len(jobs) > 0 {
			q.waiting[client] = jobs
			q.turns = append(q.turns, client) // its next job waits for the others' turns
		} else {
			delete(q.waiting, client)
		}
		q.n--
		q.busy[client] = true
		return client, job, true
	}
	var zero T
	return "", zero, false
}

// finish marks client's running job done.
func (q *fairQueue[T]) finish(client string) { delete(q.busy, client) }

// think is a computer move to choose: run chooses it, unless stale reports
// that the game moved on meanwhile, and then it is dropped, and drop, on a
// goroutine of its own, tells its match. stale must be quick, and take no
// lock: it runs with the thinkers' lock held.
type think struct {
	run, drop func()
	stale     func() bool
}

// thinkers runs the computer's thinks, at most slots at once, in the order of
// a fairQueue: a client address has one think running at most, and its
// others wait for the other addresses' turns.
type thinkers struct {
	mu   sync.Mutex
	q    fairQueue[think]
	free int // slots free
}

func newThinkers(slots, maxPerClient, maxTotal int) *thinkers {
	return &thinkers{q: newFairQueue[think](maxPerClient, maxTotal), free: slots}
}

// submit queues t for client and starts it if a slot is free, or reports
// false if client, or the queue, has as many waiting as it may.
func (p *thinkers) submit(client string, t think) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.q.push(client, t) {
		return false
	}
	p.startLocked()
	return true
}

// startLocked starts the next thinks while slots are free, dropping the stale
// ones on the way; p.mu is held.
func (p *thinkers) startLocked() {
	for p.free > 0 {
		client, t, ok := p.q.next()
		if !ok {
			return
		}
		if t.stale() {
			p.q.finish(client)
			go t.drop()
			continue
		}
		p.free--
		go func() {
			defer p.done(client)
			t.run()
		}()
	}
}

// done gives back the slot of client's think, and starts the next.
func (p *thinkers) done(client string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free++
	p.q.finish(client)
	p.startLocked()
}
