package session

import "time"

// quota counts the matches that each client address holds, for
// Config.MaxMatchesPerClient. A match counts for the address that created
// it from its start until it ends; once let go by this server while the
// Store keeps it (an invitation that waits for the friend), until the Store
// would forget it. It is plain data: the Hub's lock guards it.
type quota struct {
	max   int                             // negative: no limit
	held  map[string]map[string]time.Time // by address: the match ids, with when each stops counting (zero: while open here)
	owner map[string]string               // the address that holds each match id
	swept time.Time                       // when every address was last cleared of expired ids, every sweepEvery
}

func newQuota(max int) quota {
	return quota{max: max, held: make(map[string]map[string]time.Time), owner: make(map[string]string)}
}

// take counts match id for address from at now, or reports false if from
// holds the most it may. The empty address has no limit.
func (q *quota) take(from, id string, now time.Time) bool {
	if from == "" || q.max < 0 {
		return true
	}
	if now.Sub(q.swept) >= sweepEvery {
		q.swept = now
		for addr := range q.held {
			q.expire(addr, now)
		}
	}
	q.expire(from, now)
	ids := q.held[from]
	if len(ids) >= q.max {
		return false
	}
	if ids == nil {
		ids = make(map[string]time.Time)
		q.held[from] = ids
	}
	ids[id] = time.Time{}
	q.owner[id] = from
	return true
}

// expire forgets the ids of address from that stopped counting by now.
func (q *quota) expire(from string, now time.Time) {
	ids := q.held[from]
	for id, until := range ids {
		if !until.IsZero() && !now.Before(until) {
			delete(ids, id)
			delete(q.owner, id)
		}
	}
	if ids != nil && len(ids) == 0 {
		delete(q.held, from)
	}
}

// park makes match id, let go here, count until until.
func (q *quota) park(id string, until time.Time) { q.set(id, until) }

// open makes match id, loaded here again, count while it is open.
func (q *quota) open(id string) { q.set(id, time.Time{}) }

func (q *quota) set(id string, until time.Time) {
	if from, ok := q.owner[id]; ok {
		q.held[from][id] = until
	}
}

// release stops counting match id: it ended.
func (q *quota) release(id string) {
	from, ok := q.owner[id]
	if !ok {
		return
	}
	delete(q.owner, id)
	if ids := q.held[from]; len(ids) <= 1 {
		delete(q.held, from)
	} else {
		delete(ids, id)
	}
}
