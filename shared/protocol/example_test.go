package protocol_test

import (
	"fmt"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

func Example() {
	// The server decodes a browser's message, plays it, and encodes the result.
	cmd, err := protocol.DecodeCommand([]byte(`{"type": "play", "column": 3}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	g := connect4.NewGame()
	m, err := g.Play(g.Turn(), cmd.(protocol.Play).Column)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range protocol.Result(g, m) {
		b, _ := protocol.EncodeEvent(e)
		fmt.Println(string(b))
	}
	// Output: {"type":"play","player":"red","column":3,"row":0}
}

func ExampleErrorFor() {
	_, err := connect4.NewGame().Play(connect4.Yellow, 3)
	e, _ := protocol.ErrorFor(err)
	b, _ := protocol.EncodeEvent(e)
	fmt.Println(string(b))
	// Output: {"type":"error","message":"It isn't your turn."}
}
