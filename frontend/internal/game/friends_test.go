package game

import (
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// encode returns the JSON of cmd, or "<none>" for nil.
func encode(t *testing.T, cmd protocol.Command) string {
	t.Helper()
	if cmd == nil {
		return "<none>"
	}
	data, err := protocol.EncodeCommand(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestNew checks what a page does when it loads, from its address and the
// token its tab keeps.
func TestNew(t *testing.T) {
	tests := []struct {
		name   string
		page   Page
		send   string // the first message of the connection, or <none>
		status string
	}{
		{"start screen", Page{Base: base}, "<none>", ""},
		{"another query", Page{Base: base, Query: "?utm_source=mail"}, "<none>", ""},
		{"join link", Page{Base: base, Query: "?join=" + join}, `{"type":"init","join":"J0IN","version":4}`, "Joining the game…"},
		{"watch link", Page{Base: base, Query: "?watch=" + watch}, `{"type":"init","watch":"W4TCH","version":4}`, "Opening the game…"},
		{"both: join wins", Page{Base: base, Query: "?watch=" + watch + "&join=" + join}, `{"type":"init","join":"J0IN","version":4}`, "Joining the game…"},
		{"token", Page{Base: base, Token: token}, `{"type":"resume","token":"tok","version":4}`, "Taking your seat back…"},
		{"token for a join link: resume instead", Page{Base: base, Query: "?join=" + join, Token: token}, `{"type":"resume","token":"tok","version":4}`, "Taking your seat back…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.page)
			_, dial := s.Dial()
			v := s.View()
			if start := tt.send == "<none>"; v.Start != start || dial == start {
				t.Errorf("Start = %v, Dial = %v; want %v, %v", v.Start, dial, start, !start)
			}
			if v.Status != tt.status || (tt.status != "" && v.Kind != KindInfo) {
				t.Errorf("status %q, %v; want %q, info", v.Status, v.Kind, tt.status)
			}
			if v.Playable || v.Role != "" || v.Invite || v.Connection != "" && v.Start {
				t.Errorf("view %+v before entering a game", v)
			}
			if got := s.Token(); got != tt.page.Token {
				t.Errorf("Token() = %q, want %q", got, tt.page.Token)
			}
			if got := s.Query(); got != tt.page.Query {
				t.Errorf("Query() = %q, want %q", got, tt.page.Query)
			}
			s.Connecting()
			if got := encode(t, s.Opened()); got != tt.send {
				t.Errorf("Opened() = %s, want %s", got, tt.send)
			}
		})
	}
}

// TestStart checks the start screen's buttons.
func TestStart(t *testing.T) {
	tests := []struct {
		mode   protocol.Mode
		send   string
		status string
	}{
		{protocol.HotSeat, `{"type":"init","mode":"hotseat","version":4}`, "Setting up the board…"},
		{protocol.Friends, `{"type":"init","version":4}`, "Creating your game…"},
	}
	for _, tt := range tests {
		s := New(Page{Base: base})
		before, _ := s.Dial()
		s.Start(tt.mode)
		n, ok := s.Dial()
		if !ok || n == before {
			t.Errorf("%s: Dial() = %d, %v after Start (before: %d); want a new connection", tt.mode, n, ok, before)
		}
		v := s.View()
		if v.Start || v.Status != tt.status || v.Connection != "Connecting…" || v.Home != "Start screen" {
			t.Errorf("%s: start %v, status %q, connection %q, home %q", tt.mode, v.Start, v.Status, v.Connection, v.Home)
		}
		if got := encode(t, s.Opened()); got != tt.send {
			t.Errorf("%s: sends %s, want %s", tt.mode, got, tt.send)
		}
	}
}

// TestStatus checks what the status line, the role and the presence line say
// to each of the page's roles.
func TestStatus(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	won := then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Win{Player: red, Cells: line(0, 0, 1, 0)})
	tests := []struct {
		name     string
		state    *State
		status   string
		kind     Kind
		player   connect4.Player
		you      bool
		role     string
		presence string
	}{
		{"hot-seat: no role", opened(nil), "Red to play", KindTurn, red, false, "", ""},
		{"hot-seat win", opened(won), "Red wins!", KindWin, red, false, "", ""},
		{"red, alone", seated(red), "Your turn", KindTurn, red, true, "You are red", "Waiting for yellow to join…"},
		{"red, yellow there", seated(red, online(yellow)), "Your turn", KindTurn, red, true, "You are red", ""},
		{"red, after its move", seated(red, then(plays(t, 3), online(yellow))...), "Yellow to play", KindTurn, yellow, false, "You are red", ""},
		{"yellow, red there", seated(yellow, online(red)), "Red to play", KindTurn, red, false, "You are yellow", ""},
		{"yellow, its turn", seated(yellow, then(plays(t, 3), online(red))...), "Your turn", KindTurn, yellow, true, "You are yellow", ""},
		{"red wins", seated(red, then(won, online(yellow))...), "You win!", KindWin, red, true, "You are red", ""},
		{"yellow loses", seated(yellow, then(won, online(red))...), "Red wins!", KindWin, red, false, "You are yellow", ""},
		{"draw", seated(yellow, then(plays(t, drawn...), protocol.Draw{}, online(red))...), drawText, KindDraw, connect4.NoPlayer, false, "You are yellow", ""},
		{"yellow left", seated(red, then(plays(t, 3, 3), protocol.Presence{Player: yellow, Grace: time.Minute}, protocol.Abandoned{Player: yellow})...),
			"Yellow left the game.", KindLeft, yellow, false, "You are red", ""},
		{"the leaver comes back: never 'You left'", seated(yellow, then(plays(t, 3, 3), protocol.Abandoned{Player: yellow}, online(red))...),
			droppedText, KindLeft, yellow, true, "You are yellow", ""},
		{"spectator, one seat taken", watching(online(red)), "Red to play", KindTurn, red, false, "You are watching", "Waiting for yellow to join…"},
		{"spectator", watching(then(plays(t, 3), online(red), online(yellow))...), "Yellow to play", KindTurn, yellow, false, "You are watching", ""},
		{"spectator, red wins", watching(then(won, online(red), online(yellow))...), "Red wins!", KindWin, red, false, "You are watching", ""},
		{"spectator, both away", watching(protocol.Presence{Player: red, Grace: 30 * time.Second}, protocol.Presence{Player: yellow, Grace: 5 * time.Second}),
			"Red to play", KindTurn, red, false, "You are watching", "Waiting for red to reconnect… 30 s Waiting for yellow to reconnect… 5 s"},
		{"red, yellow away", seated(red, then(plays(t, 3), protocol.Presence{Player: yellow, Grace: 45 * time.Second})...),
			"Yellow to play", KindTurn, yellow, false, "You are red", "Waiting for yellow to reconnect… 45 s"},
		{"red's own presence is not news", seated(red, online(yellow), protocol.Presence{Player: red, Grace: time.Second}), "Your turn", KindTurn, red, true, "You are red", ""},
		{"an error shows beside the turn", seated(red, online(yellow), protocol.Error{Message: "This slot is full."}),
			"Your turn", KindTurn, red, true, "You are red", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.state.View()
			if v.Status != tt.status || v.Kind != tt.kind || v.Player != tt.player || v.You != tt.you {
				t.Errorf("status %q, %v, %v, you %v; want %q, %v, %v, %v", v.Status, v.Kind, v.Player, v.You, tt.status, tt.kind, tt.player, tt.you)
			}
			if v.Role != tt.role {
				t.Errorf("role %q, want %q", v.Role, tt.role)
			}
			if v.Presence != tt.presence {
				t.Errorf("presence %q, want %q", v.Presence, tt.presence)
			}
		})
	}
}

// TestPlayable checks who may click, and when.
func TestPlayable(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	lost := seated(red, online(yellow))
	lost.Lost(time.Second)
	tests := []struct {
		name     string
		state    *State
		playable bool
	}{
		{"hot-seat, red's turn", opened(nil), true},
		{"hot-seat, yellow's turn", opened(plays(t, 3)), true},
		{"red on its turn", seated(red), true},
		{"red on yellow's turn", seated(red, plays(t, 3)...), false},
		{"yellow on red's turn", seated(yellow, online(red)), false},
		{"yellow on its turn", seated(yellow, then(plays(t, 3), online(red))...), true},
		{"yellow, red away", seated(yellow, then(plays(t, 3), protocol.Presence{Player: red, Grace: time.Minute})...), true},
		{"spectator on red's turn", watching(online(red)), false},
		{"spectator on yellow's turn", watching(then(plays(t, 3), online(red))...), false},
		{"red after a win", seated(red, then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Win{Player: red})...), false},
		{"red after yellow left", seated(red, then(plays(t, 3, 3), protocol.Abandoned{Player: yellow})...), false},
		{"connection lost", lost, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.state.Hover(2)
			v := tt.state.View()
			if v.Playable != tt.playable {
				t.Errorf("Playable = %v, want %v", v.Playable, tt.playable)
			}
			cmd, ok := tt.state.Click(2)
			if ok != tt.playable || (ok && cmd != protocol.Play{Column: 2}) {
				t.Errorf("Click(2) = %#v, %v; want a play: %v", cmd, ok, tt.playable)
			}
			previewed := false
			for r := range connect4.Rows {
				previewed = previewed || v.Cells[2][r].Preview != connect4.NoPlayer
			}
			if previewed != tt.playable {
				t.Errorf("preview shown: %v, want %v", previewed, tt.playable)
			}
		})
	}
}

// TestCountdown checks the countdown of a player whose connection dropped.
func TestCountdown(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	s := seated(connect4.Red, online(connect4.Yellow))
	s.Tick(t0)
	if d, ok := s.NextChange(); ok {
		t.Errorf("NextChange() = %v with no countdown", d)
	}
	s.Apply(protocol.Presence{Player: connect4.Yellow, Grace: 45 * time.Second})
	steps := []struct {
		at       time.Duration
		presence string
		next     time.Duration // 0: none
	}{
		{0, "Waiting for yellow to reconnect… 45 s", time.Second},
		{400 * time.Millisecond, "Waiting for yellow to reconnect… 45 s", 600 * time.Millisecond},
		{time.Second, "Waiting for yellow to reconnect… 44 s", time.Second},
		{44*time.Second + 500*time.Millisecond, "Waiting for yellow to reconnect… 1 s", 500 * time.Millisecond},
		{45 * time.Second, "Waiting for yellow to reconnect…", 0},
		{50 * time.Second, "Waiting for yellow to reconnect…", 0},
	}
	for _, step := range steps {
		s.Tick(t0.Add(step.at))
		if v := s.View(); v.Presence != step.presence {
			t.Errorf("at %v: presence %q, want %q", step.at, v.Presence, step.presence)
		}
		if next, _ := s.NextChange(); next != step.next {
			t.Errorf("at %v: NextChange() = %v, want %v", step.at, next, step.next)
		}
	}
	s.Apply(online(connect4.Yellow))
	if v := s.View(); v.Presence != "" {
		t.Errorf("yellow is back: presence %q", v.Presence)
	}
	if _, ok := s.NextChange(); ok {
		t.Error("a countdown goes on after yellow came back")
	}

	// A seat given up ends the game: no more countdown.
	s.Apply(protocol.Presence{Player: connect4.Yellow, Grace: 10 * time.Second})
	s.Apply(protocol.Abandoned{Player: connect4.Yellow})
	if v := s.View(); v.Presence != "" || v.Status != "Yellow left the game." {
		t.Errorf("after the game was abandoned: presence %q, status %q", v.Presence, v.Status)
	}
	if _, ok := s.NextChange(); ok {
		t.Error("a countdown goes on after the game was abandoned")
	}
}

// TestInvite checks the invitation and the links to share.
func TestInvite(t *testing.T) {
	s := seated(connect4.Red)
	v := s.View()
	if !v.Invite || v.JoinLink != base+"?join="+join || v.WatchHref != "?watch="+watch || v.WatchLink != base+"?watch="+watch {
		t.Errorf("red alone: invite %v, join %q, watch %q %q", v.Invite, v.JoinLink, v.WatchHref, v.WatchLink)
	}
	if v.Share || v.CopyJoin != "Copy" {
		t.Errorf("red alone: share %v, copy %q; want no share (the invitation has the watch link), Copy", v.Share, v.CopyJoin)
	}
	// Red plays before yellow comes: the invitation stays.
	s.Apply(plays(t, 3)[0])
	if v := s.View(); !v.Invite {
		t.Error("the invitation went with red's first move")
	}
	s.Apply(online(connect4.Yellow))
	if v := s.View(); v.Invite || !v.Share || v.WatchHref != "?watch="+watch {
		t.Errorf("yellow joined: invite %v, share %v, watch %q; want the invitation gone, the watch link shared", v.Invite, v.Share, v.WatchHref)
	}
	// Away is still there: the seat is taken.
	s.Apply(protocol.Presence{Player: connect4.Yellow, Grace: time.Minute})
	if v := s.View(); v.Invite {
		t.Error("the invitation came back while yellow is away")
	}

	for name, s := range map[string]*State{"yellow": seated(connect4.Yellow, online(connect4.Red)), "spectator": watching(online(connect4.Red))} {
		if v := s.View(); v.Invite || v.JoinLink != "" || !v.Share || v.WatchLink != base+"?watch="+watch {
			t.Errorf("%s: invite %v, join %q, share %v, watch %q", name, v.Invite, v.JoinLink, v.Share, v.WatchLink)
		}
	}
}

// TestCopy checks the copy buttons' labels.
func TestCopy(t *testing.T) {
	s := seated(connect4.Red)
	first := s.Copied(JoinLink, true)
	if v := s.View(); v.CopyJoin != "Copied!" || v.CopyWatch != "Copy" {
		t.Errorf("copied: %q, %q", v.CopyJoin, v.CopyWatch)
	}
	second := s.Copied(JoinLink, false)
	s.Expire(first) // replaced: does nothing
	if v := s.View(); v.CopyJoin != "Selected: copy it" {
		t.Errorf("failed copy: %q", v.CopyJoin)
	}
	s.Expire(second)
	if v := s.View(); v.CopyJoin != "Copy" {
		t.Errorf("expired: %q", v.CopyJoin)
	}
	s.Apply(online(connect4.Yellow))
	s.Copied(WatchLink, true)
	if v := s.View(); v.CopyWatch != "Copied!" || v.CopyJoin != "Copy" {
		t.Errorf("watch link copied: %q, %q", v.CopyWatch, v.CopyJoin)
	}
	s.Copied(WatchLink, false)
	if v := s.View(); v.CopyWatch != "Copy failed" {
		t.Errorf("watch link not copied: %q", v.CopyWatch)
	}
}

// TestRematch walks through a rematch between red and yellow, as each page
// and a spectator see it.
func TestRematch(t *testing.T) {
	red, yellow := connect4.Red, connect4.Yellow
	won := then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Win{Player: red})
	r := seated(red, then(plays(t, 0, 6, 1), online(yellow))...)
	y := seated(yellow, online(red))
	w := watching(online(red), online(yellow))
	for _, e := range plays(t, 0, 6, 1) {
		y.Apply(e)
		w.Apply(e)
	}
	pages := []struct {
		name string
		s    *State
	}{{"red", r}, {"yellow", y}, {"spectator", w}}
	check := func(step string, want [3]struct{ rematch, offer string }) {
		t.Helper()
		for i, p := range pages {
			v := p.s.View()
			if v.Rematch != want[i].rematch || v.Offer != want[i].offer {
				t.Errorf("%s, %s: rematch %q, offer %q; want %q, %q", step, p.name, v.Rematch, v.Offer, want[i].rematch, want[i].offer)
			}
			if _, ok := p.s.Rematch(); ok != (v.Rematch != "") {
				t.Errorf("%s, %s: Rematch() sends: %v, with the button %q", step, p.name, ok, v.Rematch)
			}
			if v.NewGame {
				t.Errorf("%s, %s: a New game button", step, p.name)
			}
		}
	}
	type labels = [3]struct{ rematch, offer string }

	check("in play", labels{})
	for _, e := range won[3:] {
		for _, p := range pages {
			p.s.Apply(e)
		}
	}
	check("won", labels{{"Rematch", ""}, {"Rematch", ""}, {"", ""}})
	if cmd, _ := r.Rematch(); encode(t, cmd) != `{"type":"rematch"}` {
		t.Errorf("the rematch button sends %s", encode(t, cmd))
	}

	for _, p := range pages {
		p.s.Apply(protocol.RematchOffer{Player: red})
	}
	check("red offered", labels{{"", "Waiting for yellow to accept…"}, {"Accept rematch", "Red wants a rematch"}, {"", "Red wants a rematch"}})

	// Yellow accepts: the server tells everyone, then starts the next game
	// with the colours swapped.
	for _, p := range pages {
		p.s.Apply(protocol.RematchOffer{Player: yellow})
	}
	check("both offered", labels{{"", ""}, {"", ""}, {"", ""}})
	r.Apply(protocol.Started{Join: join, Watch: watch, Mode: protocol.Friends, Player: yellow, Token: token})
	y.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends, Player: red, Token: token + "2"})
	w.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends})
	check("next game", labels{})
	for _, tt := range []struct {
		s                           *State
		status, role, presence, tok string
		playable                    bool
	}{
		{r, "Red to play", "You are yellow", "", token, false},
		{y, "Your turn", "You are red", "", token + "2", true},
		{w, "Red to play", "You are watching", "", "", false},
	} {
		v := tt.s.View()
		if v.Status != tt.status || v.Role != tt.role || v.Presence != tt.presence || v.Playable != tt.playable || tt.s.Token() != tt.tok {
			t.Errorf("next game, %s: status %q, presence %q, playable %v, token %q; want %q, %q, %v, %q",
				tt.role, v.Status, v.Presence, v.Playable, tt.s.Token(), tt.status, tt.presence, tt.playable, tt.tok)
		}
		if strings.ContainsAny(v.String(), "RY*") {
			t.Errorf("next game, %s: the board is not empty:\n%v", tt.role, v)
		}
		if v.Invite {
			t.Errorf("next game, %s: the invitation is back", tt.role)
		}
	}

	// The seats swapped colours: red's page, now yellow, hears of its
	// opponent as red.
	r.Apply(protocol.Presence{Player: red, Grace: 20 * time.Second})
	if v := r.View(); v.Presence != "Waiting for red to reconnect… 20 s" {
		t.Errorf("next game: presence %q", v.Presence)
	}
}

// TestRematchTooEarly checks that the rematch button waits for the end of the
// game, and that a hot-seat game has a New game button instead.
func TestRematchTooEarly(t *testing.T) {
	s := seated(connect4.Red, online(connect4.Yellow))
	if v := s.View(); v.Rematch != "" || v.NewGame || v.Home != "Leave game" {
		t.Errorf("in play: rematch %q, new game %v, home %q", v.Rematch, v.NewGame, v.Home)
	}
	if cmd, ok := s.Rematch(); ok {
		t.Errorf("Rematch() = %#v in play", cmd)
	}
	h := opened(plays(t, 3))
	if v := h.View(); v.Rematch != "" || !v.NewGame || v.Home != "Leave game" {
		t.Errorf("hot-seat: rematch %q, new game %v, home %q", v.Rematch, v.NewGame, v.Home)
	}
	h.Lost(time.Second)
	if cmd, ok := h.Rematch(); ok {
		t.Errorf("Rematch() = %#v while the connection is lost", cmd)
	}
}

// TestResume checks a page that lost its connection and takes its seat back:
// the board stays until the server's snapshot of the game.
func TestResume(t *testing.T) {
	moves := plays(t, 3, 3, 4)
	s := seated(connect4.Yellow, then(moves, online(connect4.Red))...)
	before := s.View()
	n, _ := s.Dial()

	s.Lost(time.Second)
	s.Connecting()
	if got := encode(t, s.Opened()); got != `{"type":"resume","token":"tok","version":4}` {
		t.Errorf("reconnecting sends %s", got)
	}
	if m, ok := s.Dial(); m != n || !ok {
		t.Errorf("Dial() = %d, %v while reconnecting; want %d, true", m, ok, n)
	}
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends, Player: connect4.Yellow, Token: token})
	if v := s.View(); v.String() != before.String() || v.Playable {
		t.Errorf("before the snapshot: the board is\n%vplayable %v; want the old board, not playable", v, v.Playable)
	}
	s.Apply(protocol.Snapshot{Moves: []int{3, 3, 4}})
	s.Apply(online(connect4.Red))
	if v := s.View(); quiet(v) != quiet(before) {
		t.Errorf("after the replay:\n%+v\nwant:\n%+v", v, before)
	}

	// After a reload, the page knows nothing: the replay builds the board.
	r := New(Page{Base: base, Query: "?join=" + join, Token: token})
	r.Opened()
	r.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends, Player: connect4.Yellow, Token: token})
	r.Apply(protocol.Snapshot{Moves: []int{3, 3, 4}})
	r.Apply(online(connect4.Red))
	if v := r.View(); quiet(v) != quiet(before) {
		t.Errorf("after a reload:\n%+v\nwant:\n%+v", v, before)
	}
}

// TestResumeAnotherGame checks that a spectator who comes back to another
// game than the one it showed stops holding the old board.
func TestResumeAnotherGame(t *testing.T) {
	for name, moves := range map[string][]int{
		"other moves": {0, 0},
		"no moves":    {},
	} {
		s := watching(then(plays(t, 3, 3, 4), online(connect4.Red), online(connect4.Yellow))...)
		s.Lost(time.Second)
		s.Opened()
		replay := []protocol.Event{protocol.Snapshot{Moves: moves}, online(connect4.Red), online(connect4.Yellow)}
		s.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends})
		for _, e := range replay {
			s.Apply(e)
		}
		want := watching(replay...).View()
		if v := s.View(); quiet(v) != quiet(want) {
			t.Errorf("%s: the board is\n%vwant\n%v", name, v, want)
		}
	}
}

// TestRefused checks what the page does when the server refuses its first
// message.
func TestRefused(t *testing.T) {
	const (
		dead    = "That game is over or no longer exists."
		full    = "This game already has two players: you can watch it instead."
		missing = "This invitation has expired: ask your friend for a new link."
	)
	tests := []struct {
		name  string
		page  Page
		error string
		next  string // the next connection's first message, or <none>
		note  string // on the start screen
	}{
		{"dead token", Page{Base: base, Token: token}, dead, "<none>", dead},
		{"dead token, join link", Page{Base: base, Query: "?join=" + join, Token: token}, dead, `{"type":"init","join":"J0IN","version":4}`, ""},
		{"dead token, watch link", Page{Base: base, Query: "?watch=" + watch, Token: token}, dead, `{"type":"init","watch":"W4TCH","version":4}`, ""},
		{"seats taken", Page{Base: base, Query: "?join=" + join}, full, "<none>", full},
		{"no such game to join", Page{Base: base, Query: "?join=" + join}, missing, "<none>", missing},
		{"no such game to watch", Page{Base: base, Query: "?watch=" + watch}, missing, "<none>", missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.page)
			n, _ := s.Dial()
			s.Opened()
			if seq := s.Apply(protocol.Error{Message: tt.error}); seq != 0 {
				t.Errorf("Apply returned %d: the refusal is no passing error", seq)
			}
			if s.Token() != "" {
				t.Errorf("Token() = %q after the refusal", s.Token())
			}
			m, ok := s.Dial()
			v := s.View()
			if tt.next == "<none>" {
				if !v.Start || v.StartNote != tt.note || ok || s.Query() != "" {
					t.Errorf("start %v, note %q, dial %v, query %q; want the start screen with %q, no dial, no query", v.Start, v.StartNote, ok, s.Query(), tt.note)
				}
				return
			}
			if v.Start || !ok || m == n || s.Query() != tt.page.Query {
				t.Errorf("start %v, dial %d (was %d) %v, query %q; want a new connection for %q", v.Start, m, n, ok, s.Query(), tt.page.Query)
			}
			if got := encode(t, s.Opened()); got != tt.next {
				t.Errorf("then sends %s, want %s", got, tt.next)
			}
		})
	}
}

// TestClosed checks a connection that the server closed for good, and taking
// the seat back.
func TestClosed(t *testing.T) {
	const reason = "You took your seat back in another window."
	s := seated(connect4.Red, online(connect4.Yellow))
	n, _ := s.Dial()
	if s.Closed(1000, reason) {
		t.Error("Closed(1000) wants to reconnect")
	}
	v := s.View()
	if _, ok := s.Dial(); ok {
		t.Error("Dial() wants a connection after a normal closure")
	}
	if v.Status != reason || v.Kind != KindInfo || v.Connection != "" || v.Playable || v.Retake != "Take my seat back" || v.Home != "Start screen" || v.Rematch != "" || v.Share {
		t.Errorf("after the closure: %+v", v)
	}
	if s.Token() != token {
		t.Errorf("Token() = %q: the seat is still the page's to take back", s.Token())
	}
	s.Retake()
	if m, ok := s.Dial(); !ok || m == n {
		t.Errorf("Dial() = %d, %v after Retake (was %d); want a new connection", m, ok, n)
	}
	if got := encode(t, s.Opened()); got != `{"type":"resume","token":"tok","version":4}` {
		t.Errorf("retaking sends %s", got)
	}

	w := watching(online(connect4.Red))
	w.Closed(1000, "")
	if v := w.View(); v.Status != stopText || v.Retake != "Watch again" {
		t.Errorf("spectator: status %q, retake %q", v.Status, v.Retake)
	}
	w.Retake()
	if got := encode(t, w.Opened()); got != `{"type":"init","watch":"W4TCH","version":4}` {
		t.Errorf("watching again sends %s", got)
	}

	for _, code := range []int{1001, 1006, 0} {
		s := seated(connect4.Red)
		if !s.Closed(code, "The server is shutting down.") {
			t.Errorf("Closed(%d) does not reconnect", code)
		}
		if _, ok := s.Dial(); !ok {
			t.Errorf("Closed(%d): Dial() wants no connection", code)
		}
	}
}

// TestHome checks leaving a game for the start screen.
func TestHome(t *testing.T) {
	for name, s := range map[string]*State{
		"red":       seated(connect4.Red),
		"yellow":    seated(connect4.Yellow, online(connect4.Red)),
		"spectator": watching(),
		"hot-seat":  opened(plays(t, 3)),
	} {
		s.Home()
		v := s.View()
		if !v.Start || v.StartNote != "" || v.Home != "" || s.Token() != "" || s.Query() != "" {
			t.Errorf("%s: start %v, note %q, home %q, token %q, query %q", name, v.Start, v.StartNote, v.Home, s.Token(), s.Query())
		}
		if _, ok := s.Dial(); ok {
			t.Errorf("%s: Dial() wants a connection on the start screen", name)
		}
	}
}

// TestButtons checks the labels of the buttons below the board.
func TestButtons(t *testing.T) {
	won := then(plays(t, 0, 6, 1, 6, 2, 6, 3), protocol.Win{Player: connect4.Red})
	tests := []struct {
		name    string
		state   *State
		home    string
		newGame bool
	}{
		{"hot-seat", opened(nil), "Leave game", true},
		{"hot-seat, won", opened(won), "Start screen", true},
		{"red", seated(connect4.Red), "Leave game", false},
		{"red, won", seated(connect4.Red, won...), "Start screen", false},
		{"spectator", watching(), "Start screen", false},
	}
	for _, tt := range tests {
		if v := tt.state.View(); v.Home != tt.home || v.NewGame != tt.newGame || v.Retake != "" {
			t.Errorf("%s: home %q, new game %v, retake %q; want %q, %v, none", tt.name, v.Home, v.NewGame, v.Retake, tt.home, tt.newGame)
		}
	}
}

// TestTitle checks the document's title, which tells a tab in the background
// that its player's turn came.
func TestTitle(t *testing.T) {
	for _, tt := range []struct {
		name  string
		state *State
		want  string
	}{
		{"start screen", new(State), "Connect Four"},
		{"hot-seat", opened(nil), "Connect Four"},
		{"red's turn", seated(connect4.Red), "Your turn · Connect Four"},
		{"yellow waits", seated(connect4.Yellow, online(connect4.Red)), "Connect Four"},
		{"spectator", watching(online(connect4.Red)), "Connect Four"},
	} {
		if got := tt.state.View().Title; got != tt.want {
			t.Errorf("%s: title %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestResumeEmptyReplay checks that the old board shows from the Started to
// the Snapshot, and goes when the Snapshot says that the server's game started
// over while the page was away.
func TestResumeEmptyReplay(t *testing.T) {
	s := opened(plays(t, 3, 4))
	s.Lost(time.Second)
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	if v := s.View(); !strings.Contains(v.String(), "R") || v.Playable {
		t.Errorf("just after the Started: playable %v, board\n%v; want the old board, not playable", v.Playable, v)
	}
	if _, ok := s.NextChange(); ok {
		t.Error("NextChange() while waiting for the snapshot: the snapshot ends the wait, not time")
	}
	s.Apply(protocol.Snapshot{Moves: []int{}})
	if v := s.View(); strings.ContainsAny(v.String(), "RY") || !v.Playable || v.Status != "Red to play" {
		t.Errorf("after the snapshot: status %q, playable %v, board\n%v; want the new, empty game", v.Status, v.Playable, v)
	}
}

// TestResumeSnapshot checks that a page coming back shows the whole game of
// the server's Snapshot at once, however long.
func TestResumeSnapshot(t *testing.T) {
	s := opened(plays(t, 3, 4))
	s.Lost(time.Second)
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	moves := []int{0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5, 4, 5}
	s.Apply(protocol.Snapshot{Moves: moves})
	v := s.View()
	if n := strings.Count(v.String(), "R") + strings.Count(v.String(), "Y"); n != len(moves) || !v.Playable {
		t.Errorf("after the snapshot: %d checkers, playable %v, board\n%v; want %d, playable", n, v.Playable, v, len(moves))
	}
	s.Apply(protocol.Snapshot{Moves: []int{0, 0, 0, 0, 0, 0, 0}}) // a seventh checker in column 0
	if v := s.View(); v.Playable || !strings.Contains(v.Status, "Out of sync") {
		t.Errorf("after an impossible snapshot: status %q, playable %v; want out of sync", v.Status, v.Playable)
	}
}

// TestPassingRefusal checks that a refusal that may pass, such as the
// server's store out of reach, keeps the page's plan and seat: it tries again
// on a new connection after a wait that doubles, up to a bound.
func TestPassingRefusal(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	unavailable, _ := protocol.ErrorFor(protocol.ErrUnavailable)
	s := New(Page{Base: base, Query: "?join=" + join, Token: token})
	s.Tick(t0)
	n, _ := s.Dial()
	now := t0
	for i, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second} {
		s.Opened()
		s.Apply(unavailable)
		if _, ok := s.Dial(); ok {
			t.Fatalf("refusal %d: the page wants a connection at once", i+1)
		}
		if v := s.View(); !strings.Contains(v.Connection, "Trying again in") || s.Token() != token {
			t.Errorf("refusal %d: banner %q, token %q; want a countdown and the seat kept", i+1, v.Connection, s.Token())
		}
		now = now.Add(wait - time.Millisecond)
		s.Tick(now)
		if _, ok := s.Dial(); ok {
			t.Fatalf("refusal %d: the page wants a connection before %v", i+1, wait)
		}
		now = now.Add(time.Millisecond)
		s.Tick(now)
		m, ok := s.Dial()
		if !ok || m == n {
			t.Fatalf("refusal %d: after %v, Dial() = %d, %v; want a new connection", i+1, wait, m, ok)
		}
		n = m
	}
	if got := encode(t, s.Opened()); got != `{"type":"resume","token":"tok","version":4}` {
		t.Errorf("after the refusals the page sends %s, want its resume", got)
	}
	// A refusal for good still ends the plan.
	dead, _ := protocol.ErrorFor(protocol.ErrTokenExpired)
	s.Apply(dead)
	if s.Token() != "" {
		t.Error("a dead token was kept")
	}
}

// TestAddressNamesTheGame checks that a seat holder's address names its game
// once it is in one, so that the browser's history takes the seat back.
func TestAddressNamesTheGame(t *testing.T) {
	s := New(Page{Base: base})
	s.Start(protocol.HotSeat)
	s.Opened()
	s.Apply(protocol.Started{Watch: watch, Mode: protocol.HotSeat, Token: token})
	if q := s.Query(); q != "?game="+watch {
		t.Errorf("Query() = %q, want ?game=%s", q, watch)
	}
	j := New(Page{Base: base, Query: "?join=" + join})
	j.Opened()
	j.Apply(protocol.Started{Watch: watch, Mode: protocol.Friends, Player: connect4.Yellow, Token: token})
	if q := j.Query(); q != "?join="+join {
		t.Errorf("the joiner's Query() = %q, want its join link kept", q)
	}
}

// TestSeatsTaken checks that a join refused because both seats are taken
// offers to watch the game instead, and that the offer goes with the note.
func TestSeatsTaken(t *testing.T) {
	s := New(Page{Base: base, Query: "?join=" + join})
	s.Opened()
	s.Apply(protocol.Error{Message: "This game already has two players: you can watch it instead.", Watch: "W 1"})
	if v := s.View(); !v.Start || v.WatchInstead != "?watch=W+1" {
		t.Errorf("start %v, watch instead %q; want the start screen and ?watch=W+1", v.Start, v.WatchInstead)
	}
	s.Start(protocol.HotSeat)
	s.Home()
	if v := s.View(); v.WatchInstead != "" {
		t.Errorf("watch instead %q after leaving the note", v.WatchInstead)
	}
}
