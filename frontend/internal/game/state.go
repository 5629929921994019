// Package game holds the state of the Connect Four page, apart from any browser:
// which screen shows, the seat the page holds, the board as the server reports
// it, whose turn it is, who is connected, and the messages to show.
//
// The server is the referee. The page asks to enter a game (a [protocol.Init]
// or, with the token of a seat it held, a [protocol.Resume]), sends a
// [protocol.Play] for every click on its turn, and shows what the server
// answers: a [State] applies the server's events to a mirror of the game and
// describes the page to paint as a [View]. The State also says what the page
// needs from outside: whether it wants a connection ([State.Dial]), the first
// message to send on one ([State.Opened]), the resume token to keep
// ([State.Token]), the query its address should show ([State.Query]) and the
// server to connect to ([State.ServerURL]).
//
// Besides games on one screen and between two browsers, the page plays
// against the computer: the start screen opens a chooser of the computer's
// level and the player's colour ([State.ToggleChooser]), and the server plays
// the computer's moves.
//
// Time never passes inside this package: the caller says what time it is
// ([State.Tick]) for the countdown of a player who lost their connection, when a
// message has been shown long enough ([State.Expire]), how long until the
// next attempt to reconnect ([State.Lost]) and when the heartbeat that checks
// the connection is due ([State.Ping], [State.Silent]), so that everything
// here is tested without sleeping.
package game

import (
	"fmt"
	"strings"
	"time"

	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// Page is what the page finds when it loads: its address, the resume token
// its browser tab keeps for that address, and its settings.
type Page struct {
	// Base is the page's address without query or fragment, such as
	// "https://example.com/": the links to share start with it.
	Base string
	// Query is the address's query as the browser's location.search gives it:
	// "?join=KEY" takes the second seat of a game, "?watch=KEY" follows one,
	// "?game=KEY" is the address of a game whose seat the page held (it
	// follows the game where the browser keeps no token for it), and ""
	// shows the start screen.
	Query string
	// Token is the resume token that the browser keeps for this address, or
	// "". It takes the seat back and wins over the query.
	Token string
	// Server is the content of the page's [ServerMeta] tag, or "" when it
	// has none: the WebSocket URL of the game server, if not on the page's
	// own site (see [ServerURL]).
	Server string
	// Heartbeat is how the page checks its connection; its zero fields take
	// the values of [DefaultHeartbeat].
	Heartbeat Heartbeat
}

// link is the state of the connection to the server.
type link int

const (
	connecting link = iota // opening, or about to
	open                   // open: messages can be sent
	lost                   // dropped, waiting to reconnect
)

// Link names a link that the page offers to copy.
type Link int

// The links to copy.
const (
	JoinLink  Link = iota + 1 // the invitation to take the second seat
	WatchLink                 // the link that follows the game
)

// round is one game of a match, as the server reports it.
type round struct {
	board connect4.Game // the server's game, mirrored from its Played events

	// From the server's Win, Draw and Abandoned events. The mirror reaches
	// the same result from the moves, but the server's word is final.
	winner  connect4.Player
	line    [4]connect4.Cell
	hasLine bool
	draw    bool
	leaver  connect4.Player // who abandoned the game, or NoPlayer
	timeout connect4.Player // whose clock ran out, or NoPlayer

	offers [3]bool // indexed by Player: who asked for a rematch

	archived bool // the game ended: it comes from the server's archive
}

// over reports whether the game has ended, by the server's word or by the
// mirror's.
func (r *round) over() bool {
	return r.winner != connect4.NoPlayer || r.draw || r.leaver != connect4.NoPlayer || r.timeout != connect4.NoPlayer || r.board.Over() || r.archived
}

// seat is what the page knows of a player's connection.
type seat struct {
	taken  bool      // someone sat down, whether connected now or not
	online bool      // connected now
	left   bool      // gone for good: the game was abandoned
	until  time.Time // while away: when the server gives up the seat
}

// State is the state of the page.
//
// The zero value shows the start screen, with links relative to the page. A
// State is not safe for concurrent use.
type State struct {
	base, query string // the page's address, see Page
	server      string // the URL of the server's WebSocket
	// fault is why the page cannot play at all, such as a bad server
	// setting, or "".
	fault     string
	heartbeat Heartbeat
	beat      beat
	chooser   chooser // of a game against the computer

	// hello is the first message of the next connection: the page's plan.
	// nil shows the start screen.
	hello    protocol.Command
	dials    int    // counts the plans that needed a new connection
	homeNote string // why the start screen shows, or ""
	// watchInstead is the watch key of the game the page could not join,
	// whose seats were taken, while the start screen says so; or "".
	watchInstead string

	// From the last Started of this plan: "" watch means none came yet.
	mode      protocol.Mode
	level     string          // the computer's level, in a Computer game
	player    connect4.Player // the page's colour in a Friends or Computer game, or NoPlayer
	spectator bool
	join      string // the key to share for the second seat, or ""
	watch     string // the key to share with spectators

	cur round
	// held is the board shown, on coming back to a game the page already
	// showed, from the Started to the Snapshot that follows it: showing it
	// keeps the board from emptying and filling again. nil otherwise.
	held  *round
	seats [3]seat // indexed by Player
	// started reports that a Started came on the current connection: a
	// later one begins a new round of the match.
	started bool
	desync  bool // an event disagreed with the mirror
	// moving reports that a move was sent and the server has not answered
	// yet: a second click (a double click) waits, so that it is not taken
	// for the next move.
	moving bool

	now time.Time // as the caller last told, see Tick

	flashes uint64 // numbers the errors and copy notes shown, from 1
	errMsg  string // the error being shown, or ""
	errSeq  uint64
	copied  Link // the link last copied, while its note shows
	copyOK  bool // whether copying it worked
	copySeq uint64

	// After a passing refusal of the plan's first message, such as the
	// server's store out of reach, the page waits until retryAt, then
	// tries again on a new connection; refusals counts them, for the
	// backoff, and refusal is the server's message.
	refusal  string
	refusals int
	retryAt  time.Time

	link    link
	dropped bool          // the connection was lost since the plan began
	retryIn time.Duration // while lost: how long until the next attempt
	// unreachable reports that the connection was lost before it opened.
	unreachable bool
	stopped     string // why the server closed the connection for good, or ""

	hovered bool
	hover   int // the column under the pointer, when hovered

	wait     quick          // while waiting for an opponent in quick match
	lobby    protocol.Lobby // what the server last said goes on
	hasLobby bool
	// lobbyGone reports that the last fetch of the lobby failed, from
	// the page's own site: its server is gone, or the network.
	lobbyGone bool

	clk         gameClock            // the clocks of a timed game
	clockChoice protocol.TimeControl // the start screen's choice of clock
	// cursor is the column that the keyboard is on: the board's one Tab
	// stop, which the arrow keys move.
	cursor int

	// news holds the latest announcements for the live region, the newest
	// last; newsCount counts every one made.
	news      [NewsKept]string
	newsCount uint64
	// before is who was at the table before the page entered the game
	// again, so that coming back is no news of everyone joining.
	before [3]seat
	// confirm is the question the page asks before a costly step, or 0.
	confirm confirm

	study bool // the study shows in place of the game (study.go)
	// The hints of a game against the computer: how many were taken, and
	// the last, asked for the position of hintFor, its answer once it came.
	hints      int
	hintedAt   [][]int // the positions hinted, each counted once
	hinted     bool
	hintFor    []int
	hintColumn int
	hintText   string
}

// confirm is a question that the page asks before it throws a game away.
type confirm int

const (
	noConfirm      confirm = iota
	confirmLeave           // leave the game for the start screen
	confirmRestart         // start a new game on this screen
)

// The sentences of the page that are not built from a player's name.
const (
	drawText   = "It's a draw!"
	desyncText = "Out of sync with the server: reload the page to catch up."
	youWinText = "You win!"
	yourTurn   = "Your turn"
	stopText   = "The server closed the connection."
	sendFailed = "The server could not be reached: please try again."
	// In a game against the computer.
	computerWins = "The computer wins!"
	thinkingText = "The computer is thinking…"
)

// New returns the state of a page that has just loaded: it takes its seat back
// with the page's token, joins or watches the game that the query names, or
// shows the start screen.
func New(p Page) State {
	s := State{base: p.Base, query: p.Query, heartbeat: p.Heartbeat, cursor: connect4.Columns / 2}
	server, err := ServerURL(p.Base, p.Server)
	if err != nil {
		s.fault = serverFault(p.Server)
	}
	s.server = server
	if p.Token != "" {
		s.plan(protocol.Resume{Token: p.Token, Version: protocol.Version})
	} else {
		s.plan(s.fromQuery())
	}
	_, _, s.study = StudyQuery(p.Query)
	s.study = s.study && s.hello == nil
	return s
}

// fromQuery returns the Init that the page's query asks for, or nil.
func (s *State) fromQuery() protocol.Command {
	query := strings.TrimPrefix(s.query, "?")
	join, _ := queryValue(query, "join")
	watch, _ := queryValue(query, "watch")
	game, _ := queryValue(query, "game")
	switch {
	case join != "":
		return protocol.Init{Join: join, Version: protocol.Version}
	case watch != "":
		return protocol.Init{Watch: watch, Version: protocol.Version}
	case game == local.Key:
		// The page's own game, kept in the browser (see ResumesAlone).
		return protocol.Resume{Token: local.Key, Version: protocol.Version}
	case game != "":
		return protocol.Init{Watch: game, Version: protocol.Version}
	}
	return nil
}

// plan forgets the game and makes hello the first message of a new
// connection, or shows the start screen if hello is nil. The address, the
// server, the pointer, the clock, the chooser and the numbering of messages
// stay.
func (s *State) plan(hello protocol.Command) {
	*s = State{
		base: s.base, query: s.query,
		server: s.server, fault: s.fault, heartbeat: s.heartbeat,
		chooser: s.chooser,
		hello:   hello, dials: s.dials,
		now: s.now, flashes: s.flashes,
		hovered: s.hovered, hover: s.hover, cursor: s.cursor,
		lobby: s.lobby, hasLobby: s.hasLobby, lobbyGone: s.lobbyGone,
		clockChoice: s.clockChoice,
		news:        s.news, newsCount: s.newsCount,
	}
	if hello != nil {
		s.dials++
	}
}

// home shows the start screen with note, and drops the query that led away
// from it.
func (s *State) home(note string) {
	s.plan(nil)
	s.homeNote = note
	s.query = ""
}

// Start leaves the start screen for a new game of mode: [protocol.HotSeat]
// for two players on this page, [protocol.Friends] to invite someone,
// [protocol.Computer] to play the computer at the level and with the colour
// of the chooser (see [State.ToggleChooser]), [protocol.Quick] to be paired
// with whoever else looks for an opponent. The page then needs a connection
// (see [State.Dial]).
func (s *State) Start(mode protocol.Mode) {
	if mode == protocol.Quick {
		s.plan(protocol.Seek{Clock: s.clockChoice})
		return
	}
	hello := protocol.Init{Mode: mode, Version: protocol.Version}
	switch mode {
	case protocol.Friends:
		// The default, as the tutorial's clients send it.
		hello.Mode = ""
		hello.Clock = s.clockChoice
	case protocol.Computer:
		hello.Level, hello.Player = s.chooser.choice()
	}
	s.plan(hello)
}

// Home leaves the game for the start screen and forgets the seat: the page
// no longer wants a connection, and its address loses its query.
func (s *State) Home() {
	s.home("")
}

// Retake asks for a new connection after the server closed the last one for
// good (see [State.Closed]), to take the seat back or watch again.
func (s *State) Retake() {
	if s.stopped == "" {
		return
	}
	s.stopped = ""
	s.dials++
}

// Dial reports whether the page wants a connection to the server now, and for
// which plan: n changes whenever the page needs a new connection (a game
// chosen on the start screen, another way in after the server refused one, a
// seat to take back), so that a connection opened for an older n is to be
// closed and a new one opened.
func (s *State) Dial() (n int, ok bool) {
	// A game from the archive has come whole: nothing more will.
	return s.dials, s.hello != nil && s.stopped == "" && s.fault == "" && !s.cur.archived && !s.now.Before(s.retryAt)
}

// ServerURL returns the URL of the game server's WebSocket, to connect to when
// [State.Dial] says: the page's [ServerMeta] setting, or the root of the page's
// own site. It is "" when the setting is not a WebSocket URL, in which case the
// page shows why and never wants a connection.
func (s *State) ServerURL() string {
	if s.server == "" && s.fault == "" {
		// The zero State: the page's own site.
		u, _ := ServerURL(s.base, "")
		return u
	}
	return s.server
}

// Token returns the resume token that the page keeps for its address, or ""
// if it holds no seat.
func (s *State) Token() string {
	if r, ok := s.hello.(protocol.Resume); ok && r.Token != local.Key {
		return r.Token
	}
	return ""
}

// Query returns the query that the page's address shows: the one it loaded
// with, until it leaves the game it names for the start screen.
func (s *State) Query() string {
	return s.query
}

// Tick tells the state what time it is, for the countdowns it shows. The
// caller calls it before each batch of changes and when [State.NextChange]
// says.
func (s *State) Tick(now time.Time) {
	s.now = now
}

// NextChange returns how long until the View changes by the passing of time
// alone, if it will: a countdown showing a new number.
func (s *State) NextChange() (time.Duration, bool) {
	var next time.Duration
	if left := s.retryAt.Sub(s.now); left > 0 {
		// The countdown shows whole seconds; the page wants a connection
		// again when it ends.
		next = left % time.Second
		if next == 0 {
			next = time.Second
		}
	}
	if s.seeking() && !s.wait.since.IsZero() {
		// The time waited shows whole seconds.
		next = time.Second - s.now.Sub(s.wait.since)%time.Second
	}
	if wait, ok := s.clockTick(); ok && (next == 0 || wait < next) {
		next = wait
	}
	for _, p := range s.countdowns() {
		left := s.seats[p].until.Sub(s.now)
		// The number shown is left rounded up to whole seconds: it changes
		// when left falls to the next whole second.
		wait := left % time.Second
		if wait == 0 {
			wait = time.Second
		}
		if next == 0 || wait < next {
			next = wait
		}
	}
	return next, next > 0
}

// countdowns returns the players whose seat is held with time left to show.
func (s *State) countdowns() []connect4.Player {
	var ps []connect4.Player
	for _, p := range s.others() {
		if st := s.seats[p]; st.taken && !st.online && !st.left && st.until.After(s.now) {
			ps = append(ps, p)
		}
	}
	return ps
}

// others returns the players whose presence the page shows: both for a
// spectator, the opponent for a player, none in a hot-seat game.
func (s *State) others() []connect4.Player {
	switch {
	case !twoPeople(s.mode) || s.watch == "" || s.stopped != "" || s.seeking() || s.cur.archived:
		return nil
	case s.offline():
		// The page cannot know who is there: it shows no countdown.
		return nil
	case s.spectator:
		return []connect4.Player{connect4.Red, connect4.Yellow}
	case s.player != connect4.NoPlayer:
		return []connect4.Player{s.player.Other()}
	}
	return nil
}

// Connecting records that a connection to the server is being opened.
func (s *State) Connecting() {
	s.link = connecting
	s.started = false
	s.moving = false
	s.beat = beat{}
}

// Opened records that the connection is open and returns the message to send
// first: a Resume if the page holds a seat, otherwise the Init of its plan.
// It returns nil if the page wants no connection. The heartbeat starts: the
// first ping is due [Heartbeat] Every later (see [State.Ping]).
func (s *State) Opened() protocol.Command {
	s.link = open
	s.started = false
	s.moving = false
	s.beat = beat{}
	if s.hello != nil {
		h := s.heartbeat.orDefault()
		s.beat = beat{on: true, next: s.now.Add(h.Every), wait: h.Wait}
	}
	return s.hello
}

// Lost records that the connection dropped, or failed to open, and that the
// next attempt to connect is in retryIn; call it again to count down.
func (s *State) Lost(retryIn time.Duration) {
	if s.link != lost {
		s.unreachable = s.link == connecting
	}
	s.link = lost
	s.moving = false
	s.beat = beat{}
	s.drop()
	s.retryIn = retryIn
}

// drop records that the connection dropped: while the page has a game to
// show and no new connection has let it back in, it is offline.
func (s *State) drop() {
	was := s.offline()
	s.started = false
	s.dropped = true
	if !was && s.offline() {
		s.say(offlineText + ".")
	}
}

// offline reports that the page shows a game it lost its connection to, and
// has not been let back in yet.
func (s *State) offline() bool {
	return s.watch != "" && s.dropped && !s.started && s.stopped == "" && s.hello != nil
}

// Closed records that the server closed the connection with the WebSocket
// close code and reason, and reports whether to reconnect. A close the
// server would repeat ([protocol.Final]: a normal closure, 1000, such as the
// seat taken back in another window; a message too big, 1009; too many
// messages, 1008) stops the page: it shows the reason and waits for
// [State.Retake] or [State.Home]. Anything else (1001 for a server
// restarting, 1006 for a connection lost, a slow reader's 1008) is worth
// reconnecting after, with [State.Lost].
func (s *State) Closed(code int, reason string) (reconnect bool) {
	s.started = false
	s.beat = beat{}
	if !protocol.Final(code, reason) {
		s.drop()
		return true
	}
	if reason == "" {
		reason = stopText
	}
	s.stopped = reason
	return false
}

// Apply updates the state with an event from the server. A [protocol.Played]
// that the mirrored game cannot play as reported puts the state out of sync:
// the status says so and clicks are off until the next [protocol.Started].
//
// For a [protocol.Error] about the game, Apply returns the error's sequence
// number, to pass to [State.Expire] a few seconds later; for other events it
// returns 0. An error before the server let the page into a game is no
// passing thing: a dead resume token is forgotten and the page tries its
// address's join or watch key, or shows the start screen with the error.
//
// Every event is a sign of life for the heartbeat (see [State.Heard]); a
// [protocol.Pong] is nothing more.
func (s *State) Apply(e protocol.Event) (seq uint64) {
	s.Heard()
	held := s.held
	switch e.(type) {
	case protocol.Started, protocol.Pong:
	default:
		s.held = nil // the Snapshot came, or the game moved on
	}
	switch e.(type) {
	case protocol.Played, protocol.Error, protocol.Started, protocol.Snapshot:
		s.moving = false // the server answered
	}
	switch e := e.(type) {
	case protocol.Started:
		s.enter(e)
	case protocol.Snapshot:
		s.snapshot(e, held)
	case protocol.Played:
		s.played(e)
	case protocol.Win:
		known := s.cur.board.Winner() == e.Player
		s.cur.winner = e.Player
		s.cur.line, s.cur.hasLine = e.Cells, validLine(e.Cells)
		if !s.cur.hasLine && s.cur.board.Winner() == e.Player {
			// The tutorial's server sends no cells: find them on the mirror.
			s.cur.line, s.cur.hasLine = s.cur.board.WinningLine()
		}
		if !known {
			status, _, _, _ := s.status()
			s.say(status)
		}
		// A replay's summary has told the line already.
		if line := lineText(s.cur.line); s.cur.hasLine && held == nil && !strings.HasSuffix(s.news[NewsKept-1], line) {
			s.say(line)
		}
	case protocol.Draw:
		if !s.cur.board.Draw() {
			s.say(drawText)
		}
		s.cur.draw = true
	case protocol.Abandoned:
		s.cur.leaver = e.Player
		s.seats[e.Player].taken = true
		s.seats[e.Player].online = false
		s.seats[e.Player].left = true
		status, _, _, _ := s.status()
		s.say(status)
	case protocol.Presence:
		if s.spectator || e.Player != s.player {
			was := s.seats[e.Player]
			if !was.taken {
				was = s.before[e.Player]
			}
			s.seats[e.Player] = seat{taken: true, online: e.Online, until: s.now.Add(e.Grace)}
			if twoPeople(s.mode) {
				s.say(presenceNews(e.Player, was, e.Online, e.Grace))
			}
		}
	case protocol.RematchOffer:
		s.cur.offers[e.Player] = true
		s.say(s.offers())
	case protocol.Seeking:
		s.wait = quick{since: time.UnixMilli(e.Since), playing: e.Playing, offer: e.Offer}
	case protocol.Clock:
		s.setClock(e)
	case protocol.Timeout:
		s.cur.timeout = e.Player
		s.clk.running = connect4.NoPlayer
		status, _, _, _ := s.status()
		s.say(status)
	case protocol.Cancelled:
		s.home("")
	case protocol.Archived:
		s.archive(e)
	case protocol.Error:
		if !s.started {
			s.refused(e)
			return 0
		}
		return s.ShowError(e.Message)
	}
	return 0
}

// enter starts showing the game of a Started: the first of a connection
// enters the match (the moves so far follow), a later one begins a new round.
func (s *State) enter(e protocol.Started) {
	// The pairing of a quick match begins its first game.
	paired := s.mode == protocol.Quick && s.player == connect4.NoPlayer && e.Player != connect4.NoPlayer
	newRound := s.started && !paired
	// The creator of a game, and a page the server paired, get no
	// Snapshot: their game is new.
	created := paired
	switch h := s.hello.(type) {
	case protocol.Init:
		created = created || (h.Join == "" && h.Watch == "")
	case protocol.Seek:
		created = true
	}
	created = created && !newRound && e.Token != ""
	s.started = true
	if paired || e.Player != connect4.NoPlayer {
		s.wait = quick{}
	}
	switch {
	case newRound && twoPeople(s.mode):
		// The seats swap colours at each rematch.
		s.seats[connect4.Red], s.seats[connect4.Yellow] = s.seats[connect4.Yellow], s.seats[connect4.Red]
	case !newRound:
		if e.Watch == s.watch && s.held == nil && s.cur.board.Len() > 0 && !paired {
			held := s.cur
			s.held = &held
		}
		s.before = [3]seat{}
		if e.Watch == s.watch {
			s.before = s.seats
		}
		s.seats = [3]seat{} // the server tells who is there after the moves
	}
	s.cur = round{}
	if newRound {
		s.hints, s.hintedAt, s.hinted = 0, nil, false
	}
	s.startClock(e.Clock)
	s.desync = false
	s.refusal, s.refusals = "", 0
	if s.query == "" && e.Watch == local.Key {
		// A game played alone has an address of its own too, which a
		// reload takes up again from the browser's storage.
		s.query = "?game=" + local.Key
	}
	if (s.query == "" || paired) && e.Token != "" && e.Watch != local.Key {
		// The address names the game from now on: opened again in this
		// browser, from its history, it takes the seat back with the
		// token kept for it; elsewhere it watches the game. It is not the
		// watch link, which another tab of this browser may open to watch.
		// A quick match's pairing moves the page to the game it joined.
		s.query = "?game=" + e.Watch
	}
	s.mode, s.level, s.player, s.watch = e.Mode, e.Level, e.Player, e.Watch
	s.spectator = e.Token == ""
	if e.Join != "" {
		s.join = e.Join
	}
	if s.spectator {
		s.hello = protocol.Init{Watch: e.Watch, Version: protocol.Version}
	} else {
		s.hello = protocol.Resume{Token: e.Token, Version: protocol.Version}
	}
	if created {
		s.say(s.summary(0, false))
	}
	if newRound {
		role, _ := s.role()
		if role != "" {
			role += "."
		}
		status, _, _, _ := s.status()
		s.say(strings.TrimRight("New game. "+role+" "+status, " "))
	}
}

// maxBackoff bounds the wait after passing refusals.
const maxBackoff = 30 * time.Second

// refused handles the server's refusal of the page's first message: a
// passing one is tried again after a while on a new connection, with the
// same plan; a dead resume token is forgotten for the way in that the
// address names; anything else shows the start screen with the message, and
// for a game whose seats are taken a link to watch it.
func (s *State) refused(e protocol.Error) {
	if protocol.Temporary(e.Message) {
		s.refusal = e.Message
		s.refusals++
		s.retryAt = s.now.Add(min(time.Second<<min(s.refusals-1, 5), maxBackoff))
		s.dials++ // a new connection, once the wait is over
		return
	}
	if r, ok := s.hello.(protocol.Resume); ok && r.Token != local.Key {
		// The token is dead: try the way in that the address names.
		if hello := s.fromQuery(); hello != nil {
			s.plan(hello)
			return
		}
	}
	s.home(e.Message)
	s.watchInstead = e.Watch
}

// played applies an accepted move to the mirror.
func (s *State) played(e protocol.Played) {
	s.errMsg = ""
	m, err := s.cur.board.Play(e.Player, e.Column)
	if err != nil || m.Row != e.Row {
		s.desync = true
	}
	status, _, _, _ := s.status()
	s.say(moveText(connect4.Move{Player: e.Player, Column: e.Column, Row: e.Row}) + " " + status)
}

// snapshot sets the mirror to the game so far, which the server sends whole
// to a page entering it, and tells it in one announcement: what happened
// since the board the page held, if any, was shown.
func (s *State) snapshot(e protocol.Snapshot, held *round) {
	g, err := connect4.Replay(e.Moves...)
	if err != nil {
		s.desync = true
		return
	}
	s.cur.board = *g
	// The server's moves are the truth: a result, if any, follows as its
	// own event (after a take-back, none).
	s.cur.winner, s.cur.hasLine, s.cur.draw = connect4.NoPlayer, false, false
	s.cur.leaver, s.cur.timeout = connect4.NoPlayer, connect4.NoPlayer
	seen := 0
	if held != nil {
		seen = held.board.Len()
	}
	s.say(s.summary(seen, s.dropped && s.holder()))
}

// validLine reports whether cells are four distinct cells on the board, and not
// the zero value sent for a win without cells.
func validLine(cells [4]connect4.Cell) bool {
	for i, c := range cells {
		if c.Column < 0 || c.Column >= connect4.Columns || c.Row < 0 || c.Row >= connect4.Rows {
			return false
		}
		for _, d := range cells[:i] {
			if c == d {
				return false
			}
		}
	}
	return true
}

// ShowError shows message in the status line in place of the usual text, until
// the next move, a new game, or a call to [State.Expire] with the sequence
// number it returns. It is for problems the page finds itself, such as a
// message from the server it cannot read; Apply calls it for a
// [protocol.Error].
func (s *State) ShowError(message string) (seq uint64) {
	s.say(message)
	s.flashes++
	s.errMsg, s.errSeq = message, s.flashes
	return s.flashes
}

// SendFailed shows that a message could not be sent, as [State.ShowError]
// does.
func (s *State) SendFailed() (seq uint64) {
	return s.ShowError(sendFailed)
}

// Copied records that the page copied link to the clipboard, or failed to (ok
// false: the page selects the link instead, for the player to copy it). The
// button says so until [State.Expire] with the sequence number it returns.
func (s *State) Copied(l Link, ok bool) (seq uint64) {
	s.flashes++
	s.copied, s.copyOK, s.copySeq = l, ok, s.flashes
	return s.flashes
}

// Expire stops showing the error or copy note numbered seq, if it is still
// shown: one that a newer one replaced stays until its own expiry.
func (s *State) Expire(seq uint64) {
	switch seq {
	case s.errSeq:
		s.errMsg = ""
	case s.copySeq:
		s.copied = 0
	}
}

// Click returns the command that a click on column sends: a [protocol.Play]
// while the page may play (its turn in a game between two browsers, any turn
// on a shared screen). Until the server answers the move, with a Played or
// an Error, the page may not play again. Click returns false when there is
// nothing to send; it then says why beside the status line (see
// [State.ErrorSeq]) if the page would have played: the column is full, or
// the page is offline and the move was not sent. The keyboard's column
// becomes column.
func (s *State) Click(column int) (protocol.Command, bool) {
	if column < 0 || column >= connect4.Columns {
		return nil, false
	}
	s.cursor = column
	switch {
	case s.offline() && s.myTurn():
		s.ShowError(notSentText)
		return nil, false
	case !s.playable():
		return nil, false
	case !s.cur.board.CanPlay(column):
		s.ShowError(fmt.Sprintf("Column %d is full: choose another.", column+1))
		return nil, false
	}
	s.moving = true
	return protocol.Play{Column: column}, true
}

// ErrorSeq returns the sequence number of the error shown beside the status
// line, to pass to [State.Expire], or 0 if none shows.
func (s *State) ErrorSeq() uint64 {
	if s.errMsg == "" {
		return 0
	}
	return s.errSeq
}

// Step moves the keyboard's column by delta, to the left for a negative
// one, and stops at the board's edges.
func (s *State) Step(delta int) {
	s.cursor = min(max(s.cursor+delta, 0), connect4.Columns-1)
}

// Aim makes column the keyboard's column, as when it takes the focus; it
// ignores a number off the board.
func (s *State) Aim(column int) {
	if column >= 0 && column < connect4.Columns {
		s.cursor = column
	}
}

// inProgress reports whether the page holds a seat in a game that has
// started and not ended: leaving it, or starting another, throws it away.
func (s *State) inProgress() bool {
	return s.holder() && s.stopped == "" && s.held == nil && s.cur.board.Len() > 0 && !s.cur.over()
}

// Leave is the button back to the start screen: it goes there at once
// ([State.Home]), or first asks, in a game in progress (see
// [State.Answer]).
func (s *State) Leave() {
	if s.inProgress() {
		s.confirm = confirmLeave
		return
	}
	s.Home()
}

// Answer answers the question the page asked (see [View.Confirm]): yes
// leaves the game or starts a new one, as asked, and returns the command to
// send, if any; no keeps the game.
func (s *State) Answer(yes bool) (protocol.Command, bool) {
	asked := s.confirm
	s.confirm = noConfirm
	switch {
	case !yes:
	case asked == confirmLeave:
		s.Home()
	case asked == confirmRestart:
		return s.rematch()
	}
	return nil, false
}

// Rematch returns the command that the rematch button sends: a
// [protocol.Rematch], which offers or accepts a rematch once a game between
// two browsers is over, and starts a new game at once on a shared screen. It
// returns false when the button is not shown or the connection is not open.
//
// A new game on this screen or against the computer, while one is in
// progress, first asks (see [State.Answer]).
func (s *State) Rematch() (protocol.Command, bool) {
	if s.inProgress() && (s.mode == protocol.HotSeat || s.mode == protocol.Computer) {
		if _, ok := s.rematch(); ok {
			s.confirm = confirmRestart
		}
		return nil, false
	}
	return s.rematch()
}

// rematch is Rematch without asking.
func (s *State) rematch() (protocol.Command, bool) {
	var v View
	s.buttons(&v)
	if s.link != open || !s.started || (v.Rematch == "" && !v.NewGame) {
		return nil, false
	}
	return protocol.Rematch{}, true
}

// Hover records the column under the pointer, or -1 (or any other number off
// the board) when there is none. While the page may play, the cell where the
// next checker would land in that column shows a preview.
func (s *State) Hover(column int) {
	s.hovered = column >= 0 && column < connect4.Columns
	s.hover = column
}

// shown returns the game that the board shows.
func (s *State) shown() *round {
	if s.held != nil {
		return s.held
	}
	return &s.cur
}

// holder reports whether the page holds a seat in the game it shows.
func (s *State) holder() bool {
	return s.watch != "" && !s.spectator
}

// playable reports whether a click can send a move now.
func (s *State) playable() bool {
	return s.link == open && s.started && !s.moving && s.myTurn()
}

// myTurn reports whether the page may play on the board it shows, if its
// connection lets it.
func (s *State) myTurn() bool {
	switch {
	case s.watch == "" || s.held != nil || s.desync || s.cur.over():
		return false
	case s.spectator:
		return false
	case s.mode == protocol.HotSeat:
		return true
	}
	return s.player != connect4.NoPlayer && s.cur.board.Turn() == s.player
}

// name returns a player's name to start a sentence: "Red" or "Yellow".
func name(p connect4.Player) string {
	switch p {
	case connect4.Red:
		return "Red"
	case connect4.Yellow:
		return "Yellow"
	}
	return "Nobody"
}
