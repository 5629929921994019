package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/connect4"
)

func TestScratchSelfPlay(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SELFPLAY"))
	if n == 0 {
		t.Skip()
	}
	random, _ := strconv.Atoi(os.Getenv("RANDOM"))
	e := bot.New(bot.Options{Solvers: 2})
	var mu sync.Mutex
	sources := map[bot.Source]int{}
	byPly := map[int]int{}
	var wg sync.WaitGroup
	games := make(chan int)
	go func() {
		for i := range n {
			games <- i
		}
		close(games)
	}()
	for range 2 {
		wg.Go(func() {
			for i := range games {
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				g := connect4.NewGame()
				for !g.Over() {
					var c bot.Choice
					if g.Len() < random && (g.Len()%2 == i%2 || os.Getenv("BOTH") != "") {
						c, _ = e.Move(context.Background(), g, bot.Easy, rng)
					} else {
						c, _ = e.Move(context.Background(), g, bot.Perfect, rng)
						mu.Lock()
						sources[c.Source]++
						if c.Source == bot.ByDeepening {
							byPly[g.Len()]++
						}
						mu.Unlock()
					}
					g.Play(g.Turn(), c.Column)
				}
			}
		})
	}
	wg.Wait()
	fmt.Println("sources", sources, "deepening by stones", byPly)
}

func TestScratchLevels(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("LEVELS"))
	if n == 0 {
		t.Skip()
	}
	e := bot.New(bot.Options{Solvers: 1})
	for _, pair := range [][2]bot.Level{{bot.Medium, bot.Easy}} {
		res := map[string]int{}
		for i := range n {
			rng := rand.New(rand.NewPCG(uint64(i), 9))
			g := connect4.NewGame()
			strong := connect4.Player(connect4.Red + connect4.Player(i%2))
			for !g.Over() {
				l := pair[1]
				if g.Turn() == strong {
					l = pair[0]
				}
				c, _ := e.Move(context.Background(), g, l, rng)
				g.Play(g.Turn(), c.Column)
			}
			switch g.Winner() {
			case strong:
				res["won"]++
			case connect4.NoPlayer:
				res["drew"]++
			default:
				res["lost"]++
			}
		}
		fmt.Println(pair[0], "vs", pair[1], res)
	}
}
