//go:build js && wasm

package main

import (
	"context"
	"errors"
	"sync"
	"syscall/js"

	"github.com/connect4go/connect4/frontend/internal/worker"
)

// question is a message of the page: its id and its request.
type question struct {
	id  int
	req worker.Request
}

func main() {
	self := js.Global()
	h := worker.New()
	// One question at a time: each answer is posted with its question's
	// id, so that the order in which waiting questions take their turn
	// does not matter.
	var mu sync.Mutex
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
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
	self.Set("onmessage", onMessage)
	post(self, map[string]any{"type": "ready"})
	select {} // answer for as long as the page lives
}

// read returns the question of a message event; missing fields are left
// empty, for Handle to refuse. It checks each value's type first: syscall/js
// panics on a property of anything but an object, and a panic in a
// callback would end the worker.
func read(event js.Value) question {
	var q question
	if event.Type() != js.TypeObject {
		return q
	}
	data := event.Get("data")
	if data.Type() != js.TypeObject {
		return q
	}
	if id := data.Get("id"); id.Type() == js.TypeNumber {
		q.id = id.Int()
	}
	q.req.Kind = stringOf(data.Get("kind"))
	q.req.Moves = stringOf(data.Get("moves"))
	q.req.Level = stringOf(data.Get("level"))
	return q
}

// stringOf returns v's string, or "" for anything but a string.
func stringOf(v js.Value) string {
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

// answer returns the message that answers q with a.
func answer(q question, a worker.Answer) map[string]any {
	m := map[string]any{"id": q.id}
	if a.Err != nil {
		m["error"] = a.Err.Error()
	}
	switch {
	case a.Err != nil && !errors.Is(a.Err, worker.ErrTooHard):
	case q.req.Kind == worker.Think:
		m["column"] = a.Column
	case q.req.Kind == worker.Memory:
		m["bytes"] = a.Bytes
	default:
		// With ErrTooHard, the columns it could score.
		scores := make([]any, len(a.Scores))
		for i, s := range a.Scores {
			scores[i] = s
		}
		m["scores"] = scores
	}
	return m
}

// post sends m to the page. A message that cannot go is lost, and said on
// the console: the page's question then waits, as for a worker that died.
func post(self js.Value, m map[string]any) {
	defer func() {
		if recover() != nil {
			println("worker: an answer could not be posted")
		}
	}()
	self.Call("postMessage", js.ValueOf(m))
}
