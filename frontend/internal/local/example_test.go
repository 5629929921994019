package local_test

import (
	"fmt"

	"github.com/connect4go/connect4/frontend/internal/local"
	"github.com/connect4go/connect4/shared/protocol"
)

// A game against the computer played alone: the page's commands in, the
// server's events out, and the computer's move asked for and played.
func Example() {
	var m local.Match
	events, think := m.Handle(protocol.Init{Mode: protocol.Computer, Level: "easy"})
	fmt.Printf("%+v, computer to move: %v\n", events, think)
	events, think = m.Handle(protocol.Play{Column: 3})
	fmt.Printf("%+v, computer to move: %v, in %q at %s\n", events, think, m.Moves(), m.Level())
	events, think = m.Moved("4", 2) // the worker's answer
	fmt.Printf("%+v, computer to move: %v\n", events, think)
	events, _ = m.Moved("4", 2) // the same answer again: stale
	fmt.Printf("%+v\n", events)
	// Output:
	// [{Join: Watch:in-browser Mode:computer Level:easy Player:red Token:in-browser Clock:}], computer to move: false
	// [{Player:red Column:3 Row:0}], computer to move: true, in "4" at easy
	// [{Player:yellow Column:2 Row:0}], computer to move: false
	// []
}
