package wsclient

import (
	"bufio"
	"net"
	"testing"
)

// Reading a message and writing one allocate nothing once the buffers have
// grown.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	c := &Conn{nc: client, br: bufio.NewReaderSize(client, readBufferSize)}
	event := []byte(`{"type":"play","player":"red","column":3,"row":0}`)
	frame := append([]byte{0x81, byte(len(event))}, event...)
	go func() {
		buf := make([]byte, 256)
		for {
			// Read the client's frame, answer with the event.
			if _, err := server.Read(buf); err != nil {
				return
			}
			if _, err := server.Write(frame); err != nil {
				return
			}
		}
	}()
	play := []byte(`{"type":"play","column":3}`)
	roundTrip := func() {
		if err := c.Write(play); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Read(); err != nil {
			t.Fatal(err)
		}
	}
	roundTrip()
	if n := testing.AllocsPerRun(200, roundTrip); n > 0 {
		t.Errorf("%v allocations per round trip, want 0", n)
	}
	client.Close()
	if _, err := c.Read(); err == nil {
		t.Error("Read after Close succeeded")
	}
}
