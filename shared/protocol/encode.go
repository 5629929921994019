package protocol

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/connect4go/connect4/shared/connect4"
)

// EncodeCommand returns the JSON of c.
func EncodeCommand(c Command) ([]byte, error) {
	switch c := c.(type) {
	case Init:
		o := newObject("init")
		o.stringIf("join", c.Join)
		o.stringIf("watch", c.Watch)
		o.stringIf("mode", string(c.Mode))
		o.stringIf("level", c.Level)
		o.stringIf("player", playerName(c.Player))
		o.stringIf("clock", c.Clock.String())
		if c.Version != 0 {
			o.int("version", c.Version)
		}
		return o.done(), nil
	case Resume:
		o := newObject("resume")
		o.string("token", c.Token)
		if c.Version != 0 {
			o.int("version", c.Version)
		}
		return o.done(), nil
	case Play:
		o := newObject("play")
		o.int("column", c.Column)
		return o.done(), nil
	case Rematch:
		o := newObject("rematch")
		return o.done(), nil
	case Ping:
		o := newObject("ping")
		return o.done(), nil
	case Seek:
		o := newObject("seek")
		o.stringIf("clock", c.Clock.String())
		return o.done(), nil
	case Cancel:
		o := newObject("cancel")
		return o.done(), nil
	case TakeBack:
		o := newObject("takeback")
		return o.done(), nil
	}
	return nil, fmt.Errorf("protocol: cannot encode command %T", c)
}

// EncodeEvent returns the JSON of e.
func EncodeEvent(e Event) ([]byte, error) { return AppendEvent(make([]byte, 0, 64), e) }

// AppendEvent appends the JSON of e to b and returns the extended buffer, as
// strconv's Append functions do: a sender that reuses its buffers encodes
// without allocating.
func AppendEvent(b []byte, e Event) ([]byte, error) {
	switch e := e.(type) {
	case Played:
		o := appendObject(b, "play")
		o.string("player", e.Player.String())
		o.int("column", e.Column)
		o.int("row", e.Row)
		return o.done(), nil
	case Win:
		o := appendObject(b, "win")
		o.string("player", e.Player.String())
		o.b = append(o.b, `,"cells":[`...)
		for i, c := range e.Cells {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			o.b = append(o.b, `{"column":`...)
			o.b = strconv.AppendInt(o.b, int64(c.Column), 10)
			o.b = append(o.b, `,"row":`...)
			o.b = strconv.AppendInt(o.b, int64(c.Row), 10)
			o.b = append(o.b, '}')
		}
		o.b = append(o.b, ']')
		return o.done(), nil
	case Draw:
		o := appendObject(b, "draw")
		return o.done(), nil
	case Error:
		o := appendObject(b, "error")
		o.string("message", e.Message)
		o.stringIf("watch", e.Watch)
		return o.done(), nil
	case Started:
		o := appendObject(b, "init")
		o.stringIf("join", e.Join)
		o.string("watch", e.Watch)
		o.stringIf("mode", string(e.Mode))
		o.stringIf("level", e.Level)
		o.stringIf("player", playerName(e.Player))
		o.stringIf("token", e.Token)
		o.stringIf("clock", e.Clock.String())
		return o.done(), nil
	case Snapshot:
		o := appendObject(b, "snapshot")
		o.columns("moves", e.Moves)
		return o.done(), nil
	case Archived:
		o := appendObject(b, "archived")
		o.string("watch", e.Watch)
		o.string("mode", string(e.Mode))
		o.columns("moves", e.Moves)
		return o.done(), nil
	case Presence:
		o := appendObject(b, "presence")
		o.string("player", e.Player.String())
		o.bool("online", e.Online)
		if !e.Online {
			o.int("grace", int(e.Grace.Round(time.Second)/time.Second))
		}
		return o.done(), nil
	case RematchOffer:
		o := appendObject(b, "rematch")
		o.string("player", e.Player.String())
		return o.done(), nil
	case Abandoned:
		o := appendObject(b, "abandoned")
		o.string("player", e.Player.String())
		return o.done(), nil
	case Pong:
		o := appendObject(b, "pong")
		return o.done(), nil
	case Seeking:
		o := appendObject(b, "seeking")
		o.int("since", int(e.Since))
		o.int("playing", e.Playing)
		if e.Offer {
			o.bool("offer", true)
		}
		return o.done(), nil
	case Cancelled:
		o := appendObject(b, "cancelled")
		return o.done(), nil
	case Clock:
		o := appendObject(b, "clock")
		o.int("red", int(e.Red.Milliseconds()))
		o.int("yellow", int(e.Yellow.Milliseconds()))
		o.stringIf("running", playerName(e.Running))
		return o.done(), nil
	case Timeout:
		o := appendObject(b, "timeout")
		o.string("player", e.Player.String())
		return o.done(), nil
	case Lobby:
		o := appendObject(b, "lobby")
		o.int("playing", e.Playing)
		o.key("games")
		o.b = append(o.b, '[')
		for i, g := range e.Games {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			o.b = append(o.b, `{"watch":`...)
			o.b = appendString(o.b, g.Watch)
			o.b = append(o.b, `,"moves":`...)
			o.b = strconv.AppendInt(o.b, int64(g.Moves), 10)
			o.b = append(o.b, '}')
		}
		o.b = append(o.b, ']')
		return o.done(), nil
	}
	return nil, fmt.Errorf("protocol: cannot encode event %T", e)
}

// playerName is the wire name of p, or "" for NoPlayer.
func playerName(p connect4.Player) string {
	if p == connect4.NoPlayer {
		return ""
	}
	return p.String()
}

// object writes a JSON object, members in the order given, the type first.
type object struct{ b []byte }

func newObject(typ string) object { return appendObject(make([]byte, 0, 64), typ) }

// appendObject starts an object after what b holds.
func appendObject(b []byte, typ string) object {
	o := object{b: append(b, `{"type":`...)}
	o.b = appendString(o.b, typ)
	return o
}

func (o *object) key(k string) {
	o.b = append(o.b, ',', '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *object) string(k, v string) {
	o.key(k)
	o.b = appendString(o.b, v)
}

// stringIf writes a string member unless it is empty, as omitempty would.
func (o *object) stringIf(k, v string) {
	if v != "" {
		o.string(k, v)
	}
}

func (o *object) int(k string, v int) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

func (o *object) bool(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

// columns writes an array of columns, such as a game's moves.
func (o *object) columns(k string, cols []int) {
	o.key(k)
	o.b = append(o.b, '[')
	for i, c := range cols {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = strconv.AppendInt(o.b, int64(c), 10)
	}
	o.b = append(o.b, ']')
}

func (o *object) done() []byte { return append(o.b, '}') }

// appendString appends s as a JSON string, escaped as encoding/json escapes it:
// quotes, backslashes and control characters; <, > and & too, so that the text
// is safe inside HTML; U+2028 and U+2029, which end lines in JavaScript; and
// invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch r {
			case utf8.RuneError:
				b = append(b, `\ufffd`...)
			default:
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
