package game

import (
	"errors"
	"testing"

	"github.com/connect4go/connect4/shared/connect4"
	"github.com/connect4go/connect4/shared/protocol"
)

// TestServerURL checks the choice of the game server: the page's own site, or
// the one its meta tag names.
func TestServerURL(t *testing.T) {
	tests := []struct {
		name, base, setting string
		want                string // "" for ErrServerURL
	}{
		{"own site, http", "http://localhost:8080/", "", "ws://localhost:8080/"},
		{"own site, https", "https://c4.example/", "", "wss://c4.example/"},
		{"own site, from a page in a folder", "https://c4.example/games/connect4.html", "", "wss://c4.example/"},
		{"own site, IPv6", "http://[::1]:8443/", "", "ws://[::1]:8443/"},
		{"blank setting", "https://c4.example/", "  \n", "wss://c4.example/"},
		{"another server", "https://static.example/", "wss://game.example.com/", "wss://game.example.com/"},
		{"ws from an http page", "http://localhost:8000/", "ws://127.0.0.1:8126/", "ws://127.0.0.1:8126/"},
		{"a path and spaces", "https://static.example/", "  wss://game.example.com/connect4  ", "wss://game.example.com/connect4"},
		{"a query", "https://static.example/", "wss://game.example.com/?region=eu", "wss://game.example.com/?region=eu"},
		{"scheme in capitals", "https://static.example/", "WSS://game.example.com/", "wss://game.example.com/"},
		{"https", "https://static.example/", "https://game.example.com/", ""},
		{"no scheme", "https://static.example/", "game.example.com", ""},
		{"relative", "https://static.example/", "/socket", ""},
		{"no host", "https://static.example/", "wss:///", ""},
		{"opaque", "https://static.example/", "wss:game.example.com", ""},
		{"fragment", "https://static.example/", "wss://game.example.com/#lobby", ""},
		{"empty fragment", "https://static.example/", "wss://game.example.com/#", ""},
		{"bad port", "https://static.example/", "wss://game.example.com:port/", ""},
		{"javascript", "https://static.example/", "javascript:alert(1)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ServerURL(tt.base, tt.setting)
			switch {
			case tt.want == "" && !errors.Is(err, ErrServerURL):
				t.Errorf("ServerURL(%q, %q) = %q, %v; want ErrServerURL", tt.base, tt.setting, got, err)
			case tt.want != "" && (err != nil || got != tt.want):
				t.Errorf("ServerURL(%q, %q) = %q, %v; want %q", tt.base, tt.setting, got, err, tt.want)
			}
		})
	}
}

// TestServerSetting checks a page whose server setting is bad: it says so and
// never connects, whatever its address asks for.
func TestServerSetting(t *testing.T) {
	for _, page := range []Page{
		{Base: base, Server: "https://game.example.com/"},
		{Base: base, Server: "https://game.example.com/", Query: "?join=" + join},
		{Base: base, Server: "https://game.example.com/", Token: token},
	} {
		s := New(page)
		want := `This page cannot reach its game server: its connect4-server setting "https://game.example.com/" is not a ws: or wss: address.`
		if v := s.View(); v != (View{Title: "Connect Four", Fault: want}) {
			t.Errorf("%+v: view %+v, want the fault alone", page, v)
		}
		if _, ok := s.Dial(); ok {
			t.Errorf("%+v: Dial() wants a connection", page)
		}
		if got := s.ServerURL(); got != "" {
			t.Errorf("%+v: ServerURL() = %q", page, got)
		}
		s.Start(protocol.HotSeat)
		if _, ok := s.Dial(); ok {
			t.Errorf("%+v: Dial() wants a connection after Start", page)
		}
	}

	good := New(Page{Base: base, Server: "wss://game.example.com/"})
	good.Start(protocol.HotSeat)
	if _, ok := good.Dial(); !ok || good.ServerURL() != "wss://game.example.com/" || good.View().Fault != "" {
		t.Errorf("a good setting: Dial %v, ServerURL %q, fault %q", ok, good.ServerURL(), good.View().Fault)
	}
	if got := new(State).ServerURL(); got != "ws:///" {
		t.Errorf("the zero State's ServerURL() = %q", got)
	}
	// The links stay on the page's own site.
	s := New(Page{Base: base, Server: "wss://game.example.com/"})
	s.Start(protocol.Friends)
	s.Opened()
	s.Apply(protocol.Started{Join: join, Watch: watch, Mode: protocol.Friends, Player: connect4.Red, Token: token})
	if v := s.View(); v.JoinLink != base+"?join="+join || v.WatchLink != base+"?watch="+watch {
		t.Errorf("join link %q, watch link %q", v.JoinLink, v.WatchLink)
	}
}
