//go:build js && wasm

package browser

import (
	"errors"
	"fmt"
	"time"

	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/protocol"
	"github.com/hack-pad/safejs"
)

// The page's parts for quick match: the "Play someone" button and the list
// of games being played on the start screen, and the panel of a page that
// waits for an opponent:
//
//	<button class="choice quick">Play someone <span class="choice-detail">…</span></button>
//	<section class="lobby" aria-label="Games being played">
//	  <h2>Games being played</h2> <p class="lobby-playing">3 people playing now</p>
//	  <ul class="lobby-games"><li><a href="?watch=KEY">A game, 9 moves in</a></li> …</ul>
//	</section>
//	<section class="seeking-panel" aria-label="Quick match">
//	  <p class="seeking-for">Waiting 0:12</p> <p class="playing-now">3 people playing now</p>
//	  <p class="offer-computer">No one yet. <button class="computer-instead">Play the computer instead</button></p>
//	  <button class="cancel-seek">Cancel</button>
//	</section>

// The messages of quick match's elements.
type (
	cancelAsked          struct{} // a click on the seeking panel's Cancel
	computerInsteadAsked struct{} // a click on "Play the computer instead"
	// lobbyFetched brings what the server said goes on, or why it could not.
	lobbyFetched struct {
		lobby protocol.Lobby
		err   error
	}
	// lobbyDue wakes the loop when the start screen's list is due again.
	lobbyDue struct{}
)

// quickParts are quick match's elements.
type quickParts struct {
	button                safejs.Value
	lobby, lobbyPlaying   safejs.Value
	lobbyList             safejs.Value
	lobbyItems            [game.MaxLobby]safejs.Value // the list's items, li with an a
	panel, seekingFor     safejs.Value
	playingNow, offerLine safejs.Value
}

// findQuick finds quick match's elements in parent, and makes the lobby's
// items with el.
func findQuick(d *dom, parent safejs.Value, el func(tag, class string, attrs ...string) safejs.Value) quickParts {
	var q quickParts
	d.find(parent, []found{
		{".choice.quick", &q.button}, {".lobby", &q.lobby}, {".lobby-playing", &q.lobbyPlaying},
		{".lobby-games", &q.lobbyList}, {".seeking-panel", &q.panel}, {".seeking-for", &q.seekingFor},
		{".playing-now", &q.playingNow}, {".offer-computer", &q.offerLine},
	})
	for i := range q.lobbyItems {
		q.lobbyItems[i] = el("li", "")
		d.call(q.lobbyItems[i], "append", el("a", "lobby-game"))
		d.call(q.lobbyList, "append", q.lobbyItems[i])
	}
	return q
}

// handlers returns the listeners of quick match's elements.
func (q quickParts) handlers(push func(any)) []handler {
	return []handler{
		{q.panel, "click", func(ev safejs.Value) {
			switch {
			case within(ev, ".cancel-seek"):
				push(cancelAsked{})
			case within(ev, ".computer-instead"):
				push(computerInsteadAsked{})
			}
		}},
	}
}

// paint makes quick match's elements show v, where it differs from old (all:
// everything).
func (q quickParts) paint(d *dom, v, old game.View, all bool) {
	hide := func(el safejs.Value, hidden, was bool) {
		if all || hidden != was {
			d.set(el, "hidden", hidden)
		}
	}
	text := func(el safejs.Value, now, was string) {
		if all || now != was {
			d.text(el, now)
		}
	}
	hide(q.lobby, v.LobbyPlaying == "", old.LobbyPlaying == "")
	text(q.lobbyPlaying, v.LobbyPlaying, old.LobbyPlaying)
	for i, item := range q.lobbyItems {
		now, was := v.Lobby[i], old.Lobby[i]
		hide(item, now.Href == "", was.Href == "")
		if all || now != was {
			a := d.get(item, "firstChild")
			d.call(a, "setAttribute", "href", now.Href)
			d.text(a, now.Label)
		}
	}
	hide(q.panel, !v.Seeking, !old.Seeking)
	waiting := func(v game.View) string {
		if v.SeekingFor == "" {
			return ""
		}
		return "Waiting " + v.SeekingFor
	}
	text(q.seekingFor, waiting(v), waiting(old))
	text(q.playingNow, v.PlayingNow, old.PlayingNow)
	hide(q.offerLine, !v.OfferComputer, !old.OfferComputer)
}

// lobbyFunc fetches the server's Lobby at url and tells done, which must not
// block.
type lobbyFunc func(url string, done func(protocol.Lobby, error))

// fetchLobby is the lobbyFunc of the browser: a fetch of url.
func fetchLobby(url string, done func(protocol.Lobby, error)) {
	failed := func(what string) { done(protocol.Lobby{}, fmt.Errorf("browser: fetching %s: %s", url, what)) }
	promise, err := safejs.Global().Call("fetch", url, map[string]any{"cache": "no-store"})
	if err != nil {
		failed(err.Error())
		return
	}
	await(promise, func(resp safejs.Value, ok bool) {
		var d dom
		if !ok || !isTrue(d.get(resp, "ok")) {
			failed("no answer")
			return
		}
		body := d.call(resp, "text")
		if d.err != nil {
			failed(d.err.Error())
			return
		}
		await(body, func(text safejs.Value, ok bool) {
			var d dom
			s := d.string(text)
			if !ok || d.err != nil {
				failed("no body")
				return
			}
			e, err := protocol.DecodeEvent([]byte(s))
			lobby, isLobby := e.(protocol.Lobby)
			if err == nil && !isLobby {
				err = errors.New("not a lobby")
			}
			done(lobby, err)
		})
	})
}

// isTrue reports whether v is true as JavaScript sees it.
func isTrue(v safejs.Value) bool {
	b, err := v.Truthy()
	return err == nil && b
}

// pollLobby fetches the start screen's list when it is due and the page
// shows the start screen.
func (l *loop) pollLobby() {
	if !l.state.WantsLobby() || l.lobbyBusy || time.Now().Before(l.lobbyAt) || l.cfg.lobby == nil {
		return
	}
	l.lobbyBusy = true
	l.cfg.lobby(l.state.LobbyURL(), func(lobby protocol.Lobby, err error) {
		l.queue.push(lobbyFetched{lobby, err})
	})
}

// lobbyCame records the answer of a fetch of the lobby, and wakes the loop
// when the next is due.
func (l *loop) lobbyCame(m lobbyFetched) {
	l.lobbyBusy = false
	l.lobbyAt = time.Now().Add(game.LobbyEvery)
	if m.err != nil {
		warn(m.err.Error())
	} else {
		l.state.SetLobby(m.lobby)
	}
	time.AfterFunc(game.LobbyEvery, func() { l.queue.push(lobbyDue{}) })
}
