package session_test

import (
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/session/storetest"
)

func TestMemStoreConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(_ *testing.T, life session.Lifetimes) session.Store {
			return session.NewMemStore(life)
		},
		Invitations: true,
	})
}
