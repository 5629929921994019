package solver

// table is the transposition table: a fixed array of entries, each the bounds
// known on one position's score and the best move found there, indexed by a hash
// of the position's key. A newer entry replaces an older one at the same index.
//
// An entry is one uint64: the position's whole key (49 bits) above the lower
// bound, the upper bound (each stored as score+scoreBias, so that a zero entry is
// empty) and the best column plus one (0 for none). Keeping the whole key makes
// every hit exact.
type table struct {
	entries []uint64
	shift   uint // 64 minus log2(len(entries))
}

const (
	scoreBias = 1 - MinScore // stored bounds are 1..37
	moveBits  = 3
	boundBits = 6
	keyShift  = moveBits + 2*boundBits // 15: the key takes the 49 bits above
	boundMask = 1<<boundBits - 1
)

func newTable(log2 int) table {
	t := table{entries: make([]uint64, 1<<log2), shift: uint(64 - log2)}
	adviseHugePages(t.entries)
	return t
}

func (t *table) index(key uint64) uint64 { return (key * 0x9E3779B97F4A7C15) >> t.shift }

// entry returns the entry for key, if the table holds one.
func (t *table) entry(key uint64) (uint64, bool) {
	e := t.entries[t.index(key)]
	return e, e != 0 && e>>keyShift == key
}

func entryLo(e uint64) int     { return int(e>>(moveBits+boundBits)&boundMask) - scoreBias }
func entryHi(e uint64) int     { return int(e>>moveBits&boundMask) - scoreBias }
func entryColumn(e uint64) int { return int(e&(1<<moveBits-1)) - 1 }

// get returns the bounds and the best column (-1 for none) stored for key.
func (t *table) get(key uint64) (lo, hi, column int, ok bool) {
	e, ok := t.entry(key)
	if !ok {
		return 0, 0, -1, false
	}
	return entryLo(e), entryHi(e), entryColumn(e), true
}

// put stores bounds and a best column (-1 for none) for key, narrowed by what
// the entry already knows if it holds the same key.
func (t *table) put(key uint64, lo, hi, column int) {
	i := t.index(key)
	if old := t.entries[i]; old != 0 && old>>keyShift == key {
		lo, hi = max(lo, entryLo(old)), min(hi, entryHi(old))
		if column < 0 {
			column = entryColumn(old)
		}
	}
	// Every true score lies in MinScore..MaxScore, so clamping keeps the bounds valid.
	lo = min(max(lo, MinScore), MaxScore)
	hi = min(max(hi, MinScore), MaxScore)
	t.entries[i] = key<<keyShift | uint64(lo+scoreBias)<<(moveBits+boundBits) |
		uint64(hi+scoreBias)<<moveBits | uint64(column+1)
}

func (t *table) clear() { clear(t.entries) }
