package game

import (
	"slices"

	"github.com/connect4go/connect4/shared/connect4"
)

// Levels are the computer's levels, weakest first, as the protocol names them.
var Levels = []string{"easy", "medium", "perfect"}

// defaultLevel is the level that the chooser offers first.
const defaultLevel = "medium"

// chooser is the start screen's choice of a game against the computer. The
// zero value is closed, on the default level, with red.
type chooser struct {
	open   bool
	level  string          // one of Levels, or "" for defaultLevel
	colour connect4.Player // the player's colour, or NoPlayer for red
}

// choice returns the chosen level and colour.
func (c chooser) choice() (level string, colour connect4.Player) {
	level, colour = c.level, c.colour
	if level == "" {
		level = defaultLevel
	}
	if colour == connect4.NoPlayer {
		colour = connect4.Red
	}
	return level, colour
}

// ToggleChooser shows the start screen's chooser of a game against the
// computer, or hides it if it shows. The choices stay for the next time, and
// [State.Start] with [protocol.Computer] starts the game they describe.
func (s *State) ToggleChooser() {
	s.chooser.open = !s.chooser.open
}

// ChooseLevel chooses the computer's level, one of [Levels]; it ignores any
// other.
func (s *State) ChooseLevel(level string) {
	if slices.Contains(Levels, level) {
		s.chooser.level = level
	}
}

// ChooseColour chooses the player's colour against the computer: red moves
// first. It ignores NoPlayer.
func (s *State) ChooseColour(p connect4.Player) {
	if p == connect4.Red || p == connect4.Yellow {
		s.chooser.colour = p
	}
}
