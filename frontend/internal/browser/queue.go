//go:build js && wasm

package browser

import "sync"

// queue is an unbounded first-in first-out queue of messages for the event loop.
// Its push never blocks, so that JavaScript callbacks and timers can call it.
//
// A queue is safe for concurrent use; its zero value is not usable: call
// newQueue.
type queue struct {
	mu    sync.Mutex
	items []any
	// ready holds a token while items may be non-empty; its capacity of one
	// lets push signal without waiting.
	ready chan struct{}
}

func newQueue() *queue {
	return &queue{ready: make(chan struct{}, 1)}
}

// push adds m at the end of the queue.
func (q *queue) push(m any) {
	q.mu.Lock()
	q.items = append(q.items, m)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default: // a token is already waiting
	}
}

// take removes and returns every message in the queue, oldest first. The
// consumer calls it after receiving from ready; it may find nothing.
func (q *queue) take() []any {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}
