package game

import (
	"fmt"
	"strings"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
)

// NewsKept is how many of the latest announcements a [View] carries: more
// than one event may come between two paints.
const NewsKept = 4

// The sentences about the connection and the board that a screen reader hears
// and the page shows.
const (
	offlineText = "Offline: reconnecting"
	notSentText = "Offline: your move was not sent."
	// droppedText replaces "You left the game." for a player whose own
	// connection dropped for longer than the server held the seat.
	droppedText = "Your connection dropped, and the game was given up."
	backText    = "Your connection dropped; you are back."
)

// say adds a sentence to the announcements of the page's live region.
func (s *State) say(text string) {
	if text == "" {
		return
	}
	copy(s.news[:], s.news[1:])
	s.news[len(s.news)-1] = text
	s.newsCount++
}

// colourOf returns the lower-case name of a checker: "red" or "yellow".
func colourOf(p connect4.Player) string {
	return lowerASCII(name(p))
}

// moveText tells a move: "Yellow played column 4, row 2", columns and rows
// counted from 1, rows from the bottom.
func moveText(m connect4.Move) string {
	return fmt.Sprintf("%s played column %d, row %d.", name(m.Player), m.Column+1, m.Row+1)
}

// ColumnLabel returns the accessible name of column c (0 to 6) holding cells,
// the bottom one first: "Column 4: red, yellow, red; 3 free", "Column 1:
// empty" or, once full, "Column 2: red, yellow, red, yellow, red, yellow;
// full". A checker of the winning four is "red (winning)".
func ColumnLabel(c int, cells [connect4.Rows]Cell) string {
	var held []string
	for _, cell := range cells {
		if cell.Checker == connect4.NoPlayer {
			break
		}
		word := colourOf(cell.Checker)
		if cell.Win {
			word += " (winning)"
		}
		held = append(held, word)
	}
	label := fmt.Sprintf("Column %d: ", c+1)
	switch free := connect4.Rows - len(held); {
	case len(held) == 0:
		return label + "empty"
	case free == 0:
		return label + strings.Join(held, ", ") + "; full"
	default:
		return fmt.Sprintf("%s%s; %d free", label, strings.Join(held, ", "), free)
	}
}

// lineText describes the winning four: "Winning four: column 1, rows 1 to 4.",
// "Winning four: row 1, columns 2 to 5." or "Winning four: a diagonal from
// column 1, row 1 to column 4, row 4."
func lineText(line [4]connect4.Cell) string {
	first, last := line[0], line[0]
	for _, c := range line[1:] {
		if c.Column < first.Column || c.Column == first.Column && c.Row < first.Row {
			first = c
		}
		if c.Column > last.Column || c.Column == last.Column && c.Row > last.Row {
			last = c
		}
	}
	switch {
	case first.Column == last.Column:
		return fmt.Sprintf("Winning four: column %d, rows %d to %d.", first.Column+1, first.Row+1, last.Row+1)
	case first.Row == last.Row:
		return fmt.Sprintf("Winning four: row %d, columns %d to %d.", first.Row+1, first.Column+1, last.Column+1)
	}
	return fmt.Sprintf("Winning four: a diagonal from column %d, row %d to column %d, row %d.",
		first.Column+1, first.Row+1, last.Column+1, last.Row+1)
}

// summary tells a page entering a game what it holds, in one announcement
// rather than a move at a time: who the page plays, how many moves were
// made (since it last saw the board, if it did), the last one, and the
// status line. back reports a player whose connection dropped.
func (s *State) summary(seen int, back bool) string {
	var parts []string
	if back {
		parts = append(parts, backText)
	}
	if role, _ := s.role(); role != "" && !back {
		parts = append(parts, role+".")
	}
	g := &s.cur.board
	moves := g.Moves()
	since := len(moves) - seen
	switch {
	case seen > 0 && since == 0:
		parts = append(parts, "No move meanwhile.")
	case seen > 0 && since == 1:
		parts = append(parts, "Meanwhile "+moveText(moves[len(moves)-1]))
	case seen > 0 && since > 1:
		parts = append(parts, fmt.Sprintf("Meanwhile %d moves; the last: %s", since, moveText(moves[len(moves)-1])))
	case len(moves) == 0:
		parts = append(parts, "New game.")
	case len(moves) == 1:
		parts = append(parts, "1 move"+s.soFar()+": "+moveText(moves[0]))
	default:
		reds := (len(moves) + 1) / 2
		parts = append(parts, fmt.Sprintf("%d moves%s, %d red and %d yellow; the last: %s",
			len(moves), s.soFar(), reds, len(moves)-reds, moveText(moves[len(moves)-1])))
	}
	status, _, _, _ := s.status()
	parts = append(parts, status)
	if line, ok := g.WinningLine(); ok {
		parts = append(parts, lineText(line))
	}
	return strings.Join(parts, " ")
}

// presenceNews tells a change of a player's presence, from was to a seat
// online or not with grace left, or returns "" when there is none to tell.
func presenceNews(p connect4.Player, was seat, online bool, grace time.Duration) string {
	switch {
	case online && !was.taken:
		return name(p) + " joined."
	case online && !was.online:
		return name(p) + " is back."
	case !online && (was.online || !was.taken) && grace > 0:
		return fmt.Sprintf("%s lost their connection: their seat is held for %d s.", name(p), seconds(grace))
	case !online && (was.online || !was.taken):
		return name(p) + " lost their connection."
	}
	return ""
}

// soFar is what the summary says of the moves: " so far", but nothing of a
// game from the archive, which is over.
func (s *State) soFar() string {
	if s.cur.archived {
		return ""
	}
	return " so far"
}
