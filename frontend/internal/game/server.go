package game

import (
	"errors"
	"fmt"
	"strings"
)

// ServerMeta is the name of the page's meta tag that points it at a game
// server other than its own site's:
//
//	<meta name="connect4-server" content="wss://game.example.com/">
const ServerMeta = "connect4-server"

// ErrServerURL reports a server setting that is not a WebSocket URL.
var ErrServerURL = errors.New("game: the server setting is not a ws: or wss: URL")

// ServerURL returns the URL of the game server's WebSocket for a page whose
// address is base, such as "https://example.com/play/", and whose [ServerMeta]
// tag holds setting ("" when it has none).
//
// An empty setting means the root of the page's own site: wss: for a page on
// https:, ws: otherwise ("wss://example.com/"). Any other setting must be an
// absolute ws: or wss: URL, without a fragment, as the browser's WebSocket
// takes it; otherwise ServerURL returns an error that wraps [ErrServerURL].
func ServerURL(base, setting string) (string, error) {
	setting = strings.Trim(setting, asciiSpace)
	if setting == "" {
		scheme, host := "ws:", ""
		if s, authority, _, ok := splitURL(base); ok {
			host, _ = hostOf(authority)
			if s == "https" {
				scheme = "wss:"
			}
		}
		return scheme + "//" + host + "/", nil
	}
	scheme, authority, rest, ok := splitURL(setting)
	host, okHost := hostOf(authority)
	switch {
	case !ok || strings.ContainsFunc(setting, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return "", fmt.Errorf("%w: %q: not an absolute URL", ErrServerURL, setting)
	case scheme != "ws" && scheme != "wss", !okHost, host == "":
		return "", fmt.Errorf("%w: %q", ErrServerURL, setting)
	case strings.Contains(setting, "#"):
		return "", fmt.Errorf("%w: %q has a fragment", ErrServerURL, setting)
	}
	return scheme + "://" + authority + rest, nil
}

// serverFault returns the sentence that the page shows, in place of the game,
// when its server setting is not a WebSocket URL.
func serverFault(setting string) string {
	return fmt.Sprintf("This page cannot reach its game server: its %s setting %q is not a ws: or wss: address.",
		ServerMeta, strings.Trim(setting, asciiSpace))
}
