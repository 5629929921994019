package protocol_test

import (
	"errors"
	"testing"
	"time"

	"github.com/connect4go/connect4/shared/protocol"
)

func TestParseTimeControl(t *testing.T) {
	tests := []struct {
		in   string
		want protocol.TimeControl
		ok   bool
	}{
		{"", protocol.TimeControl{}, true},
		{"3+2", protocol.TimeControl{Base: 3 * time.Minute, Increment: 2 * time.Second}, true},
		{"1+0", protocol.TimeControl{Base: time.Minute}, true},
		{"60+60", protocol.TimeControl{Base: time.Hour, Increment: time.Minute}, true},
		{"0+5", protocol.TimeControl{}, false},
		{"0.5+0", protocol.TimeControl{Base: 30 * time.Second}, true},
		{"0.1+1", protocol.TimeControl{Base: 6 * time.Second, Increment: time.Second}, true},
		{"0.05+0", protocol.TimeControl{}, false},
		{"0.501+0", protocol.TimeControl{}, false},
		{"4.1+0", protocol.TimeControl{Base: 246 * time.Second}, true},
		{"16.4+0", protocol.TimeControl{Base: 984 * time.Second}, true},
		{"8.7+1", protocol.TimeControl{Base: 522 * time.Second, Increment: time.Second}, true},
		{"0.25+0", protocol.TimeControl{Base: 15 * time.Second}, true},
		{"0.75+3", protocol.TimeControl{Base: 45 * time.Second, Increment: 3 * time.Second}, true},
		{"0.11666666666666667+2", protocol.TimeControl{Base: 7 * time.Second, Increment: 2 * time.Second}, true},
		{"1.0166666666666666+2", protocol.TimeControl{Base: 61 * time.Second, Increment: 2 * time.Second}, true},
		{"0.1166666666666667+2", protocol.TimeControl{}, false},
		{"0.116666666666666670+2", protocol.TimeControl{}, false},
		{"0.125+0", protocol.TimeControl{}, false},
		{"0.33+0", protocol.TimeControl{}, false},
		{"1.+2", protocol.TimeControl{}, false},
		{"1.5.5+0", protocol.TimeControl{}, false},
		{"1234+0", protocol.TimeControl{}, false},
		{"5+005", protocol.TimeControl{}, false},
		{"3.0+2", protocol.TimeControl{}, false},
		{"03+2", protocol.TimeControl{}, false},
		{"1e1+0", protocol.TimeControl{}, false},
		{".5+0", protocol.TimeControl{}, false},
		{"61+0", protocol.TimeControl{}, false},
		{"5+61", protocol.TimeControl{}, false},
		{"5", protocol.TimeControl{}, false},
		{"5+", protocol.TimeControl{}, false},
		{"+2", protocol.TimeControl{}, false},
		{"-1+2", protocol.TimeControl{}, false},
		{"3+-2", protocol.TimeControl{}, false},
		{"3 + 2", protocol.TimeControl{}, false},
		{"+3+2", protocol.TimeControl{}, false},
		{"3+2+1", protocol.TimeControl{}, false},
		{"blitz", protocol.TimeControl{}, false},
	}
	for _, tt := range tests {
		got, err := protocol.ParseTimeControl(tt.in)
		if got != tt.want || (err == nil) != tt.ok || (err != nil && !errors.Is(err, protocol.ErrBadClock)) {
			t.Errorf("ParseTimeControl(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("%q.String() = %q", tt.in, got.String())
		}
	}
	for _, tc := range protocol.TimeControls {
		if back, err := protocol.ParseTimeControl(tc.String()); err != nil || back != tc || !tc.Timed() {
			t.Errorf("offered time control %v does not parse back: %v, %v", tc, back, err)
		}
	}
}

// TestEveryTimeControlParsesBack checks that every time control within the
// bounds, each base to the second and each increment, reads back from what
// String writes: the stores keep a game's clock that way.
func TestEveryTimeControlParsesBack(t *testing.T) {
	for base := protocol.MinBase; base <= protocol.MaxBase; base += time.Second {
		for inc := time.Duration(0); inc <= protocol.MaxIncrement; inc += 7 * time.Second {
			tc := protocol.TimeControl{Base: base, Increment: inc}
			if back, err := protocol.ParseTimeControl(tc.String()); err != nil || back != tc {
				t.Fatalf("%v written %q reads back as %v, %v", tc, tc.String(), back, err)
			}
		}
	}
}

func TestClockMessages(t *testing.T) {
	tc := protocol.TimeControl{Base: 3 * time.Minute, Increment: 2 * time.Second}
	events := []struct {
		event protocol.Event
		wire  string
	}{
		{protocol.Clock{Red: 179500 * time.Millisecond, Yellow: 3 * time.Minute, Running: 2}, `{"type":"clock","red":179500,"yellow":180000,"running":"yellow"}`},
		{protocol.Clock{Red: time.Second, Yellow: 0}, `{"type":"clock","red":1000,"yellow":0}`},
		{protocol.Timeout{Player: 1}, `{"type":"timeout","player":"red"}`},
		{protocol.Started{Watch: "W", Mode: protocol.Quick, Player: 1, Token: "T", Clock: tc}, `{"type":"init","watch":"W","mode":"quick","player":"red","token":"T","clock":"3+2"}`},
	}
	for _, tt := range events {
		got, err := protocol.EncodeEvent(tt.event)
		if err != nil || string(got) != tt.wire {
			t.Errorf("EncodeEvent(%#v) = %s, %v; want %s", tt.event, got, err, tt.wire)
		}
		if back, err := protocol.DecodeEvent(got); err != nil || back != tt.event {
			t.Errorf("DecodeEvent(%s) = %#v, %v", got, back, err)
		}
	}
	commands := []struct {
		cmd  protocol.Command
		wire string
	}{
		{protocol.Seek{Clock: tc}, `{"type":"seek","clock":"3+2"}`},
		{protocol.Init{Clock: tc, Version: 3}, `{"type":"init","clock":"3+2","version":3}`},
		{protocol.Init{Mode: protocol.Friends, Clock: tc, Version: 3}, `{"type":"init","mode":"friends","clock":"3+2","version":3}`},
	}
	for _, tt := range commands {
		got, err := protocol.EncodeCommand(tt.cmd)
		if err != nil || string(got) != tt.wire {
			t.Errorf("EncodeCommand(%#v) = %s, %v; want %s", tt.cmd, got, err, tt.wire)
		}
		if back, err := protocol.DecodeCommand(got); err != nil || back != tt.cmd {
			t.Errorf("DecodeCommand(%s) = %#v, %v", got, back, err)
		}
	}
	refused := []struct {
		wire string
		want error
	}{
		{`{"type":"seek","clock":"forever"}`, protocol.ErrBadClock},
		{`{"type":"seek","clock":3}`, protocol.ErrBadClock},
		{`{"type":"init","clock":"0+1"}`, protocol.ErrBadClock},
		{`{"type":"init","mode":"hotseat","clock":"3+2"}`, protocol.ErrBadInit},
		{`{"type":"init","join":"J","clock":"3+2"}`, protocol.ErrBadInit},
	}
	for _, tt := range refused {
		if _, err := protocol.DecodeCommand([]byte(tt.wire)); !errors.Is(err, tt.want) {
			t.Errorf("DecodeCommand(%s) = %v, want %v", tt.wire, err, tt.want)
		}
	}
}
