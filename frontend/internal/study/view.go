package study

import (
	"strconv"
	"strings"

	"github.com/connect4go/connect4/shared/analysis"
	"github.com/connect4go/connect4/shared/connect4"
)

// View is what an analysis board shows, as a plain value: two Views are
// equal exactly when they look the same.
type View struct {
	// Cells holds the position shown, indexed [column][row]: column 0 on
	// the left, row 0 at the bottom.
	Cells [connect4.Columns][connect4.Rows]connect4.Player
	// Last is the last checker played, if HasLast; Win the winning four,
	// if HasWin.
	Last    connect4.Cell
	HasLast bool
	Win     [4]connect4.Cell
	HasWin  bool
	// Turn is the player to move, or NoPlayer once the game is over.
	Turn connect4.Player
	// Full reports the columns that take no more checkers.
	Full [connect4.Columns]bool
	// Status tells the position in a sentence: "After move 5, red in
	// column 4: a mistake. Yellow to play."
	Status string

	// ScoresOn reports that the columns' words show. Words are then each
	// column's outcome for the player to move, in words ("win in 5",
	// "draw", "loses in 12", "full"), or "" while unknown.
	ScoresOn bool
	Words    [connect4.Columns]string
	// Scoring reports that the scores of the position shown are awaited,
	// Retrying that they are asked again after the brain failed once;
	// Failed that the solver could not give them, twice; Early that it gave some
	// only, the position being too early in the game for it (the others'
	// Words are analysis.NotKnown).
	Scoring, Retrying, Failed, Early bool
	// Best is the best column of the position shown (from 0), when asked
	// for and known, else -1; BestText says it: "Best move: column 4, win
	// in 5."
	Best     int
	BestText string

	// Moves holds the moves of the move list, the first Len of them: the
	// game reviewed, or the line. Cursor moves of the line, LineLen long,
	// are on the board. In a review, Variation is the number of the game's
	// moves that the line keeps before it leaves the game (a variation,
	// played on the board), or -1 on the game.
	Moves     [connect4.Cells]Move
	Len       int
	Cursor    int
	LineLen   int
	Variation int
	// Accuracy is each player's accuracy, indexed by Player ("88%"), once
	// every move of theirs has its label; NotKnown if one of them cannot
	// have it (the position before it could not be scored); "" until
	// then, or without a review. Hints counts the hints each player took.
	Accuracy [3]string
	Hints    [3]int
	// Names holds each player's name, indexed by Player: their colour,
	// "red", or the name set, such as "you" (see [Board.SetName]).
	Names [3]string
	// Query is the address of the position shown: "?pos=4453".
	Query string
}

// NotKnown is the accuracy of a player one of whose moves has no label, the
// position before it having no score: it will not come.
const NotKnown = "not known"

// Move is a move of the move list.
type Move struct {
	Column int // from 0
	Player connect4.Player
	// Name is the player's name: their colour, or the name set.
	Name string
	// Label is the move's label ("best", "inaccuracy", "mistake",
	// "blunder") once the scores of the position before it came, or "".
	Label string
}

// Text returns the move as the move list says it: "4. yellow, column 3:
// mistake", "5. you, column 4", counting moves and columns from 1.
func (m Move) Text(n int) string {
	name := m.Name
	if name == "" {
		name = m.Player.String()
	}
	s := strconv.Itoa(n+1) + ". " + name + ", column " + strconv.Itoa(m.Column+1)
	if m.Label != "" {
		s += ": " + m.Label
	}
	return s
}

// View returns what the board shows now.
func (b *Board) View() View {
	moves := b.moves()
	v := View{Best: -1, Len: len(moves), Cursor: b.cursor, LineLen: len(b.line), Variation: b.variation(),
		Hints: b.hints, ScoresOn: b.on, Query: Query(b.line[:b.cursor])}
	g := b.game()
	for c := range connect4.Columns {
		for r := range connect4.Rows {
			v.Cells[c][r] = g.At(c, r)
		}
		v.Full[c] = !g.CanPlay(c)
	}
	if m, ok := g.LastMove(); ok {
		v.Last, v.HasLast = connect4.Cell{Column: m.Column, Row: m.Row}, true
	}
	v.Win, v.HasWin = g.WinningLine()
	if !g.Over() {
		v.Turn = g.Turn()
	}
	for n, c := range moves {
		v.Moves[n] = Move{Column: c, Player: player(n), Name: b.name(player(n))}
		if l, ok := b.label(moves, n); ok {
			v.Moves[n].Label = l.String()
		}
	}
	for _, p := range []connect4.Player{connect4.Red, connect4.Yellow} {
		v.Names[p] = b.name(p)
	}
	if b.review {
		for _, p := range []connect4.Player{connect4.Red, connect4.Yellow} {
			if a, ok := b.accuracy(p); ok {
				v.Accuracy[p] = Percent(a)
			} else if b.unscorable(p) {
				v.Accuracy[p] = NotKnown
			}
		}
	}
	v.Status = b.status(g)

	pos := b.Position()
	scores, known := b.scores[pos]
	wanted := (b.on || b.best) && !g.Over()
	v.Failed = wanted && b.failed[pos]
	v.Scoring = wanted && !known && !v.Failed
	v.Retrying = v.Scoring && b.retried[pos]
	v.Early = wanted && b.early[pos]
	if b.on && known {
		v.Words = analysis.Columns(scores, b.cursor)
	}
	if b.best && known && analysis.BestKnown(scores) {
		c, s := scores.Best()
		v.Best = c
		v.BestText = "Best move: column " + strconv.Itoa(c+1) + ", " + analysis.OutcomeOf(s, b.cursor).String() + "."
	}
	return v
}

// status tells the position shown in a sentence; in a variation, where
// it left the game.
func (b *Board) status(g *connect4.Game) string {
	var sb strings.Builder
	if b.cursor == 0 {
		sb.WriteString("Start of the game.")
	} else {
		n := b.cursor - 1
		sb.WriteString("After move " + strconv.Itoa(b.cursor) + ", " + b.name(player(n)) + " in column " + strconv.Itoa(b.line[n]+1))
		if from := b.variation(); from >= 0 && n >= from {
			sb.WriteString(" (a variation from move " + strconv.Itoa(from+1))
			if from < len(b.reviewed) {
				sb.WriteString(", where the game played column " + strconv.Itoa(b.reviewed[from]+1))
			} else {
				sb.WriteString(", after the game's last move")
			}
			sb.WriteString(")")
		}
		if l, ok := b.label(b.line, n); ok {
			sb.WriteString(": " + article(l.String()))
		}
		sb.WriteString(".")
	}
	switch {
	case g.Winner() != connect4.NoPlayer && b.name(g.Winner()) == "you":
		sb.WriteString(" You win.")
	case g.Winner() != connect4.NoPlayer:
		sb.WriteString(" " + title(b.name(g.Winner())) + " wins.")
	case g.Draw():
		sb.WriteString(" A draw.")
	default:
		sb.WriteString(" " + title(b.name(g.Turn())) + " to play.")
	}
	return sb.String()
}

// article puts "the" or "a" or "an" before a label: "the best move", "an
// inaccuracy", "a mistake".
func article(label string) string {
	switch label {
	case analysis.Best.String():
		return "the best move"
	case analysis.Inaccuracy.String():
		return "an inaccuracy"
	}
	return "a " + label
}

// title returns a player's name, "red" or "yellow", with its first letter
// in upper case: "Red".
func title(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// player returns the player of the n-th move, from 0.
func player(n int) connect4.Player {
	if n%2 == 0 {
		return connect4.Red
	}
	return connect4.Yellow
}
