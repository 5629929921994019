package socket

// ring holds the open connections in slots that a scheduler visits in turn,
// one a tick, round and round: the server's one ping scheduler pings the
// connections of a slot at each tick, so that every connection is pinged
// once a round, without a timer of its own. A new member joins the slot
// visited last, so that a whole round passes before its turn. It is plain
// data, not safe for concurrent use; its zero value is not usable: call
// newRing.
type ring[T comparable] struct {
	slots []map[T]struct{}
	next  int // the slot the next visit takes
	n     int // members in all
}

// newRing returns an empty ring of n slots (at least one).
func newRing[T comparable](n int) *ring[T] {
	r := &ring[T]{slots: make([]map[T]struct{}, max(1, n))}
	for i := range r.slots {
		r.slots[i] = make(map[T]struct{})
	}
	return r
}

// add puts v in the slot visited last.
func (r *ring[T]) add(v T) {
	last := (r.next + len(r.slots) - 1) % len(r.slots)
	if _, ok := r.slots[last][v]; !ok {
		r.slots[last][v] = struct{}{}
		r.n++
	}
}

// remove takes v out of the ring, wherever it is.
func (r *ring[T]) remove(v T) {
	for _, s := range r.slots {
		if _, ok := s[v]; ok {
			delete(s, v)
			r.n--
			return
		}
	}
}

// len returns the members in all.
func (r *ring[T]) len() int { return r.n }

// visit appends the members of the next slot to dst, moves on to the slot
// after it, and returns dst.
func (r *ring[T]) visit(dst []T) []T {
	for v := range r.slots[r.next] {
		dst = append(dst, v)
	}
	r.next = (r.next + 1) % len(r.slots)
	return dst
}

// all appends every member to dst and returns it.
func (r *ring[T]) all(dst []T) []T {
	for _, s := range r.slots {
		for v := range s {
			dst = append(dst, v)
		}
	}
	return dst
}
