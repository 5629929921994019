//go:build js && wasm

package browser

import (
	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/hack-pad/safejs"
)

// address is the page's address bar. Only the event loop uses it.
type address interface {
	// base returns the address without query or fragment: origin and path,
	// such as "https://example.com/".
	base() string
	// query returns the address's query as location.search gives it: "" or
	// "?join=KEY".
	query() string
	// setQuery replaces the query, without loading a page or adding a step to
	// the history.
	setQuery(q string)
	// pushQuery sets the query as a new step of the history, without
	// loading a page: the browser's Back button comes back to the query
	// before, and the page hears a popstate event.
	pushQuery(q string)
}

// storage keeps strings for the browser, across reloads and closed tabs, as
// localStorage does. Its methods never fail: a storage that the browser
// refuses keeps nothing.
type storage interface {
	get(key string) string // "" when there is nothing under key
	set(key, value string)
	remove(key string)
}

// copier copies text to the clipboard and tells done whether it could, now or
// later. done must not block.
type copier func(text string, done func(ok bool))

// tokenKey returns the storage key of the resume token of the address with
// query: each address keeps its own seat, so that a join link opened in the
// browser that created the game takes the second seat, and the address of a
// game opened again, after its tab was closed, takes its seat back.
func tokenKey(query string) string {
	return "connect4.token" + query
}

// windowAddress is the address of the page in the browser window.
type windowAddress struct{}

var _ address = windowAddress{}

func (windowAddress) location(d *dom) safejs.Value {
	return d.get(safejs.Global(), "location")
}

func (a windowAddress) base() string {
	var d dom
	loc := a.location(&d)
	return d.string(d.get(loc, "origin")) + d.string(d.get(loc, "pathname"))
}

func (a windowAddress) query() string {
	var d dom
	return d.string(d.get(a.location(&d), "search"))
}

func (a windowAddress) setQuery(q string) { a.history("replaceState", q) }

func (a windowAddress) pushQuery(q string) { a.history("pushState", q) }

// history calls the history's method, replaceState or pushState, with the
// page's path and query q.
func (a windowAddress) history(method, q string) {
	var d dom
	path := d.string(d.get(a.location(&d), "pathname"))
	d.call(d.get(safejs.Global(), "history"), method, nil, "", path+q)
	if d.err != nil {
		warn("browser: changing the address: ", d.err.Error())
	}
}

// serverSetting returns the content of the page's <meta name="connect4-server">
// (see game.ServerMeta), or "" when it has none.
func serverSetting() string {
	var d dom
	doc := d.get(safejs.Global(), "document")
	meta := d.call(doc, "querySelector", `meta[name="`+game.ServerMeta+`"]`)
	if d.err != nil || meta.IsNull() || meta.IsUndefined() {
		return ""
	}
	content := d.call(meta, "getAttribute", "content")
	if d.err != nil || content.IsNull() {
		return ""
	}
	return d.string(content)
}

// webStorage is a storage in the browser's localStorage.
type webStorage struct {
	s safejs.Value
}

var _ storage = webStorage{}

// localStorage returns the browser's localStorage, which the tabs of the
// page's site share and which outlives them. Reading it throws where the
// browser forbids storage: then the page forgets its seat on reload.
func localStorage() storage {
	s, err := safejs.Global().Get("localStorage")
	if err != nil || s.IsNull() || s.IsUndefined() {
		why := "null"
		if err != nil {
			why = err.Error()
		}
		warn("browser: no localStorage: ", why)
		return noStorage{}
	}
	return webStorage{s}
}

func (w webStorage) get(key string) string {
	var d dom
	v := d.call(w.s, "getItem", key)
	if d.err != nil || v.IsNull() {
		return ""
	}
	return d.string(v)
}

func (w webStorage) set(key, value string) {
	var d dom
	d.call(w.s, "setItem", key, value)
	if d.err != nil { // such as a full storage
		warn("browser: storing ", key, ": ", d.err.Error())
	}
}

func (w webStorage) remove(key string) {
	var d dom
	d.call(w.s, "removeItem", key)
}

// noStorage is a storage that keeps nothing.
type noStorage struct{}

func (noStorage) get(string) string  { return "" }
func (noStorage) set(string, string) {}
func (noStorage) remove(string)      {}

// clipboardCopy is a copier with navigator.clipboard, which exists only in
// secure contexts (https, or localhost) and may refuse; the event loop then
// falls back to selecting the text.
func clipboardCopy(text string, done func(ok bool)) {
	var d dom
	clipboard := d.get(d.get(safejs.Global(), "navigator"), "clipboard")
	if d.err != nil || clipboard.IsUndefined() || clipboard.IsNull() {
		done(false)
		return
	}
	promise := d.call(clipboard, "writeText", text)
	if d.err != nil {
		done(false)
		return
	}
	await(promise, func(_ safejs.Value, ok bool) { done(ok) })
}

// await calls done once promise settles, with its value and whether it was
// fulfilled, or at once with false if it cannot wait for it. done runs in a
// JavaScript callback: it must not block.
func await(promise safejs.Value, done func(v safejs.Value, ok bool)) {
	// The promise calls one of the two functions, once: each releases both.
	var resolved, rejected safejs.Func
	settle := func(args []safejs.Value, ok bool) {
		resolved.Release()
		rejected.Release()
		v := safejs.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		done(v, ok)
	}
	var err error
	resolved, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any { settle(args, true); return nil })
	if err == nil {
		rejected, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any { settle(args, false); return nil })
	}
	if err == nil {
		_, err = promise.Call("then", resolved, rejected)
	}
	if err != nil {
		resolved.Release()
		rejected.Release()
		done(safejs.Undefined(), false)
	}
}
