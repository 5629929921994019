package main

import (
	"context"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/bot"
	"github.com/connect4go/connect4/shared/connect4"
)

// computer plays for the server at one level, with an engine that every game
// shares, and reports how it chose each move.
type computer struct {
	engine *bot.Engine
	level  bot.Level
	chose  func(level, source string)
}

var _ session.QuickBot = computer{}

// Move implements session.Bot.
func (c computer) Move(ctx context.Context, g *connect4.Game) (int, error) {
	choice, err := c.engine.Move(ctx, g, c.level, nil)
	if err != nil {
		return 0, err
	}
	c.chose(c.level.String(), choice.Source.String())
	return choice.Column, nil
}

// QuickMove implements session.QuickBot: the move from the book, or Easy's.
func (c computer) QuickMove(g *connect4.Game) (int, bool) {
	choice, ok := c.engine.Quick(g, c.level, nil)
	if ok {
		c.chose(c.level.String(), choice.Source.String())
	}
	return choice.Column, ok
}

// computers returns the session.Config.Computer of an engine: a player for
// each level that bot.ParseLevel knows.
func computers(engine *bot.Engine, chose func(level, source string)) func(level string) (session.Bot, error) {
	return func(name string) (session.Bot, error) {
		level, err := bot.ParseLevel(name)
		if err != nil {
			return nil, err
		}
		return computer{engine: engine, level: level, chose: chose}, nil
	}
}
