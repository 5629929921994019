package game

import (
	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/protocol"
)

// CanPlayAlone reports whether the page could play its plan alone, without
// the server (package local): a new game against the computer, not entered
// yet. The page does so when it cannot reach the server; the game then has
// no links to share and cannot be resumed elsewhere.
func (s *State) CanPlayAlone() bool {
	return !s.started && local.Playable(s.hello)
}

// ResumesAlone reports whether the page's plan is to take up again the
// game it played alone, kept in the browser (see [local.Load]), as its
// address "?game=in-browser" says after a reload: the page then plays it
// alone at once, without the server. [State.AloneGone] says when the
// browser no longer keeps it.
func (s *State) ResumesAlone() bool {
	r, ok := s.hello.(protocol.Resume)
	return ok && r.Token == local.Key && !s.started
}

// AloneGone shows the start screen, with why: the game played alone that
// the address names is no longer kept in the browser.
func (s *State) AloneGone() { s.home(aloneGoneText) }

// aloneGoneText says that the game played alone is gone.
const aloneGoneText = "The game you played in this browser is no longer kept here."

// inBrowser reports whether the page plays the game it shows alone.
func (s *State) inBrowser() bool {
	return s.watch == local.Key
}

// inBrowserText ends the role badge of a game that the page plays alone,
// whether the server could not be reached or the game was taken up again
// from the browser after a reload, without asking the server.
const inBrowserText = " · playing in your browser, without the server"
