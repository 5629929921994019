// Package browser runs the Connect Four page in a web browser: it builds the
// start screen and the board in the document, paints a [game.View] on them,
// connects to the game server over a WebSocket when the page needs a game
// (the page's own site, or the one its connect4-server meta tag names), pings
// it as the game's heartbeat says, keeps the seat's resume token in the
// browser's localStorage and copies links to the clipboard.
//
// It is the only package that touches JavaScript, through safejs, and it stays
// thin: the rules of what to show, and when to ping, live in package game.
// JavaScript callbacks (clicks, hovers, socket events, timers, the tab shown
// again or the browser back online) never do any work themselves: they push a
// message onto an unbounded queue, which never blocks, and one event-loop
// goroutine takes the messages in order, feeds them to the game state and
// repaints what changed. The loop reaches the server, the address bar, the
// tab's storage and the clipboard through small interfaces, so tests drive it
// with fakes.
//
// Every file but this one builds only for js/wasm; this one lets native go vet
// and go test see the package.
package browser
