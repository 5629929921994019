package metrics

import (
	"slices"
	"sync"
	"sync/atomic"
)

// series holds the series of one vector that were used, by their label
// values, K: looking one up takes a scan of a short list, without the
// vector's hashing of the values and its lock, which cost more than the
// rest of a move's counting. A series is made when first used, as the
// vector makes it, so the figures served are the same. It is safe for
// concurrent use; the zero value is empty.
type series[K comparable, T any] struct {
	mu   sync.Mutex // held to add one
	list atomic.Pointer[[]labelled[K, T]]
}

type labelled[K comparable, T any] struct {
	key K
	s   T
}

// get returns the series of key, which make makes on first use.
func (c *series[K, T]) get(key K, make func() T) T {
	if s, ok := c.find(key); ok {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.find(key); ok {
		return s
	}
	var list []labelled[K, T]
	if l := c.list.Load(); l != nil {
		list = *l
	}
	s := make()
	list = append(slices.Clip(list), labelled[K, T]{key, s})
	c.list.Store(&list)
	return s
}

func (c *series[K, T]) find(key K) (s T, ok bool) {
	if l := c.list.Load(); l != nil {
		for _, e := range *l {
			if e.key == key {
				return e.s, true
			}
		}
	}
	return s, false
}
