package netlimit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/netlimit"
)

func TestKey(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"::1", "::/64"},
		{"not an address", "not an address"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := netlimit.Key(tt.addr); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestRate(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	type take struct {
		key  string
		at   time.Duration
		ok   bool
		wait time.Duration // when not ok
	}
	tests := []struct {
		name      string
		perSecond float64
		burst     int
		takes     []take
	}{
		{"a burst, then the rate", 2, 3, []take{
			{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, true, 0},
			{"a", 0, false, 500 * time.Millisecond},
			{"a", 250 * time.Millisecond, false, 250 * time.Millisecond},
			{"a", 500 * time.Millisecond, true, 0},
			{"a", 500 * time.Millisecond, false, 500 * time.Millisecond},
		}},
		{"keys apart", 1, 1, []take{
			{"a", 0, true, 0}, {"a", 0, false, time.Second},
			{"b", 0, true, 0}, {"b", 0, false, time.Second},
		}},
		{"refills to the burst, no more", 10, 2, []take{
			{"a", 0, true, 0},
			{"a", time.Hour, true, 0}, {"a", time.Hour, true, 0},
			{"a", time.Hour, false, 100 * time.Millisecond},
		}},
		{"a slow rate", 0.1, 1, []take{
			{"a", 0, true, 0}, {"a", time.Second, false, 9 * time.Second},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := netlimit.NewRate(tt.perSecond, tt.burst)
			for i, tk := range tt.takes {
				ok, wait := r.Take(tk.key, at(tk.at))
				if ok != tk.ok || wait != tk.wait {
					t.Fatalf("take %d (%s at %v) = %v, %v; want %v, %v", i, tk.key, tk.at, ok, wait, tk.ok, tk.wait)
				}
			}
		})
	}
}

// The Rate forgets the keys whose buckets are full again: a stream of new
// addresses does not grow it without end.
func TestRateForgets(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	r := netlimit.NewRate(10, 20) // full again 2 s after emptied
	for i := range 1000 {
		r.Take(fmt.Sprint("key", i), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if n := r.Keys(); n != 1000 {
		t.Fatalf("%d keys after 1 s, want 1000", n)
	}
	r.Take("later", t0.Add(10*time.Second))
	if n := r.Keys(); n != 1 {
		t.Errorf("%d keys once the others are full again, want 1", n)
	}
}
