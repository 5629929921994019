package game

import (
	"net/url"
	"strings"
	"testing"
)

// serverURLByNetURL is ServerURL as it was written with net/url: the
// reference that the page's own URL handling must agree with.
func serverURLByNetURL(base, setting string) (string, bool) {
	setting = strings.TrimSpace(setting)
	if setting == "" {
		scheme, host := "ws:", ""
		if u, err := url.Parse(base); err == nil {
			host = u.Host
			if u.Scheme == "https" {
				scheme = "wss:"
			}
		}
		return scheme + "//" + host + "/", true
	}
	u, err := url.Parse(setting)
	if err != nil || u.Scheme != "ws" && u.Scheme != "wss" || u.Host == "" || u.Opaque != "" ||
		u.Fragment != "" || strings.Contains(setting, "#") {
		return "", false
	}
	return u.String(), true
}

// lobbyURLByNetURL is LobbyURL as it was written with net/url.
func lobbyURLByNetURL(server string) string {
	u, err := url.Parse(server)
	if err != nil {
		return "lobby"
	}
	u.Scheme = map[string]string{"ws": "http", "wss": "https"}[u.Scheme]
	u.Path = strings.TrimSuffix(u.Path, "/") + "/lobby"
	u.RawQuery = ""
	return u.String()
}

// TestServerURLAsNetURL checks ServerURL and LobbyURL against net/url on
// settings and page addresses of every shape, good and bad.
func TestServerURLAsNetURL(t *testing.T) {
	settings := []string{
		"", "wss://game.example.com/", "ws://127.0.0.1:8126/", "WS://Game.Example.com:80/a/b/",
		"wss://game.example.com", "wss://game.example.com?x=1", "wss://game.example.com/c4/?region=eu&x=%20",
		"wss://[::1]:8443/", "wss://[2001:db8::1]/", "wss://user:pass@host.example/",
		"wss://:8080/", "wss://host:/", "wss://host.example:8080",
		"wss://xn--bcher-kva.example/",
		"https://game.example.com/", "game.example.com", "/socket", "wss:///", "wss://", "wss:game.example.com",
		"wss://game.example.com/#lobby", "wss://game.example.com/#", "wss://game.example.com:port/",
		"javascript:alert(1)", "wss://host name/", "wss://host\x00/", "wss://host/\x7f", "wss://[::1/",
		"wss://[::1]x/", "wss://a[::1]/", "wss://host/?a#b", "1ws://host/", "w+s://host/", ":", "//host/",
		"wss://us er@host/", "wss://host:99999999/",
	}
	bases := []string{"http://localhost:8080/", "https://c4.example/games/x.html", "http://[::1]:8443/", "", "nonsense", "https://u@c4.example/"}
	for _, setting := range settings {
		for _, base := range bases {
			got, err := ServerURL(base, setting)
			want, ok := serverURLByNetURL(base, setting)
			if got != want || (err == nil) != ok {
				t.Errorf("ServerURL(%q, %q) = %q, %v; net/url gives %q, %v", base, setting, got, err, want, ok)
			}
			if err != nil {
				continue
			}
			s := &State{base: base, server: got}
			if got, want := s.LobbyURL(), lobbyURLByNetURL(got); got != want {
				t.Errorf("LobbyURL of %q = %q; net/url gives %q", s.server, got, want)
			}
		}
	}
}

// TestServerURLUnlikeNetURL lists where the page parts from net/url, and
// why: the page takes the setting as written where net/url would escape it
// again (a browser's WebSocket does the same), and refuses what net/url takes
// and no browser does (a percent-encoded host, colons in a name, brackets
// around what is not an IPv6 address).
func TestServerURLUnlikeNetURL(t *testing.T) {
	tests := []struct {
		setting, want, lobby string // want "" for ErrServerURL
	}{
		{"wss://a@b@host.example/", "wss://a@b@host.example/", "https://a@b@host.example/lobby"},                        // net/url: a%40b
		{"wss://bücher.example/", "wss://bücher.example/", "https://bücher.example/lobby"},                              // net/url: b%C3%BCcher
		{"wss://host.example/a%2Fb", "wss://host.example/a%2Fb", "https://host.example/a%2Fb/lobby"},                    // net/url's lobby: /a/b/lobby
		{"wss://game.example.com/?", "wss://game.example.com/?", "https://game.example.com/lobby"},                      // net/url's lobby: /lobby?
		{"wss://b%C3%BCcher.example/", "", ""}, {"wss://host.example:8080:90/", "", ""}, {"wss://[::1%25en0]/", "", ""}, // net/url takes them
	}
	for _, tt := range tests {
		got, err := ServerURL("https://c4.example/", tt.setting)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("ServerURL(%q) = %q, %v; want %q", tt.setting, got, err, tt.want)
		}
		if s := (&State{server: got}); tt.want != "" && s.LobbyURL() != tt.lobby {
			t.Errorf("LobbyURL of %q = %q, want %q", got, s.LobbyURL(), tt.lobby)
		}
	}
}

// FuzzQuery checks queryValue against net/url's ParseQuery and Get, and
// queryEscape against its QueryEscape, which unescapeQuery undoes.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{
		"join=EHJ4", "watch=W+1&join=J", "join=&join=J", "a=1;join=J&join=K", "join=%zz&join=OK", "join", "=x",
		"join=a%20b%2B", "%6Aoin=J", "&&join=J&", "join=J=K", "join=%", "join=%4", "join=ü%C3%BC", "x=1&join=%2",
	} {
		f.Add(q, "join")
	}
	f.Add("game=G", "game")
	f.Fuzz(func(t *testing.T, query, key string) {
		values, _ := url.ParseQuery(query)
		got, has := queryValue(query, key)
		if want := values.Get(key); got != want || has != values.Has(key) {
			t.Errorf("queryValue(%q, %q) = %q, %v; net/url gives %q, %v", query, key, got, has, want, values.Has(key))
		}
		escaped := queryEscape(query)
		if want := url.QueryEscape(query); escaped != want {
			t.Errorf("queryEscape(%q) = %q, want %q", query, escaped, want)
		}
		if back, ok := unescapeQuery(escaped); !ok || back != query {
			t.Errorf("unescapeQuery(%q) = %q, %v; want %q", escaped, back, ok, query)
		}
	})
}
