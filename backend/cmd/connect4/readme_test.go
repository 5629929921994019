package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/backend/internal/socket"
	"github.com/connect4go/connect4/shared/protocol"
)

// TestREADME checks the README's error and limits tables against the one
// table of sentences in shared/protocol: every sentence a client may be shown
// is there, word for word, and the errors table names no other.
func TestREADME(t *testing.T) {
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, m := range protocol.Messages() {
		if !strings.Contains(readme, "`"+m+"`") {
			t.Errorf("README does not give the error %q", m)
		}
	}

	// The close reasons, with the defaults that their sentences name.
	sock, games := socket.DefaultConfig(), session.DefaultConfig()
	args := map[protocol.Close][]any{
		protocol.CloseIdle:              {games.Idle},
		protocol.CloseInvitationExpired: {games.Invitation},
		protocol.CloseTooBig:            {sock.MaxMessageSize},
		protocol.CloseNoFirstMessage:    {sock.FirstMessageTimeout},
	}
	for _, c := range protocol.Closes() {
		if r := c.Reason(args[c]...); !strings.Contains(readme, r) {
			t.Errorf("README does not give the close reason %q (code %d)", r, c.Code())
		}
	}

	// The errors table: its second column, each sentence in backquotes.
	start := strings.Index(readme, "### Errors")
	end := strings.Index(readme[start:], "### Limits")
	if start < 0 || end < 0 {
		t.Fatal("README has no Errors section before its Limits")
	}
	row := regexp.MustCompile("(?m)^\\| [^|]+ \\| `([^`]+)` \\|$")
	rows := row.FindAllStringSubmatch(readme[start:start+end], -1)
	if len(rows) < len(protocol.Messages())-3 {
		t.Fatalf("README's errors table has %d rows", len(rows))
	}
	for _, r := range rows[1:] { // the first is the header
		if !slices.Contains(protocol.Messages(), r[1]) {
			t.Errorf("README's errors table gives %q, which the server never sends", r[1])
		}
	}
}
