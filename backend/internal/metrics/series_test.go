package metrics

import (
	"sync"
	"testing"
)

// Goroutines that get series at once each get the one series of a key,
// made once.
func TestSeriesMadeOnce(t *testing.T) {
	var (
		c    series[string, *int]
		mu   sync.Mutex
		made = map[string]int{}
	)
	keys := []string{"hotseat", "friends", "computer", "quick"}
	got := make([][]*int, 8)
	var wg sync.WaitGroup
	for g := range got {
		wg.Go(func() {
			for range 100 {
				for _, k := range keys {
					s := c.get(k, func() *int {
						mu.Lock()
						defer mu.Unlock()
						made[k]++
						return new(int)
					})
					got[g] = append(got[g], s)
				}
			}
		})
	}
	wg.Wait()
	for _, k := range keys {
		if made[k] != 1 {
			t.Errorf("the series of %q made %d times, want once", k, made[k])
		}
	}
	for g := range got {
		for i, s := range got[g] {
			if s != got[0][i%len(keys)] {
				t.Fatalf("goroutine %d got another series of %q", g, keys[i%len(keys)])
			}
		}
	}
}
