package game

import (
	"fmt"
	"strings"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// Quick match: the start screen's "Play someone" sends a [protocol.Seek];
// the server answers with a Started of mode Quick without a colour and a
// [protocol.Seeking] while the page waits in its queue, and with a Started
// that gives the page its colour once it paired it with another player.
// From then on it is a game between two browsers, as with a friend.

// quick is what the page knows of its wait in the queue.
type quick struct {
	since   time.Time // when the wait began, by the server's clock
	playing int       // the people connected to the server, as it last said
	offer   bool      // the server offers the computer instead
}

// MaxLobby is the most games the start screen lists.
const MaxLobby = 8

// LobbyEvery is how often the start screen asks the server what goes on
// (see [State.WantsLobby]).
const LobbyEvery = 10 * time.Second

// The sentences of quick match.
const (
	seekingText = "Looking for an opponent…"
)

// twoPeople reports whether mode is a game between two browsers: with a
// friend, or with a stranger the server paired.
func twoPeople(mode protocol.Mode) bool {
	return mode == protocol.Friends || mode == protocol.Quick
}

// seeking reports whether the page waits in the queue for an opponent.
func (s *State) seeking() bool {
	if _, ok := s.hello.(protocol.Seek); ok && s.watch == "" {
		return true // asked, not yet answered
	}
	return s.mode == protocol.Quick && !s.spectator && s.player == connect4.NoPlayer && s.watch != "" && s.stopped == ""
}

// seekingView fills in the panel of a page waiting for an opponent.
func (s *State) seekingView(v *View) {
	if !s.seeking() {
		return
	}
	v.Seeking = true
	if !s.wait.since.IsZero() {
		elapsed := max(s.now.Sub(s.wait.since), 0)
		secs := int(elapsed / time.Second)
		v.SeekingFor = fmt.Sprintf("%d:%02d", secs/60, secs%60)
		v.PlayingNow = playingText(s.wait.playing)
	}
	v.OfferComputer = s.wait.offer
}

// playingText says how many people are connected: "3 people playing now".
func playingText(n int) string {
	if n == 1 {
		return "1 person playing now"
	}
	return fmt.Sprintf("%d people playing now", n)
}

// CancelSeek returns the [protocol.Cancel] that takes the page out of the
// queue, while it waits there on an open connection, and shows the start
// screen. It returns false, and changes nothing, when the page does not wait.
func (s *State) CancelSeek() (protocol.Command, bool) {
	if !s.seeking() {
		return nil, false
	}
	open := s.link == open && s.started
	s.home("")
	return protocol.Cancel{}, open
}

// PlayComputerInstead leaves the queue, as CancelSeek does, for a game
// against the computer as the chooser stands; it returns the Cancel to send
// on the old connection, if any.
func (s *State) PlayComputerInstead() (protocol.Command, bool) {
	cmd, ok := s.CancelSeek()
	s.Start(protocol.Computer)
	return cmd, ok
}

// WantsLobby reports whether the page shows the start screen, where it lists
// the games being played: the caller then fetches the server's
// [protocol.Lobby] every [LobbyEvery] and gives it to [State.SetLobby].
func (s *State) WantsLobby() bool { return s.hello == nil && s.fault == "" }

// LobbyURL returns the address of the game server's [protocol.Lobby]: the
// lobby beside its WebSocket, over http or https.
func (s *State) LobbyURL() string {
	scheme, authority, rest, ok := splitURL(s.ServerURL())
	if !ok {
		return "lobby"
	}
	path, _, _ := strings.Cut(rest, "?")
	return map[string]string{"ws": "http", "wss": "https"}[scheme] + "://" + authority + strings.TrimSuffix(path, "/") + "/lobby"
}

// SetLobby records what the server said goes on, for the start screen.
func (s *State) SetLobby(l protocol.Lobby) {
	s.lobby, s.hasLobby, s.lobbyGone = l, true, false
}

// LobbyFailed records that the server's lobby could not be fetched: the
// start screen then lists no games, and says that the server cannot be
// reached when the server is the page's own site. A server elsewhere
// (named by the page's <meta name="connect4-server">) may refuse another
// site's fetch and still take its WebSocket: nothing is said of it.
func (s *State) LobbyFailed() {
	s.hasLobby = false
	own, err := ServerURL(s.base, "")
	s.lobbyGone = err == nil && own == s.server
}

// unreachableText is the start screen's note while the server cannot be
// reached: a game against the computer is then played in the page.
const unreachableText = "The game server cannot be reached: you can still play the computer, here in your browser; the other games need the server."

// lobbyView fills in the start screen's list of games being played.
func (s *State) lobbyView(v *View) {
	if !s.hasLobby {
		return
	}
	v.LobbyPlaying = playingText(s.lobby.Playing)
	for i, g := range s.lobby.Games[:min(len(s.lobby.Games), MaxLobby)] {
		label := "A game just begun"
		switch {
		case g.Moves == 1:
			label = "A game, 1 move in"
		case g.Moves > 1:
			label = fmt.Sprintf("A game, %d moves in", g.Moves)
		}
		v.Lobby[i] = LiveLink{Href: "?watch=" + queryEscape(g.Watch), Label: label}
	}
}

// LiveLink is a game of the start screen's list, to watch.
type LiveLink struct {
	Href  string // the address that watches it, relative to the page
	Label string // what it says, such as "A game, 9 moves in"
}
