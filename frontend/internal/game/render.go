package game

import (
	"fmt"
	"strings"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// title is the document's title.
const title = "Connect Four"

// The labels of the copy buttons.
const (
	copyLabel   = "Copy"
	copiedLabel = "Copied!"
	// selectedLabel follows a failed copy of the join link: the page selects
	// the link for the player to copy.
	selectedLabel = "Selected: copy it"
	failedLabel   = "Copy failed"
)

// View returns what the page shows now.
func (s *State) View() View {
	if s.fault != "" {
		return View{Title: title, Fault: s.fault}
	}
	var v View
	v.Level, v.Colour = s.chooser.choice()
	v.ClockChoice = s.clockChoice.String()
	v.Cursor = s.cursor
	v.Study, v.HintColumn = s.study, -1
	v.News, v.NewsCount = s.news, s.newsCount
	if s.hello == nil {
		v.Title, v.Start, v.StartNote, v.Chooser = title, true, s.homeNote, s.chooser.open
		if s.lobbyGone {
			// No strings.TrimSpace: its tables would weigh on app.wasm.
			if v.StartNote != "" {
				v.StartNote += " "
			}
			v.StartNote += unreachableText
		}
		if s.watchInstead != "" {
			v.WatchInstead = "?watch=" + queryEscape(s.watchInstead)
		}
		s.lobbyView(&v)
		return v
	}
	r := s.shown()
	for c := range connect4.Columns {
		for row := range connect4.Rows {
			v.Cells[c][row].Checker = r.board.At(c, row)
		}
	}
	if m, ok := r.board.LastMove(); ok {
		v.Cells[m.Column][m.Row].Last = true
	}
	line, hasLine := r.line, r.hasLine
	if r.winner == connect4.NoPlayer {
		line, hasLine = r.board.WinningLine()
	}
	if hasLine {
		for _, c := range line {
			v.Cells[c.Column][c.Row].Win = true
		}
	}
	v.Playable = s.playable()
	if v.Playable && s.hovered && r.board.CanPlay(s.hover) {
		v.Cells[s.hover][r.board.Height(s.hover)].Preview = r.board.Turn()
	}
	for c := range connect4.Columns {
		v.Labels[c] = ColumnLabel(c, v.Cells[c])
		v.Full[c] = r.board.Height(c) == connect4.Rows
	}
	v.Offline = s.offline()
	v.Notice = s.errMsg
	switch s.confirm {
	case confirmLeave:
		v.Confirm, v.ConfirmYes, v.ConfirmNo = "Leave this game? It is not over.", "Leave game", "Keep playing"
	case confirmRestart:
		v.Confirm, v.ConfirmYes, v.ConfirmNo = "Start a new game? This one is not over.", "New game", "Keep playing"
	}
	v.Status, v.Kind, v.Player, v.You = s.status()
	v.Thinking = v.Status == thinkingText
	v.Title = title
	if v.You && v.Kind == KindTurn {
		v.Title = yourTurn + " · " + title
	}
	v.Role, v.RolePlayer = s.role()
	v.Presence = s.presence()
	v.Connection = s.connection()
	s.links(&v)
	s.buttons(&v)
	s.seekingView(&v)
	s.clockView(&v)
	v.TakeBack = s.canTakeBack()
	v.Scores, v.Review = s.watch != "" && !s.seeking(), s.Reviewable()
	s.hintView(&v)
	return v
}

// status returns the status line, its kind, the player it is about and
// whether that is the page's own player.
func (s *State) status() (string, Kind, connect4.Player, bool) {
	r := s.shown()
	winner := r.winner
	if winner == connect4.NoPlayer {
		winner = r.board.Winner()
	}
	turn := r.board.Turn()
	// me is the page's colour in a game between two browsers or against the
	// computer.
	me := connect4.NoPlayer
	if (twoPeople(s.mode) || s.mode == protocol.Computer) && s.holder() {
		me = s.player
	}
	computer := s.mode == protocol.Computer && me != connect4.NoPlayer
	switch {
	case s.desync:
		return desyncText, KindError, connect4.NoPlayer, false
	case s.stopped != "":
		return s.stopped, KindInfo, connect4.NoPlayer, false
	case s.seeking():
		return seekingText, KindInfo, connect4.NoPlayer, false
	case s.offline():
		return offlineText, KindInfo, connect4.NoPlayer, false
	case s.watch == "":
		return s.entering(), KindInfo, connect4.NoPlayer, false
	case winner != connect4.NoPlayer && winner == me:
		return youWinText, KindWin, winner, true
	case winner != connect4.NoPlayer && computer:
		return computerWins, KindWin, winner, false
	case winner != connect4.NoPlayer:
		return name(winner) + " wins!", KindWin, winner, false
	case r.draw || r.board.Draw():
		return drawText, KindDraw, connect4.NoPlayer, false
	case r.archived:
		return archivedText, KindInfo, connect4.NoPlayer, false
	case r.timeout != connect4.NoPlayer:
		return timeoutStatus(r.timeout, me)
	case r.leaver != connect4.NoPlayer && r.leaver == me:
		return droppedText, KindLeft, r.leaver, true
	case r.leaver != connect4.NoPlayer:
		return name(r.leaver) + " left the game.", KindLeft, r.leaver, false
	case turn == me:
		return yourTurn, KindTurn, turn, true
	case computer:
		return thinkingText, KindTurn, turn, false
	}
	return name(turn) + " to play", KindTurn, turn, false
}

// entering returns the status line while the page waits to enter a game.
func (s *State) entering() string {
	switch h := s.hello.(type) {
	case protocol.Seek:
		return seekingText
	case protocol.Resume:
		return "Taking your seat back…"
	case protocol.Init:
		switch {
		case h.Join != "":
			return "Joining the game…"
		case h.Watch != "":
			return "Opening the game…"
		case h.Mode == protocol.HotSeat:
			return "Setting up the board…"
		case h.Mode == protocol.Computer:
			return "Starting a game against the computer…"
		}
	}
	return "Creating your game…"
}

// role returns the role badge and its colour.
func (s *State) role() (string, connect4.Player) {
	switch {
	case s.watch == "":
		return "", connect4.NoPlayer
	case s.cur.archived:
		return archivedRole, connect4.NoPlayer
	case s.spectator:
		return "You are watching", connect4.NoPlayer
	case twoPeople(s.mode) && s.player != connect4.NoPlayer:
		return "You are " + s.player.String(), s.player
	case s.mode == protocol.Computer && s.player != connect4.NoPlayer:
		against := "You are " + s.player.String() + " · against the computer"
		if s.level != "" {
			against += " (" + s.level + ")"
		}
		if s.inBrowser() {
			against += inBrowserText
		}
		return against, s.player
	}
	return "", connect4.NoPlayer
}

// presence returns the sentences about the players who are not at the table.
func (s *State) presence() string {
	var parts []string
	for _, p := range s.others() {
		st := s.seats[p]
		switch {
		case !st.taken:
			parts = append(parts, "Waiting for "+p.String()+" to join…")
		case st.online || st.left:
		case st.until.After(s.now):
			parts = append(parts, fmt.Sprintf("Waiting for %s to reconnect… %d s", p, seconds(st.until.Sub(s.now))))
		default:
			parts = append(parts, "Waiting for "+p.String()+" to reconnect…")
		}
	}
	return strings.Join(parts, " ")
}

// seconds returns d in whole seconds, rounded up: "0 s" would be wrong while
// time remains.
func seconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// links fills in the invitation and the links to share.
func (s *State) links(v *View) {
	if s.watch == "" || s.inBrowser() || s.cur.archived {
		return // the review has its own link
	}
	v.WatchHref = "?watch=" + queryEscape(s.watch)
	v.WatchLink = s.base + v.WatchHref
	if s.join != "" && s.holder() && s.mode == protocol.Friends {
		v.JoinLink = s.base + "?join=" + queryEscape(s.join)
		v.Invite = !s.seats[s.player.Other()].taken && s.stopped == ""
		v.InviteOpen = v.Invite && s.cur.board.Len() == 0
	}
	v.Share = !v.Invite && s.stopped == ""
	v.CopyJoin, v.CopyWatch = copyLabel, copyLabel
	switch {
	case s.copied == JoinLink && s.copyOK:
		v.CopyJoin = copiedLabel
	case s.copied == JoinLink:
		v.CopyJoin = selectedLabel
	case s.copied == WatchLink && s.copyOK:
		v.CopyWatch = copiedLabel
	case s.copied == WatchLink:
		v.CopyWatch = failedLabel
	}
}

// buttons fills in the buttons below the board.
func (s *State) buttons(v *View) {
	v.Home = "Start screen"
	if s.stopped != "" {
		v.Retake = "Try again"
		switch h := s.hello.(type) {
		case protocol.Resume:
			v.Retake = "Take my seat back"
		case protocol.Init:
			if h.Watch != "" {
				v.Retake = "Watch again"
			}
		}
		return
	}
	if !s.holder() {
		v.Offer = s.offers()
		return
	}
	if s.seeking() {
		v.Home = "" // the panel's Cancel does it
		return
	}
	if !s.cur.over() {
		v.Home = "Leave game"
	}
	if s.mode == protocol.HotSeat || s.mode == protocol.Computer {
		// No one to agree with: a new game starts at once.
		v.NewGame = true
		return
	}
	v.Offer = s.offers()
	if s.held != nil || !s.cur.over() || s.cur.leaver != connect4.NoPlayer {
		// No rematch with a player who left.
		return
	}
	me, them := s.player, s.player.Other()
	switch {
	case s.cur.offers[me]:
	case s.cur.offers[them]:
		v.Rematch = "Accept rematch"
	default:
		v.Rematch = "Rematch"
	}
}

// offers returns the news of rematch offers.
func (s *State) offers() string {
	o := &s.cur.offers
	if !twoPeople(s.mode) || o[connect4.Red] == o[connect4.Yellow] {
		return ""
	}
	asker := connect4.Red
	if o[connect4.Yellow] {
		asker = connect4.Yellow
	}
	if s.holder() && asker == s.player {
		return "Waiting for " + asker.Other().String() + " to accept…"
	}
	return name(asker) + " wants a rematch"
}

// connection returns the connection banner's text, or "" when all is well.
func (s *State) connection() string {
	if s.hello == nil || s.stopped != "" {
		return ""
	}
	if s.retryAt.After(s.now) {
		return s.refusal + " Trying again in " + fmt.Sprint(seconds(s.retryAt.Sub(s.now))) + " s…"
	}
	switch s.link {
	case connecting:
		if s.dropped {
			return "Reconnecting…"
		}
		return "Connecting…"
	case lost:
		what, again := "Connection lost.", "Reconnecting"
		if s.unreachable {
			what, again = "Cannot reach the server.", "Retrying"
		}
		if s.retryIn <= 0 {
			return what + " " + again + "…"
		}
		return fmt.Sprintf("%s %s in %d s…", what, again, seconds(s.retryIn))
	}
	return ""
}
