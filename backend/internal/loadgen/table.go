package loadgen

import (
	"context"
	"fmt"
	"time"
)

// table is one game in play and the connections that play and follow it:
// one for a hot-seat game (the tutorial's part 1), or red's and yellow's for
// a game for two (part 2), each with a referee of what it has read. The
// connections are the table's to close.
type table struct {
	conns []*conn
	refs  []*referee
}

// newTable returns the table where conns play script, a hot-seat game on
// one connection or a game for two on red's and yellow's.
func newTable(conns []*conn, script []int, cfg Config) *table {
	t := &table{conns: conns}
	for range conns {
		t.refs = append(t.refs, newReferee(script, !cfg.NoDrawEvent))
	}
	return t
}

// openTable starts a game of script for slot i: a game for two whose players
// are on instances i and i+1 (see openDuel) when duel is set, else a
// hot-seat game on a connection to instance i, which its first move starts.
func openTable(ctx context.Context, cfg Config, i int, script []int, duel bool) (*table, error) {
	if !duel {
		c, err := dial(ctx, cfg, i)
		if err != nil {
			return nil, err
		}
		return newTable([]*conn{c}, script, cfg), nil
	}
	conns, _, err := openDuel(ctx, cfg, i, script[0])
	t := newTable(conns, script, cfg)
	if err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// openDuel sets up a game for two (the tutorial's part 2) and returns red's
// and yellow's connections, as many as it opened even on error, and the
// game's watch key. Red connects to instance i and sends init; yellow
// connects to instance i+1 (modulo the instances, so another one when there
// are several: every move then crosses from one to the other through their
// store) and joins with the key. Yellow then plays column first out of turn
// and waits for the tutorial's "It isn't your turn.", which proves it has
// its seat.
func openDuel(ctx context.Context, cfg Config, i, first int) ([]*conn, string, error) {
	red, err := dial(ctx, cfg, i)
	if err != nil {
		return nil, "", err
	}
	conns := []*conn{red}
	if err := red.send([]byte(`{"type":"init"}`)); err != nil {
		return conns, "", err
	}
	e, err := red.next(time.Now().Add(cfg.Timeout))
	if err != nil {
		return conns, "", err
	}
	join, watch, err := checkInit(e, true, true)
	if err != nil {
		return conns, "", err
	}
	yellow, err := dial(ctx, cfg, i+1)
	if err != nil {
		return conns, "", err
	}
	conns = append(conns, yellow)
	if err := yellow.send(fmt.Appendf(nil, `{"type":"init","join":%q}`, join)); err != nil {
		return conns, "", err
	}
	if err := yellow.send(playJSON[first]); err != nil {
		return conns, "", err
	}
	if e, err = yellow.next(time.Now().Add(cfg.Timeout)); err != nil {
		return conns, "", err
	}
	return conns, watch, checkNotYourTurn(e)
}

// script returns the columns the table's game plays.
func (t *table) script() []int { return t.refs[0].script }

// moves returns the number of moves played so far.
func (t *table) moves() int { return t.refs[0].moves() }

// done reports whether the game is over and every connection has read its
// result.
func (t *table) done() bool {
	for _, r := range t.refs {
		if !r.done() {
			return false
		}
	}
	return true
}

// play sends move n of the script from the connection whose turn it is, and
// reads the move's play event on every connection, then the game's result
// after the last move. It returns when the move was sent and when its play
// event reached the opponent (or the hot-seat connection): in a game for two
// the opponent's event is read first, as it is the one that crossed from
// one instance to another, then the mover's own.
func (t *table) play(n int, cfg Config) (sent, got time.Time, err error) {
	sent = time.Now()
	if err := t.conns[n%len(t.conns)].send(playJSON[t.script()[n]]); err != nil {
		return sent, got, err
	}
	for k := range t.conns {
		j := (n + 1 + k) % len(t.conns)
		if err := readMove(t.conns[j], t.refs[j], n, sent.Add(cfg.Timeout), func(at time.Time) {
			if k == 0 {
				got = at
			}
		}); err != nil {
			return sent, got, err
		}
	}
	return sent, got, nil
}

// close closes the table's connections.
func (t *table) close() {
	for _, c := range t.conns {
		c.close()
	}
}
