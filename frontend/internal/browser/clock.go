//go:build js && wasm

package browser

import (
	"github.com/connect4go/connect4/frontend/internal/game"
	"github.com/connect4go/connect4/shared/connect4"
	"github.com/hack-pad/safejs"
)

// The page's parts for clocks: the start screen's choice of clock, and the
// two clocks of a timed game:
//
//	<fieldset class="clock-choice"><legend>Clock</legend>
//	  <label class="segment"><input type="radio" name="clock" value=""> <span class="segment-label">None</span></label> … 1+2, 3+2, 5+0, 10+5
//	</fieldset>
//	<div class="clocks" aria-label="Clocks">
//	  <p class="clock red running">Red 2:05</p> <p class="clock yellow">Yellow 3:00</p>
//	</div>

// clockChosen is a clock chosen on the start screen.
type clockChosen struct{ clock string }

// clockParts are the clocks' elements.
type clockParts struct {
	choice      safejs.Value
	choices     []radio
	clocks      safejs.Value
	red, yellow safejs.Value
}

// findClocks finds the clocks' elements in parent.
func findClocks(d *dom, parent safejs.Value) clockParts {
	var c clockParts
	d.find(parent, []found{{".clock-choice", &c.choice}, {".clocks", &c.clocks}, {".clock.red", &c.red}, {".clock.yellow", &c.yellow}})
	c.choices = d.radios(parent, "clock", game.ClockChoices)
	return c
}

// handlers returns the listeners of the clocks' elements.
func (c clockParts) handlers(push func(any)) []handler {
	return []handler{{c.choice, "change", func(ev safejs.Value) {
		var d dom
		if value := d.string(d.get(d.get(ev, "target"), "value")); d.err == nil {
			push(clockChosen{value})
		}
	}}}
}

// paint makes the clocks' elements show v, where it differs from old (all:
// everything).
func (c clockParts) paint(d *dom, v, old game.View, all bool) {
	for _, r := range c.choices {
		if all || (r.value == v.ClockChoice) != (r.value == old.ClockChoice) {
			d.set(r.input, "checked", r.value == v.ClockChoice)
		}
	}
	if all || v.Clocks != old.Clocks {
		d.set(c.clocks, "hidden", !v.Clocks)
	}
	show := func(el safejs.Value, p connect4.Player, now, was string) {
		if all || now != was {
			d.text(el, name(p)+" "+now)
		}
		class := func(v game.View) string {
			if v.ClockRunning == p {
				return "clock " + p.String() + " running"
			}
			return "clock " + p.String()
		}
		if all || class(v) != class(old) {
			d.set(el, "className", class(v))
		}
	}
	show(c.red, connect4.Red, v.ClockRed, old.ClockRed)
	show(c.yellow, connect4.Yellow, v.ClockYellow, old.ClockYellow)
}

// name returns a player's name as the clocks show it.
func name(p connect4.Player) string {
	if p == connect4.Red {
		return "Red"
	}
	return "Yellow"
}
