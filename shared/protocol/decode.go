package protocol

import (
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/connect4go/connect4/shared/connect4"
)

// wire holds the members of a message that any type uses, as raw JSON: each
// type reads some of them, and raw values keep "missing", "null" and "wrong
// kind" apart.
type wire struct {
	Type, Player, Column, Row, Cells, Message  []byte
	Join, Watch, Mode, Version, Token, Online  []byte
	Grace, Level, Moves, Since, Playing, Offer []byte
	Games, Clock, Red, Yellow, Running         []byte
}

// DecodeCommand parses one message from a browser. Its errors wrap one of the
// ErrX values of this package, and [ErrorFor] turns them into a sentence for the
// sender.
func DecodeCommand(data []byte) (Command, error) {
	w, typ, err := decodeWire(data)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "init":
		return decodeInit(w)
	case "resume":
		token, ok, err := decodeString(w.Token)
		if err != nil || !ok || token == "" {
			return nil, fmt.Errorf("%w: \"token\" must be a non-empty string", ErrBadResume)
		}
		r := Resume{Token: token}
		if len(w.Version) > 0 && !isNull(w.Version) {
			v, err := strconv.Atoi(string(w.Version))
			if err != nil {
				return nil, fmt.Errorf("%w: \"version\" must be an integer", ErrBadResume)
			}
			r.Version = v
		}
		return r, nil
	case "play":
		column, err := decodeColumn(w.Column)
		if err != nil {
			return nil, err
		}
		return Play{Column: column}, nil
	case "rematch":
		return Rematch{}, nil
	case "ping":
		return Ping{}, nil
	case "seek":
		tc, err := decodeClock(w.Clock)
		if err != nil {
			return nil, err
		}
		return Seek{Clock: tc}, nil
	case "cancel":
		return Cancel{}, nil
	case "takeback":
		return TakeBack{}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownType, typ)
}

// decodeInit checks an init: at most one of join and watch, a known mode, and
// an integer version.
func decodeInit(w wire) (Command, error) {
	var c Init
	join, hasJoin, err1 := decodeString(w.Join)
	watch, hasWatch, err2 := decodeString(w.Watch)
	mode, _, err3 := decodeString(w.Mode)
	level, _, err4 := decodeString(w.Level)
	player, _, err5 := decodeString(w.Player)
	switch {
	case errors.Join(err1, err2, err3, err4, err5) != nil:
		return nil, fmt.Errorf("%w: \"join\", \"watch\", \"mode\", \"level\" and \"player\" must be strings", ErrBadInit)
	case hasJoin && hasWatch:
		return nil, fmt.Errorf("%w: both \"join\" and \"watch\"", ErrBadInit)
	case (hasJoin || hasWatch) && mode != "":
		return nil, fmt.Errorf("%w: \"mode\" with a key", ErrBadInit)
	}
	switch m := Mode(mode); m {
	case "", Friends, HotSeat, Computer:
		c.Mode = m
	default:
		return nil, fmt.Errorf("%w: unknown mode %q", ErrBadInit, mode)
	}
	if (level != "" || player != "") && c.Mode != Computer {
		return nil, fmt.Errorf("%w: \"level\" and \"player\" are for the computer", ErrBadInit)
	}
	tc, err := decodeClock(w.Clock)
	switch {
	case err != nil:
		return nil, err
	case tc.Timed() && (c.Mode != "" && c.Mode != Friends || hasJoin || hasWatch):
		return nil, fmt.Errorf("%w: \"clock\" is for a game between friends", ErrBadInit)
	}
	c.Clock = tc
	c.Level = level
	if player != "" {
		p, err := connect4.ParsePlayer(player)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadInit, err)
		}
		c.Player = p
	}
	if len(w.Version) > 0 && !isNull(w.Version) {
		v, err := strconv.Atoi(string(w.Version))
		if err != nil {
			return nil, fmt.Errorf("%w: \"version\" must be an integer", ErrBadInit)
		}
		c.Version = v
	}
	c.Join, c.Watch = join, watch
	return c, nil
}

// DecodeEvent parses one message from the server.
func DecodeEvent(data []byte) (Event, error) {
	w, typ, err := decodeWire(data)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "init":
		var e Started
		var err [6]error
		e.Join, _, err[0] = decodeString(w.Join)
		e.Watch, _, err[1] = decodeString(w.Watch)
		var mode, player string
		mode, _, err[2] = decodeString(w.Mode)
		player, _, err[3] = decodeString(w.Player)
		e.Token, _, err[4] = decodeString(w.Token)
		e.Level, _, err[5] = decodeString(w.Level)
		if err := errors.Join(err[:]...); err != nil {
			return nil, fmt.Errorf("%w: init: %v", ErrMalformed, err)
		}
		tc, clockErr := decodeClock(w.Clock)
		if clockErr != nil {
			return nil, fmt.Errorf("%w: init: %v", ErrMalformed, clockErr)
		}
		e.Clock = tc
		e.Mode = Mode(mode)
		if player != "" {
			if e.Player, err[0] = connect4.ParsePlayer(player); err[0] != nil {
				return nil, fmt.Errorf("%w: %v", ErrMalformed, err[0])
			}
		}
		return e, nil
	case "presence":
		var e Presence
		if e.Player, err = decodePlayer(w.Player); err != nil {
			return nil, err
		}
		switch string(w.Online) {
		case "true":
			e.Online = true
		case "false":
		default:
			return nil, fmt.Errorf("%w: \"online\" must be true or false", ErrMalformed)
		}
		if !e.Online {
			secs, err := decodeInt(w.Grace, "grace")
			if err != nil {
				return nil, err
			}
			e.Grace = time.Duration(secs) * time.Second
		}
		return e, nil
	case "rematch", "abandoned":
		p, err := decodePlayer(w.Player)
		if err != nil {
			return nil, err
		}
		if typ == "rematch" {
			return RematchOffer{Player: p}, nil
		}
		return Abandoned{Player: p}, nil
	case "play":
		var e Played
		if e.Player, err = decodePlayer(w.Player); err != nil {
			return nil, err
		}
		if e.Column, err = decodeColumn(w.Column); err != nil {
			return nil, err
		}
		if e.Row, err = decodeInt(w.Row, "row"); err != nil {
			return nil, err
		}
		return e, nil
	case "win":
		var e Win
		if e.Player, err = decodePlayer(w.Player); err != nil {
			return nil, err
		}
		// The tutorial's server sends no cells: they stay zero.
		if len(w.Cells) > 0 && !isNull(w.Cells) {
			if e.Cells, err = decodeCells(w.Cells); err != nil {
				return nil, err
			}
		}
		return e, nil
	case "snapshot":
		moves, err := decodeMoves(w.Moves)
		if err != nil {
			return nil, err
		}
		return Snapshot{Moves: moves}, nil
	case "archived":
		moves, err := decodeMoves(w.Moves)
		if err != nil {
			return nil, err
		}
		watch, _, err := decodeString(w.Watch)
		if err != nil {
			return nil, err
		}
		mode, _, err := decodeString(w.Mode)
		if err != nil {
			return nil, err
		}
		return Archived{Watch: watch, Mode: Mode(mode), Moves: moves}, nil
	case "draw":
		return Draw{}, nil
	case "pong":
		return Pong{}, nil
	case "cancelled":
		return Cancelled{}, nil
	case "clock":
		red, err := decodeInt(w.Red, "red")
		if err != nil {
			return nil, err
		}
		yellow, err := decodeInt(w.Yellow, "yellow")
		if err != nil {
			return nil, err
		}
		e := Clock{Red: time.Duration(red) * time.Millisecond, Yellow: time.Duration(yellow) * time.Millisecond}
		if len(w.Running) > 0 {
			if e.Running, err = decodePlayer(w.Running); err != nil {
				return nil, err
			}
		}
		return e, nil
	case "timeout":
		p, err := decodePlayer(w.Player)
		if err != nil {
			return nil, err
		}
		return Timeout{Player: p}, nil
	case "lobby":
		playing, err := decodeInt(w.Playing, "playing")
		if err != nil {
			return nil, err
		}
		games, err := decodeGames(w.Games)
		if err != nil {
			return nil, err
		}
		return Lobby{Playing: playing, Games: games}, nil
	case "seeking":
		since, err := decodeInt(w.Since, "since")
		if err != nil {
			return nil, err
		}
		playing, err := decodeInt(w.Playing, "playing")
		if err != nil {
			return nil, err
		}
		e := Seeking{Since: int64(since), Playing: playing}
		switch string(w.Offer) {
		case "true":
			e.Offer = true
		case "", "false":
		default:
			return nil, fmt.Errorf("%w: \"offer\" must be true or false", ErrMalformed)
		}
		return e, nil
	case "error":
		msg, ok, err := decodeString(w.Message)
		if err != nil || !ok {
			return nil, fmt.Errorf("%w: \"message\" must be a string", ErrMalformed)
		}
		watch, _, err := decodeString(w.Watch)
		if err != nil {
			return nil, fmt.Errorf("%w: \"watch\" must be a string", ErrMalformed)
		}
		return Error{Message: msg, Watch: watch}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownType, typ)
}

// decodeWire parses data as one JSON object and returns it with its type. It is
// stricter than encoding/json (see ScanObject): the text must be valid UTF-8,
// keys match exactly, not regardless of case, and none may appear twice.
func decodeWire(data []byte) (wire, string, error) {
	var w wire
	if !utf8.Valid(data) {
		return w, "", ErrEncoding
	}
	err := ScanObject(data, func(key, value []byte) error {
		if f := w.field(key); f != nil {
			*f = value
		}
		return nil
	})
	if err != nil {
		return w, "", err
	}
	if len(w.Type) == 0 || isNull(w.Type) {
		return w, "", ErrNoType
	}
	if w.Type[0] != '"' {
		return w, "", fmt.Errorf("%w: \"type\" must be a string", ErrMalformed)
	}
	typ, err := unquote(w.Type)
	if err != nil {
		return w, "", err
	}
	return w, messageType(typ), nil
}

// messageType returns the type named typ as a constant string, to spare an
// allocation for the known ones.
func messageType(typ []byte) string {
	for _, t := range [...]string{"play", "init", "resume", "rematch", "win", "draw", "error", "presence", "abandoned", "ping", "pong", "snapshot", "seek", "cancel", "seeking", "cancelled", "lobby", "clock", "timeout", "takeback", "archived"} {
		if string(typ) == t {
			return t
		}
	}
	return string(typ)
}

// field returns the field of w for a JSON key, or nil for an unknown key.
func (w *wire) field(key []byte) *[]byte {
	switch string(key) {
	case "type":
		return &w.Type
	case "player":
		return &w.Player
	case "column":
		return &w.Column
	case "row":
		return &w.Row
	case "cells":
		return &w.Cells
	case "message":
		return &w.Message
	case "join":
		return &w.Join
	case "watch":
		return &w.Watch
	case "mode":
		return &w.Mode
	case "version":
		return &w.Version
	case "token":
		return &w.Token
	case "online":
		return &w.Online
	case "grace":
		return &w.Grace
	case "level":
		return &w.Level
	case "moves":
		return &w.Moves
	case "since":
		return &w.Since
	case "playing":
		return &w.Playing
	case "offer":
		return &w.Offer
	case "games":
		return &w.Games
	case "clock":
		return &w.Clock
	case "red":
		return &w.Red
	case "yellow":
		return &w.Yellow
	case "running":
		return &w.Running
	}
	return nil
}

// decodeColumn parses a column number, which must be a JSON integer from 0 to 6.
func decodeColumn(raw []byte) (int, error) {
	if len(raw) == 0 || isNull(raw) {
		return 0, ErrNoColumn
	}
	column, err := strconv.Atoi(string(raw))
	if err != nil {
		if isInteger(raw) { // too large for an int: certainly off the board
			return 0, fmt.Errorf("%w: %s", connect4.ErrNoColumn, raw)
		}
		return 0, fmt.Errorf("%w: %s", ErrBadColumn, raw)
	}
	if column < 0 || column >= connect4.Columns {
		return 0, fmt.Errorf("%w: %d", connect4.ErrNoColumn, column)
	}
	return column, nil
}

// decodeInt parses a required JSON integer.
func decodeInt(raw []byte, name string) (int, error) {
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, fmt.Errorf("%w: %q must be an integer", ErrMalformed, name)
	}
	return n, nil
}

// decodePlayer parses a required player name.
func decodePlayer(raw []byte) (connect4.Player, error) {
	s, ok, err := decodeString(raw)
	if err != nil || !ok {
		return connect4.NoPlayer, fmt.Errorf("%w: \"player\" must be a string", ErrMalformed)
	}
	p, err := connect4.ParsePlayer(s)
	if err != nil {
		return connect4.NoPlayer, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return p, nil
}

// decodeString parses an optional JSON string: absent and null give "", false.
func decodeString(raw []byte) (s string, present bool, err error) {
	if len(raw) == 0 || isNull(raw) {
		return "", false, nil
	}
	if raw[0] != '"' {
		return "", true, fmt.Errorf("%w: not a string", ErrMalformed)
	}
	text, err := unquote(raw)
	return string(text), true, err
}

func isNull(raw []byte) bool { return string(raw) == "null" }

// decodeCells parses the four cells of a win: [{"column": 3, "row": 0}, …].
func decodeCells(raw []byte) ([4]connect4.Cell, error) {
	var cells [4]connect4.Cell
	bad := fmt.Errorf("%w: \"cells\" must be four cells", ErrMalformed)
	n := 0
	err := scanArray(raw, func(elem []byte) error {
		if n == len(cells) {
			return bad
		}
		var column, row []byte
		if err := ScanObject(elem, func(k, v []byte) error {
			switch string(k) {
			case "column":
				column = v
			case "row":
				row = v
			}
			return nil
		}); err != nil {
			return err
		}
		var err1, err2 error
		cells[n].Column, err1 = decodeInt(column, "column")
		cells[n].Row, err2 = decodeInt(row, "row")
		n++
		return errors.Join(err1, err2)
	})
	if err != nil || n != len(cells) {
		return cells, bad
	}
	return cells, nil
}

// decodeMoves parses the columns of a snapshot: [3, 3, 4], at most a full
// board's worth.
func decodeMoves(raw []byte) ([]int, error) {
	bad := fmt.Errorf("%w: \"moves\" must be a list of at most %d columns", ErrMalformed, connect4.Cells)
	if len(raw) == 0 {
		return nil, bad
	}
	moves := []int{}
	err := scanArray(raw, func(elem []byte) error {
		if len(moves) == connect4.Cells {
			return bad
		}
		c, err := decodeColumn(elem)
		if err != nil {
			return err
		}
		moves = append(moves, c)
		return nil
	})
	if err != nil {
		return nil, bad
	}
	return moves, nil
}

// decodeClock parses an optional time control: a string such as "3+2".
func decodeClock(raw []byte) (TimeControl, error) {
	s, _, err := decodeString(raw)
	if err != nil {
		return TimeControl{}, fmt.Errorf("%w: \"clock\" must be a string such as \"3+2\"", ErrBadClock)
	}
	return ParseTimeControl(s)
}

// maxLiveGames bounds the games of a Lobby that a client reads.
const maxLiveGames = 100

// decodeGames parses the games of a Lobby: objects with a "watch" key and
// their "moves".
func decodeGames(raw []byte) ([]LiveGame, error) {
	bad := fmt.Errorf("%w: \"games\" must be a list of at most %d games, each with \"watch\" and \"moves\"", ErrMalformed, maxLiveGames)
	if len(raw) == 0 {
		return nil, bad
	}
	games := []LiveGame{}
	err := scanArray(raw, func(elem []byte) error {
		if len(games) == maxLiveGames {
			return bad
		}
		var w wire
		if err := ScanObject(elem, func(key, value []byte) error {
			if f := w.field(key); f != nil {
				*f = value
			}
			return nil
		}); err != nil {
			return err
		}
		watch, ok, err := decodeString(w.Watch)
		if err != nil || !ok {
			return bad
		}
		moves, err := decodeInt(w.Moves, "moves")
		if err != nil || moves < 0 || moves > connect4.Cells {
			return bad
		}
		games = append(games, LiveGame{Watch: watch, Moves: moves})
		return nil
	})
	if err != nil {
		return nil, bad
	}
	return games, nil
}

// isInteger reports whether raw is a JSON number without fraction or exponent.
func isInteger(raw []byte) bool {
	s := raw
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
