package protocol

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimeControl is the clock of a timed game: each player has Base to make all
// their moves, and gets Increment more after each move. The zero value is
// an untimed game.
type TimeControl struct {
	Base, Increment time.Duration
}

// The bounds of a TimeControl.
const (
	MinBase      = 6 * time.Second // 0.1 minutes
	MaxBase      = 60 * time.Minute
	MaxIncrement = time.Minute
)

// TimeControls lists the time controls the page offers, quickest first. Any
// other that ParseTimeControl accepts works as well.
var TimeControls = []TimeControl{
	{time.Minute, 2 * time.Second},
	{3 * time.Minute, 2 * time.Second},
	{5 * time.Minute, 0},
	{10 * time.Minute, 5 * time.Second},
}

// ParseTimeControl reads a time control as String writes it: minutes per
// player (a decimal number, such as 0.5 for bullet), "+", whole seconds
// added after each move, such as "3+2"; "" is the untimed game. The base is
// 0.1 to 60 minutes, to the second, and the increment 0 to 60 seconds. Its
// error wraps ErrBadClock.
func ParseTimeControl(s string) (TimeControl, error) {
	if s == "" {
		return TimeControl{}, nil
	}
	bad := fmt.Errorf("%w: %q", ErrBadClock, s)
	m, sec, ok := strings.Cut(s, "+")
	whole, frac, _ := strings.Cut(m, ".")
	// Read without strconv.ParseFloat, which the page would link for this
	// alone: the minutes as String writes them have at most 17 decimals (7 s
	// is "0.11666666666666667"), the base is the nearest second, and the
	// round trip below refuses any other way of writing it.
	if !ok || whole == "" || sec == "" || !digits(whole, 2) || !digits(frac, 17) || !digits(sec, 2) {
		return TimeControl{}, bad
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	seconds, _ := strconv.Atoi(sec)
	minutes := float64(w) + float64(f)/math.Pow10(len(frac))
	if minutes*60 < MinBase.Seconds() || minutes*60 > MaxBase.Seconds() || seconds > int(MaxIncrement/time.Second) {
		return TimeControl{}, bad
	}
	tc := TimeControl{time.Duration(math.Round(minutes*60)) * time.Second, time.Duration(seconds) * time.Second}
	if tc.String() != s {
		return TimeControl{}, bad // to the second, and written one way only
	}
	return tc, nil
}

// digits reports whether s is at most n decimal digits.
func digits(s string, n int) bool {
	return len(s) <= n && strings.TrimLeft(s, "0123456789") == ""
}

// String returns the time control as "3+2" or "0.5+0", or "" for the
// untimed game.
func (tc TimeControl) String() string {
	if tc == (TimeControl{}) {
		return ""
	}
	return strconv.FormatFloat(tc.Base.Minutes(), 'f', -1, 64) + "+" + strconv.Itoa(int(tc.Increment/time.Second))
}

// Timed reports whether the game has a clock.
func (tc TimeControl) Timed() bool { return tc.Base > 0 }
