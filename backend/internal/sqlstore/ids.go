package sqlstore

import "hash/maphash"

// ids is a Bloom filter of the match ids that the database has or will
// have: the ones it had at Open and every one made since. A new match's id
// that it has never seen is free with no query; one it may have seen is
// looked up. It grows by adding a filter twice the size of the last when
// that one is full, so it never says "no" of an id it was given, and says
// "maybe" of about 1% of the others. It is not safe for concurrent use: the
// writes take turns (Store.wmu). Its zero value is ready to use.
type ids struct {
	filters []bloom
}

// bloom is one filter of ids.
type bloom struct {
	bits    []uint64
	n, room int // ids added, and how many it takes
}

// idsPerFilter is how many ids the first filter takes; bitsPerID and
// hashes give about 1% of false "maybe".
const (
	idsPerFilter = 1 << 16
	bitsPerID    = 10
	hashes       = 7
)

var seeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// add adds id.
func (s *ids) add(id string) {
	if len(s.filters) == 0 || s.filters[len(s.filters)-1].n >= s.filters[len(s.filters)-1].room {
		room := idsPerFilter
		if len(s.filters) > 0 {
			room = 2 * s.filters[len(s.filters)-1].room
		}
		s.filters = append(s.filters, bloom{bits: make([]uint64, room*bitsPerID/64), room: room})
	}
	f := &s.filters[len(s.filters)-1]
	f.n++
	h1, h2 := split(id)
	m := uint64(len(f.bits) * 64)
	for i := range uint64(hashes) {
		b := (h1 + i*h2) % m
		f.bits[b/64] |= 1 << (b % 64)
	}
}

// mayHave reports whether id may have been added: false means it was not.
func (s *ids) mayHave(id string) bool {
	h1, h2 := split(id)
	for _, f := range s.filters {
		m := uint64(len(f.bits) * 64)
		all := true
		for i := range uint64(hashes) {
			b := (h1 + i*h2) % m
			if f.bits[b/64]&(1<<(b%64)) == 0 {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// split returns two hashes of id, the second odd.
func split(id string) (uint64, uint64) {
	return maphash.String(seeds[0], id), maphash.String(seeds[1], id) | 1
}
