package session

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A Store's context ends as context.WithDeadline's does, whether the Store
// asks for Done before, after or never.
func TestStoreCtx(t *testing.T) {
	ended := func(ctx context.Context) bool {
		select {
		case <-ctx.Done():
			return true
		default:
			return false
		}
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx := newStoreCtx(time.Hour)
		cancel := ctx.cancel
		if d, ok := ctx.Deadline(); !ok || time.Until(d) < 59*time.Minute {
			t.Errorf("Deadline() = %v, %v", d, ok)
		}
		if ctx.Err() != nil || ended(ctx) {
			t.Fatalf("ended before its deadline: %v", ctx.Err())
		}
		cancel()
		cancel()
		if !errors.Is(ctx.Err(), context.Canceled) || !ended(ctx) {
			t.Errorf("after cancel: Err() = %v, Done closed %v", ctx.Err(), ended(ctx))
		}
	})
	t.Run("past its deadline, Err alone", func(t *testing.T) {
		ctx := newStoreCtx(-time.Millisecond)
		cancel := ctx.cancel
		defer cancel()
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) || !ended(ctx) {
			t.Errorf("Err() = %v, Done closed %v", ctx.Err(), ended(ctx))
		}
	})
	t.Run("Done before the deadline", func(t *testing.T) {
		ctx := newStoreCtx(20 * time.Millisecond)
		cancel := ctx.cancel
		defer cancel()
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("Done not closed 5 s after the deadline")
		}
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Errorf("Err() = %v, want the deadline exceeded", ctx.Err())
		}
	})
	t.Run("a child context", func(t *testing.T) {
		ctx := newStoreCtx(time.Hour)
		cancel := ctx.cancel
		child, stop := context.WithCancel(ctx)
		defer stop()
		cancel()
		select {
		case <-child.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("the child did not end with its parent")
		}
	})
}
