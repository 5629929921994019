// Package netlimit holds what one network address may take of the server: the
// key that names an address for the limits, a token bucket for its new
// connections, and a listener that caps the connections open at once, in
// total and per address.
//
// The limits key an IPv6 address by its /64 prefix, the smallest network an
// ISP hands one customer: a client cannot escape them by changing addresses
// within its own network. IPv4 addresses, and IPv4 addresses written in IPv6
// form, are keyed whole.
package netlimit

import (
	"math"
	"net/netip"
	"time"
)

// Key returns the key of the address addr, an IP address with or without a
// zone: the address itself for IPv4, its /64 network for IPv6. Anything else
// is its own key.
func Key(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is4() {
		return ip.String()
	}
	prefix, _ := ip.Prefix(64) // cannot fail for an IPv6 address
	return prefix.String()
}

// Rate is a token bucket for each key: a key may take Burst tokens in a row,
// and gets PerSecond more each second. Its methods take the time, so that the
// same Rate serves tests and the clock alike. It is not safe for concurrent
// use: its caller holds a lock.
type Rate struct {
	perSecond float64
	burst     float64
	buckets   map[string]bucket
	swept     time.Time // when buckets were last cleared of full ones
}

// bucket is the state of one key: its tokens at a time.
type bucket struct {
	tokens float64
	at     time.Time
}

// NewRate returns a Rate that gives each key burst tokens, and perSecond more
// each second up to burst. perSecond must be positive and burst at least 1.
func NewRate(perSecond float64, burst int) *Rate {
	return &Rate{perSecond: perSecond, burst: float64(burst), buckets: make(map[string]bucket)}
}

// Take takes a token of key at now, and reports true; or, when key has none,
// reports false and how long until it has one.
func (r *Rate) Take(key string, now time.Time) (bool, time.Duration) {
	r.sweep(now)
	b, ok := r.buckets[key]
	if !ok {
		b = bucket{tokens: r.burst, at: now}
	}
	b = r.fill(b, now)
	if b.tokens < 1 {
		r.buckets[key] = b
		wait := (1 - b.tokens) / r.perSecond
		return false, time.Duration(math.Ceil(wait * float64(time.Second)))
	}
	b.tokens--
	r.buckets[key] = b
	return true, 0
}

// Keys returns how many keys the Rate holds: those that took a token lately
// and whose bucket is not full again.
func (r *Rate) Keys() int { return len(r.buckets) }

// fill adds the tokens earned from b.at to now.
func (r *Rate) fill(b bucket, now time.Time) bucket {
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = min(r.burst, b.tokens+elapsed*r.perSecond)
		b.at = now
	}
	return b
}

// sweep forgets the buckets that are full again, as a key never seen is, at
// most once per time it takes an empty bucket to fill: the map holds only
// the keys that came lately.
func (r *Rate) sweep(now time.Time) {
	refill := time.Duration(r.burst / r.perSecond * float64(time.Second))
	if now.Sub(r.swept) < refill {
		return
	}
	r.swept = now
	for key, b := range r.buckets {
		if r.fill(b, now).tokens >= r.burst {
			delete(r.buckets, key)
		}
	}
}
