// Package histogram records durations in a fixed-size, HDR-style histogram:
// values are counted in buckets whose width is at most 1/128 of their lower
// bound, so that a quantile is known to within 0.8% whatever the spread of
// the values, with memory and recording cost that do not grow with the count.
//
// A quantile is reported as the upper bound of the bucket that holds it, so a
// reported p99 is never below the true one (and at most 0.8% above it);
// the minimum and the maximum are exact.
package histogram

import (
	"math"
	"math/bits"
	"time"
)

// subBits sets the precision: 1<<subBits buckets per power of two.
const subBits = 7

// buckets is the number of buckets needed to count every non-negative int64.
const buckets = (64 - subBits) << subBits

// Histogram counts durations. The zero value is an empty histogram ready to
// use. A Histogram is not safe for concurrent use: give each goroutine its own
// and [Histogram.Merge] them.
type Histogram struct {
	counts   []uint64 // allocated on the first Record
	n        uint64
	sum      float64 // in nanoseconds, for the mean
	min, max time.Duration
}

// index returns the bucket of v, a non-negative number of nanoseconds. Values
// below 1<<subBits have a bucket each; above, each power of two is split into
// 1<<subBits buckets by the bits that follow the leading one.
func index(v uint64) int {
	if v < 1<<subBits {
		return int(v)
	}
	n := bits.Len64(v)         // > subBits
	shift := n - subBits - 1   // keeps subBits+1 leading bits
	m := int(v >> uint(shift)) // in [1<<subBits, 2<<subBits)
	return (shift+1)<<subBits + m - 1<<subBits
}

// upper returns the largest value that falls in bucket i.
func upper(i int) uint64 {
	if i < 1<<subBits {
		return uint64(i)
	}
	shift := i>>subBits - 1
	m := uint64(i&(1<<subBits-1) + 1<<subBits)
	return (m+1)<<uint(shift) - 1
}

// Record counts d; a negative d counts as 0.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	if h.counts == nil {
		h.counts = make([]uint64, buckets)
	}
	h.counts[index(uint64(d))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
	h.sum += float64(d)
}

// Merge adds the counts of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	if h.counts == nil {
		h.counts = make([]uint64, buckets)
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.n += o.n
	h.sum += o.sum
}

// Count returns the number of values recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Min returns the smallest value recorded, exactly, or 0 for an empty
// histogram.
func (h *Histogram) Min() time.Duration { return h.min }

// Max returns the largest value recorded, exactly, or 0 for an empty histogram.
func (h *Histogram) Max() time.Duration { return h.max }

// Mean returns the mean of the values recorded, or 0 for an empty histogram.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.n))
}

// Quantile returns the value below or at which a fraction q (0 to 1) of the
// values lie: the upper bound of the bucket holding the value of rank
// ceil(q*Count), capped at Max. It returns 0 for an empty histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(upper(i)), h.max)
		}
	}
	return h.max
}
