package session

import (
	"context"
	"sync"
	"time"
)

// storeCtx is the context of one call to the Store: a deadline, whose timer
// is made only if the Store asks for Done. The Stores in memory and on disk
// only look at Err, so that a move pays for no timer; a Store that waits on
// Done, such as Redis's, gets one. It implements context.Context.
type storeCtx struct {
	due time.Duration // the deadline, as a time since monoBase

	mu    sync.Mutex
	done  chan struct{} // made by the first call of Done
	timer *time.Timer   // closes done at the deadline
	err   error         // why done is closed, once it is
}

// monoBase is when the deadlines are counted from: a time since it reads
// the monotonic clock alone, where time.Now reads the wall clock too.
var monoBase = time.Now()

// newStoreCtx returns the context of a call due within timeout. The caller
// must call its cancel once the call has returned: a method, not a
// CancelFunc, which would take an allocation of its own.
func newStoreCtx(timeout time.Duration) *storeCtx {
	return &storeCtx{due: time.Since(monoBase) + timeout}
}

// Deadline implements context.Context.
func (c *storeCtx) Deadline() (time.Time, bool) { return monoBase.Add(c.due), true }

// Done implements context.Context.
func (c *storeCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		switch d := c.due - time.Since(monoBase); {
		case c.err != nil:
			close(c.done)
		case d <= 0:
			c.endLocked(context.DeadlineExceeded)
		default:
			c.timer = time.AfterFunc(d, func() { c.end(context.DeadlineExceeded) })
		}
	}
	return c.done
}

// Err implements context.Context.
func (c *storeCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil && time.Since(monoBase) >= c.due {
		c.endLocked(context.DeadlineExceeded)
	}
	return c.err
}

// Value implements context.Context: the context carries no values.
func (c *storeCtx) Value(any) any { return nil }

// cancel ends the context, once its call has returned.
func (c *storeCtx) cancel() { c.end(context.Canceled) }

func (c *storeCtx) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endLocked(err)
}

// endLocked ends the context with err, unless it has ended. c.mu is held.
func (c *storeCtx) endLocked(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.done != nil {
		close(c.done)
	}
}
