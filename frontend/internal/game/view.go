package game

import (
	"fmt"
	"strings"

	"github.com/connect4go/connect4/shared/connect4"
)

// View is everything the page shows, as a plain value: two Views are equal
// exactly when they look the same, so a painter can skip what did not change.
type View struct {
	// Title is the document's title: "Connect Four", with "Your turn" in
	// front when a player's turn comes, to show in a tab in the background.
	Title string

	// Fault tells why the page cannot play at all, such as a server setting
	// that is not a WebSocket URL; when it is not "", nothing else shows.
	Fault string

	// Start reports that the start screen shows, in place of the game.
	Start bool
	// StartNote tells on the start screen why the page is back there, such as
	// "Game not found."; "" for none.
	StartNote string
	// WatchInstead is the address that watches the game the page could not
	// join because its seats were taken, such as "?watch=KEY", while
	// StartNote says so; "" otherwise.
	WatchInstead string
	// Chooser reports that the start screen shows the chooser of a game
	// against the computer. Level (one of [Levels]) and Colour (the
	// player's: red moves first) are its choices, kept while it is hidden.
	Chooser bool
	Level   string
	Colour  connect4.Player

	// Cells holds the board, indexed [column][row]: column 0 is on the left and
	// row 0 at the bottom.
	Cells [connect4.Columns][connect4.Rows]Cell

	Status string // the status line, such as "Red to play" or "Your turn"
	Kind   Kind   // what Status is about, for its style
	// Player is the player Status names as next to play, as the winner or as
	// the one who left, or NoPlayer.
	Player connect4.Player
	// You reports that Status is about the page's own player: "Your turn",
	// "You win!".
	You bool
	// Thinking reports that Status says the computer is thinking over its
	// move.
	Thinking bool

	// Role says whom the page plays for: "You are red", "You are yellow",
	// "You are watching", "You are red · against the computer (perfect)";
	// "" on a shared screen, where it plays both.
	Role string
	// RolePlayer is the colour of Role, or NoPlayer.
	RolePlayer connect4.Player
	// Presence tells of players who are not at the table: "Waiting for yellow
	// to join…", "Waiting for red to reconnect… 45 s"; "" when all are.
	Presence string

	// Connection describes a connection that is not open, such as
	// "Connecting…"; it is "" while the connection is open or not wanted.
	Connection string

	// Playable reports whether a click on a column sends a move.
	Playable bool
	// Labels are the accessible names of the columns, from the left: what
	// each holds, from the bottom, and whether it is full (see
	// [ColumnLabel]).
	Labels [connect4.Columns]string
	// Full reports the columns that take no more checkers: they are not
	// offered.
	Full [connect4.Columns]bool
	// Cursor is the column that the keyboard is on, the board's one Tab
	// stop.
	Cursor int
	// Offline reports that the page lost its connection to the game it
	// shows: the board is dimmed and says "Offline: reconnecting".
	Offline bool
	// Notice is said beside the status line, not in its place: a column
	// refused, a move not sent, an error from the server; "" for none.
	Notice string

	// News holds the latest announcements for the screen reader's live
	// region, the newest last ("Yellow played column 4, row 2. Your
	// turn."); NewsCount counts every announcement the page made, so that
	// a painter adds those it has not added yet.
	News      [NewsKept]string
	NewsCount uint64

	// Confirm is a question the page asks before it throws a game in
	// progress away, with its two answers; "" when none is asked.
	Confirm, ConfirmYes, ConfirmNo string

	// Invite reports that the invitation shows: JoinLink to send to the
	// opponent, with its copy button, and the watch link.
	Invite bool
	// InviteOpen reports that the invitation shows unfolded: until the
	// first move, after which it folds to its title.
	InviteOpen bool
	// JoinLink is the address that takes the second seat, or "" when the page
	// has none to share.
	JoinLink string
	// WatchHref is the link that follows the game, relative to the page
	// ("?watch=KEY"); WatchLink is the same address in full, to copy. Both
	// are "" until the page knows the game.
	WatchHref, WatchLink string
	// CopyJoin and CopyWatch are the labels of the buttons that copy the join
	// and the watch links: "Copy", then "Copied!" for a moment (or why not).
	CopyJoin, CopyWatch string
	// Share reports that the small watch link below the board shows.
	Share bool

	// NewGame reports that the "New game" button shows: on a shared screen,
	// and against the computer, where a new game starts at once, colours
	// swapped.
	NewGame bool
	// TakeBack reports that the "Take back" button shows: on a shared screen
	// and against the computer, once the page has a move to take back.
	TakeBack bool
	// Rematch is the label of the rematch button of a game between two
	// browsers ("Rematch", "Accept rematch"), or "" when it is hidden.
	Rematch string
	// Offer tells about rematch offers: "Yellow wants a rematch", "Waiting for
	// yellow to accept…", or "".
	Offer string
	// Retake is the label of the button that reconnects after the server
	// closed the connection for good ("Take my seat back"), or "" when hidden.
	Retake string
	// Clocks reports that the game is timed: ClockRed and ClockYellow are
	// the time left to each player ("2:05"), and ClockRunning the player
	// whose clock runs, or NoPlayer.
	Clocks                bool
	ClockRed, ClockYellow string
	ClockRunning          connect4.Player
	// ClockChoice is the start screen's choice of clock for "Play someone"
	// and "Invite a friend": "" for none, or one of [ClockChoices].
	ClockChoice string

	// Seeking reports that the page waits for an opponent in quick match:
	// the panel shows SeekingFor, the time waited ("0:12"), PlayingNow ("3
	// people playing now"), a Cancel button, and with OfferComputer a button
	// to play the computer instead.
	Seeking       bool
	SeekingFor    string
	PlayingNow    string
	OfferComputer bool
	// Lobby lists, on the start screen, games being played to watch, at
	// most MaxLobby, the first ones filled in; LobbyPlaying says how many
	// people play now. Both are empty until the server said.
	Lobby        [MaxLobby]LiveLink
	LobbyPlaying string

	// Study reports that the page's study (an analysis board, a review)
	// shows in place of the game and the start screen.
	Study bool
	// Scores reports that the button that shows the scores of the game's
	// columns shows (pressed where analysis is not allowed, it says why);
	// Review that the review of the game that ended is offered.
	Scores, Review bool
	// Hint reports that the "Hint" button shows: against the computer, on
	// the player's turn. HintText is the hint asked for the position shown
	// ("Hint: column 4 (win in 9)."), and HintColumn its column, or -1.
	Hint       bool
	HintText   string
	HintColumn int

	// Home is the label of the button back to the start screen ("Leave game"
	// while the page holds a seat in a game that goes on, else "Start
	// screen"), or "" on the start screen.
	Home string
}

// StatusClass returns the HTML class attribute of the status line: "status",
// the Kind, the colour of the Player it names, if any, "you" if it is about
// the page's own player ("status turn red you") and "thinking" while the
// computer thinks ("status turn yellow thinking").
func (v View) StatusClass() string {
	class := "status " + v.Kind.String()
	if v.Player != connect4.NoPlayer {
		class += " " + v.Player.String()
	}
	if v.You {
		class += " you"
	}
	if v.Thinking {
		class += " thinking"
	}
	return class
}

// RoleClass returns the HTML class attribute of the role badge: "role" and
// the colour of RolePlayer, or "role spectator".
func (v View) RoleClass() string {
	if v.RolePlayer == connect4.NoPlayer {
		return "role spectator"
	}
	return "role " + v.RolePlayer.String()
}

// String draws the board in ASCII, top row first, one line per row: "." for an
// empty cell, "R" and "Y" for checkers, "r" and "y" for the preview of the next
// checker, and "*" for the checkers of the winning four.
func (v View) String() string {
	var sb strings.Builder
	for r := connect4.Rows - 1; r >= 0; r-- {
		for c := range connect4.Columns {
			cell := v.Cells[c][r]
			switch {
			case cell.Win:
				sb.WriteByte('*')
			case cell.Preview != connect4.NoPlayer:
				sb.WriteByte(".ry"[cell.Preview])
			default:
				sb.WriteByte(".RY"[cell.Checker])
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// Cell is how one cell of the board looks.
type Cell struct {
	Checker connect4.Player // the checker in the cell, or NoPlayer when empty
	// Preview is the colour of the checker that would land in this empty cell
	// on a click, while the pointer is over its column; NoPlayer otherwise.
	Preview connect4.Player
	Win     bool // the checker is one of the winning four
	Last    bool // the checker is the last one played
}

// Color returns the cell's colour class: "empty", "red" or "yellow".
func (c Cell) Color() string {
	if c.Checker == connect4.NoPlayer {
		return "empty"
	}
	return c.Checker.String()
}

// Class returns the cell's HTML class attribute: "cell" and its [Cell.Color],
// then "win", "last", and "preview" with the preview's colour
// ("preview preview-red") as they apply.
func (c Cell) Class() string {
	class := "cell " + c.Color()
	if c.Win {
		class += " win"
	}
	if c.Last {
		class += " last"
	}
	if c.Preview != connect4.NoPlayer {
		class += " preview preview-" + c.Preview.String()
	}
	return class
}

// Kind tells what the status line is about, so that the page can style it.
type Kind int

// The kinds of status line.
const (
	KindTurn  Kind = iota // whose turn it is
	KindInfo              // news, such as the server closing the connection
	KindError             // a move the server refused, or a problem
	KindWin               // the game is won
	KindDraw              // the game is drawn
	KindLeft              // the game was abandoned: a player left
)

// String returns the kind's name, which is also its class in the page: "turn",
// "info", "error", "win", "draw" or "left".
func (k Kind) String() string {
	switch k {
	case KindTurn:
		return "turn"
	case KindInfo:
		return "info"
	case KindError:
		return "error"
	case KindWin:
		return "win"
	case KindDraw:
		return "draw"
	case KindLeft:
		return "left"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}
