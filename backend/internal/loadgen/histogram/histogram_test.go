package histogram

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// Every value falls in a bucket whose bounds hold it, and buckets follow one
// another without gaps.
func TestBuckets(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 255, 256, 257, 1000, 1 << 20, 1<<40 + 12345, 1<<62 + 7, 1<<63 - 1} {
		i := index(v)
		if i < 0 || i >= buckets {
			t.Fatalf("index(%d) = %d, outside [0, %d)", v, i, buckets)
		}
		low := uint64(0)
		if i > 0 {
			low = upper(i-1) + 1
		}
		if v < low || v > upper(i) {
			t.Errorf("%d in bucket %d = [%d, %d]", v, i, low, upper(i))
		}
		if width := upper(i) - low + 1; v >= 1<<subBits && float64(width) > float64(low)/(1<<subBits) {
			t.Errorf("bucket %d = [%d, %d] is wider than 1/%d of its lower bound", i, low, upper(i), 1<<subBits)
		}
	}
	for i := 1; i < buckets; i++ {
		if index(upper(i-1)+1) != i {
			t.Fatalf("the value after bucket %d falls in %d, want %d", i-1, index(upper(i-1)+1), i)
		}
	}
}

// Quantiles of the histogram are within 1/128 above the exact quantiles of
// sorted samples, never below.
func TestQuantiles(t *testing.T) {
	tests := []struct {
		name string
		gen  func(r *rand.Rand) time.Duration
		n    int
	}{
		{"uniform µs", func(r *rand.Rand) time.Duration { return time.Duration(r.IntN(1000)) * time.Microsecond }, 10000},
		{"exponential", func(r *rand.Rand) time.Duration { return time.Duration(r.ExpFloat64() * 1e6) }, 50000},
		{"tiny", func(r *rand.Rand) time.Duration { return time.Duration(r.IntN(100)) }, 1000},
		{"one value", func(*rand.Rand) time.Duration { return 1500 * time.Microsecond }, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			var h Histogram
			samples := make([]time.Duration, tt.n)
			for i := range samples {
				samples[i] = tt.gen(r)
				h.Record(samples[i])
			}
			slices.Sort(samples)
			for _, q := range []float64{0, 0.5, 0.9, 0.99, 0.999, 1} {
				rank := max(int(float64(len(samples))*q+0.999999999), 1)
				exact := samples[min(rank, len(samples))-1]
				got := h.Quantile(q)
				if got < exact || float64(got-exact) > float64(exact)/(1<<subBits)+1 {
					t.Errorf("q%v = %v, exact %v", q, got, exact)
				}
			}
			if h.Min() != samples[0] || h.Max() != samples[len(samples)-1] || h.Count() != uint64(tt.n) {
				t.Errorf("min %v max %v count %d, want %v %v %d", h.Min(), h.Max(), h.Count(), samples[0], samples[len(samples)-1], tt.n)
			}
		})
	}
}

func TestMergeAndEmpty(t *testing.T) {
	var empty, a, b Histogram
	if empty.Quantile(0.5) != 0 || empty.Mean() != 0 || empty.Max() != 0 {
		t.Error("an empty histogram reports non-zero figures")
	}
	for i := range 100 {
		a.Record(time.Duration(i) * time.Millisecond)
		b.Record(time.Duration(i+100) * time.Millisecond)
	}
	a.Merge(&b)
	a.Merge(&empty)
	empty.Merge(&a)
	for _, h := range []*Histogram{&a, &empty} {
		if h.Count() != 200 || h.Min() != 0 || h.Max() != 199*time.Millisecond {
			t.Errorf("merged: count %d min %v max %v", h.Count(), h.Min(), h.Max())
		}
		if q := h.Quantile(0.5); q < 99*time.Millisecond || q > 100*time.Millisecond {
			t.Errorf("merged median %v, want about 99 ms", q)
		}
	}
	var neg Histogram
	neg.Record(-time.Second)
	if neg.Max() != 0 || neg.Count() != 1 {
		t.Errorf("a negative value: max %v count %d", neg.Max(), neg.Count())
	}
}

func BenchmarkRecord(b *testing.B) {
	var h Histogram
	d := time.Duration(0)
	for b.Loop() {
		d = (d + 7919) % time.Second
		h.Record(d)
	}
}
