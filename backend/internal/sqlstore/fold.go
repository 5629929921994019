package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/connect4go/connect4/backend/internal/session"
)

// fold is what some of the journal changes in the database, match by match:
// a row a match in one transaction, however many changes it had. Its zero
// value changes nothing.
type fold struct {
	order   []string // the matches, in the order of their first change
	matches map[string]*folding
	paced   bool // apply takes turns with the moves (see pace)
}

// pace is the share of a core a paced fold leaves to the rest of the
// server while it runs: it sleeps pace times as long as it worked, every
// paceEvery matches. On one core a fold that ran at once (about 15 µs a
// match) would hold the moves back for as long as it runs; paced, it
// takes a few times longer, well within foldEvery.
const (
	pace      = 3
	paceEvery = 64
)

// folding is what a fold changes in one match.
type folding struct {
	head    *session.Header // a new match
	created int64           // when it was made, if it is new
	from    int             // the position of the first record, if it is not new
	n       int             // records
	log     []byte          // the records, as the match's log holds them
	last    int64           // when the last record came, or the match was made
	joined  bool            // a Joined record is among them
	keys    []key           // new keys
	ended   int64           // when it was dropped, or 0
}

// add adds the changes of one frame, at.
func (f *fold) add(at time.Time, cs []change) {
	if f.matches == nil {
		f.matches = make(map[string]*folding)
	}
	ms := at.UnixMilli()
	for _, c := range cs {
		m := f.matches[c.id]
		if m == nil {
			m = &folding{from: c.at}
			f.matches[c.id] = m
			f.order = append(f.order, c.id)
		}
		switch c.op {
		case 'c':
			h := c.head
			m.head, m.created, m.last = &h, ms, ms
			if h.Join != "" {
				m.keys = append(m.keys, key{session.JoinKey, h.Join})
			}
			if h.Token != "" {
				m.keys = append(m.keys, key{session.TokenKey, h.Token})
			}
		case 'a':
			m.log = append(m.log, c.log...)
			for _, token := range c.tokens {
				m.joined = true
				m.keys = append(m.keys, key{session.TokenKey, token})
			}
			m.n += c.n
			m.last = ms
		case 'd':
			m.ended = ms
		}
	}
}

// apply writes f in tx. Records that do not follow a match's log are left
// out, and logged: they were folded in already.
func (f *fold) apply(ctx context.Context, tx *sql.Tx, log *slog.Logger) error {
	insert, err := tx.PrepareContext(ctx, `INSERT INTO matches (id, mode, join_key, token, conn, level, yellow, clock, created, last, joined, ended, n, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
	if err != nil {
		return err
	}
	defer insert.Close()
	update, err := tx.PrepareContext(ctx, `UPDATE matches SET log = log || ?, n = n + ?, last = max(last, ?), joined = joined OR ? WHERE id = ? AND n = ?`)
	if err != nil {
		return err
	}
	defer update.Close()
	// The statements without ctx, whose deadline the driver would watch
	// with a goroutine a statement: the transaction has it.
	ctx = context.WithoutCancel(ctx)
	worked := time.Now()
	for i, id := range f.order {
		if f.paced && i%paceEvery == paceEvery-1 {
			time.Sleep(pace * time.Since(worked))
			worked = time.Now()
		}
		m := f.matches[id]
		if m.log == nil {
			m.log = []byte{} // not NULL
		}
		switch {
		case m.head != nil:
			h := m.head
			var ended sql.NullInt64
			if m.ended != 0 {
				ended = sql.NullInt64{Int64: m.ended, Valid: true}
			}
			if _, err := insert.ExecContext(ctx, h.ID, string(h.Mode), h.Join, h.Token, h.Conn, h.Level, h.Yellow, h.Clock.String(), m.created, m.last, m.joined, ended, m.n, m.log); err != nil {
				return err
			}
		case m.n > 0:
			res, err := update.ExecContext(ctx, m.log, m.n, m.last, m.joined, id, m.from)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err == nil && n == 0 {
				log.Warn("journal: records that do not follow their match's log, left out", "match", id, "at", m.from, "records", m.n)
			}
		}
		switch {
		case m.ended != 0 && m.head == nil:
			if _, err := tx.ExecContext(ctx, `UPDATE matches SET ended = ? WHERE id = ? AND ended IS NULL`, m.ended, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM keys WHERE match = ?`, id); err != nil {
				return err
			}
		case m.ended == 0:
			for _, k := range m.keys {
				if _, err := tx.ExecContext(ctx, `INSERT INTO keys (key, kind, match) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, k.key, string(k.kind), id); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// upgrade brings the tables of version 3 (or none) to this one: versions 2
// and 3 kept their journal in a table, whose rows are the records of one
// commit each, with their matches and positions.
func (s *Store) upgrade(ctx context.Context) error {
	tx, err := s.fc.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var tables int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'journal'`).Scan(&tables); err != nil {
		return err
	}
	if tables > 0 {
		var f fold
		rows, err := tx.QueryContext(ctx, `SELECT seq, at, data FROM journal ORDER BY seq`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				seq, at int64
				data    []byte
			)
			if err := rows.Scan(&seq, &at, &data); err != nil {
				rows.Close()
				return err
			}
			cs, err := tableEntries(data)
			if err != nil {
				rows.Close()
				return fmt.Errorf("journal entry %d: %w", seq, err)
			}
			f.add(time.UnixMilli(at), cs)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := f.apply(ctx, tx, s.log); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DROP TABLE journal`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return err
	}
	return tx.Commit()
}

// tableEntries reads a row of the journal table of versions 2 and 3:
// records, each with its match and position.
func tableEntries(data []byte) ([]change, error) {
	r := reader{b: data}
	var cs []change
	for len(r.b) > 0 && r.err == nil {
		c := change{op: 'a', id: r.string(), at: int(r.uvarint()), n: 1}
		rec := r.record()
		c.log = appendRecord(nil, rec)
		if rec.Op == session.Joined {
			c.tokens = []string{rec.Token}
		}
		cs = append(cs, c)
	}
	return cs, r.err
}
