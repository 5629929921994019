//go:build js && wasm

package browser

import (
	"errors"
	"strings"

	"github.com/hack-pad/safejs"
)

// dom makes calls into the document and keeps the first error, so that a run of
// calls reads as straight-line code with one check at the end. After an error
// its methods do nothing and return undefined.
//
// The zero value is ready to use.
type dom struct {
	err error
}

// get returns the property prop of v.
func (d *dom) get(v safejs.Value, prop string) safejs.Value {
	if d.err != nil {
		return safejs.Undefined()
	}
	var r safejs.Value
	r, d.err = v.Get(prop)
	return r
}

// set sets the property prop of v to x.
func (d *dom) set(v safejs.Value, prop string, x any) {
	if d.err == nil {
		d.err = v.Set(prop, x)
	}
}

// call calls the method m of v.
func (d *dom) call(v safejs.Value, m string, args ...any) safejs.Value {
	if d.err != nil {
		return safejs.Undefined()
	}
	var r safejs.Value
	r, d.err = v.Call(m, args...)
	return r
}

// element returns a new element of the document with the tag and class, and
// the attributes given as name, value pairs.
func (d *dom) element(document safejs.Value, tag, class string, attrs ...string) safejs.Value {
	el := d.call(document, "createElement", tag)
	d.set(el, "className", class)
	for i := 0; i+1 < len(attrs); i += 2 {
		d.call(el, "setAttribute", attrs[i], attrs[i+1])
	}
	return el
}

// found is an element to find by its selector, and where to keep it.
type found struct {
	selector string
	el       *safejs.Value
}

// find finds each element of all in parent (a selector that finds none is an
// error: page.html lacks it), and keeps it where all says.
func (d *dom) find(parent safejs.Value, all []found) {
	for _, f := range all {
		*f.el = d.call(parent, "querySelector", f.selector)
		if d.err == nil && f.el.IsNull() {
			d.err = errors.New("no element " + f.selector)
		}
	}
}

// radios finds in parent the radio button named name of each value.
func (d *dom) radios(parent safejs.Value, name string, values []string) []radio {
	rs := make([]radio, len(values))
	for i, v := range values {
		rs[i].value = v
		d.find(parent, []found{{"input[name=" + name + "][value=\"" + v + "\"]", &rs[i].input}})
	}
	return rs
}

// compact returns html without its line breaks and the indentation after
// them, so that no text comes between elements that were written on lines of
// their own.
func compact(html string) string {
	lines := strings.Split(html, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " ")
	}
	return strings.Join(lines, "")
}

// string returns v as a Go string, or "" if it is not a string.
func (d *dom) string(v safejs.Value) string {
	if d.err != nil || v.Type() != safejs.TypeString {
		return ""
	}
	var s string
	s, d.err = v.String()
	return s
}

// text sets the text of el.
func (d *dom) text(el safejs.Value, s string) {
	d.set(el, "textContent", s)
}

// int returns v as an int, or 0 if it is not a number.
func (d *dom) int(v safejs.Value) int {
	if d.err != nil || v.Type() != safejs.TypeNumber {
		return 0
	}
	var n int
	n, d.err = v.Int()
	return n
}

// truthy reports whether v is true in JavaScript's sense.
func (d *dom) truthy(v safejs.Value) bool {
	if d.err != nil {
		return false
	}
	var b bool
	b, d.err = v.Truthy()
	return b
}
