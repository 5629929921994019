//go:build js && wasm

package main

import (
	"context"
	"sync"

	"github.com/connect4go/connect4/frontend/internal/worker"
	"github.com/hack-pad/safejs"
)

// question is a message of the page: its id and its request.
type question struct {
	id  int
	req worker.Request
}

func main() {
	self := safejs.Global()
	h := worker.New()
	// One question at a time: each answer is posted with its question's
	// id, so that the order in which waiting questions take their turn
	// does not matter.
	var mu sync.Mutex
	onMessage, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 {
			return nil
		}
		q := read(args[0])
		// The search runs away from the callback, which must not block.
		go func() {
			mu.Lock()
			defer mu.Unlock()
			post(self, answer(q, h.Handle(context.Background(), q.req)))
		}()
		return nil
	})
	if err == nil {
		err = self.Set("onmessage", onMessage)
	}
	if err != nil {
		post(self, map[string]any{"type": "error", "error": "The computer could not listen to the page: " + err.Error()})
		return
	}
	post(self, map[string]any{"type": "ready"})
	select {} // answer for as long as the page lives
}

// read returns the question of a message event; missing fields are left
// empty, for Handle to refuse.
func read(event safejs.Value) question {
	var q question
	data, err := event.Get("data")
	if err != nil {
		return q
	}
	field := func(name string) safejs.Value {
		v, _ := data.Get(name)
		return v
	}
	if id := field("id"); id.Type() == safejs.TypeNumber {
		q.id, _ = id.Int()
	}
	q.req.Kind, _ = stringOf(field("kind"))
	q.req.Moves, _ = stringOf(field("moves"))
	q.req.Level, _ = stringOf(field("level"))
	return q
}

// stringOf returns v's string, or "" for anything but a string.
func stringOf(v safejs.Value) (string, error) {
	if v.Type() != safejs.TypeString {
		return "", nil
	}
	return v.String()
}

// answer returns the message that answers q with a.
func answer(q question, a worker.Answer) map[string]any {
	m := map[string]any{"id": q.id}
	switch {
	case a.Err != nil:
		m["error"] = a.Err.Error()
	case q.req.Kind == worker.Think:
		m["column"] = a.Column
	case q.req.Kind == worker.Memory:
		m["bytes"] = a.Bytes
	default:
		scores := make([]any, len(a.Scores))
		for i, s := range a.Scores {
			scores[i] = s
		}
		m["scores"] = scores
	}
	return m
}

// post sends m to the page. A message that cannot go is lost: the page's
// question then waits, as for a worker that died.
func post(self safejs.Value, m map[string]any) {
	v, err := safejs.ValueOf(m)
	if err == nil {
		_, err = self.Call("postMessage", v)
	}
	if err != nil {
		println("worker: posting an answer:", err.Error())
	}
}
