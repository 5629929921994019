package game

import "github.com/connect4go/connect4/frontend/internal/local"

// CanPlayAlone reports whether the page could play its plan alone, without
// the server (package local): a new game against the computer, not entered
// yet. The page does so when it cannot reach the server; the game then has
// no links to share and cannot be resumed elsewhere.
func (s *State) CanPlayAlone() bool {
	return !s.started && local.Playable(s.hello)
}

// inBrowser reports whether the page plays the game it shows alone.
func (s *State) inBrowser() bool {
	return s.watch == local.Key
}

// inBrowserText ends the role badge of a game that the page plays alone.
const inBrowserText = " · playing in your browser (the server cannot be reached)"
