package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/connect4"
)

func ExampleMove() {
	// Red has three in the bottom row; Yellow, to move, must block.
	g, _ := connect4.Replay(0, 0, 1, 1, 2)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, level := range []bot.Level{bot.Easy, bot.Medium} {
		c, err := bot.Move(context.Background(), g, level, rng)
		if err != nil {
			panic(err)
		}
		fmt.Println(level, c.Column, c.Source)
	}

	// Late in a game, Perfect solves the position: Red, to move, loses
	// with Yellow's last stone (score -1) whatever it does.
	g, _ = connect4.Replay(0, 1, 2, 2, 6, 1, 1, 4, 4, 4, 2, 3, 0, 3, 4, 0, 0, 0, 3, 6, 1, 4, 1, 1, 0, 2, 2, 2)
	c, err := bot.Move(context.Background(), g, bot.Perfect, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(bot.Perfect, c.Column, c.Source, c.Score)
	// Output:
	// easy 3 rule
	// medium 3 rule
	// perfect 3 solver -1
}
