// Package wsclient is a small WebSocket client (RFC 6455) made for generating
// load: plain ws:// URLs, text messages, no extensions. A message costs one
// write system call to send and no allocation to send or to read, so that the
// client spends less of its CPU than the server it measures.
//
// It answers the server's pings and closing handshake itself.
package wsclient

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Errors of this package, wrapped with details.
var (
	// ErrHandshake is the server refusing the WebSocket opening handshake, or
	// answering it wrongly.
	ErrHandshake = errors.New("wsclient: handshake failed")
	// ErrProtocol is a frame that breaks RFC 6455.
	ErrProtocol = errors.New("wsclient: protocol error")
	// ErrBinary is a binary message, which this client does not expect.
	ErrBinary = errors.New("wsclient: binary message")
	// ErrTooBig is a message larger than MaxMessageSize.
	ErrTooBig = errors.New("wsclient: message too big")
)

// CloseError is what [Conn.Read] returns when the server closes the
// connection with a closing frame.
type CloseError struct {
	Code   int // 1005 when the frame has no code
	Reason string
}

// Error says that the server closed the connection, with the code and reason.
func (e *CloseError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("wsclient: closed by the server with %d", e.Code)
	}
	return fmt.Sprintf("wsclient: closed by the server with %d %q", e.Code, e.Reason)
}

// Sizes and timings.
const (
	// MaxMessageSize is the largest message Read accepts.
	MaxMessageSize = 1 << 20
	// readBufferSize is the buffer of each connection's reads: the events of a
	// game are a few dozen bytes, and the buffer is per connection.
	readBufferSize = 1024
	// closeWait bounds the wait for the server's closing frame in Close.
	closeWait = time.Second
)

// Frame opcodes.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xa
)

// Conn is a client WebSocket connection. One goroutine at a time may call
// Read (and Close, which reads); Write, SetDeadline, SetReadDeadline and
// Abort may be called from any goroutine at any time.
type Conn struct {
	nc      net.Conn
	br      *bufio.Reader
	msg     []byte    // the message being read: Read's result, reused
	head    [2]byte   // a frame's header, as Read reads it
	ext     [8]byte   // its extended length
	control [125]byte // a control frame's payload, as Read reads it

	wmu       sync.Mutex // guards what follows, and writes to nc
	wbuf      []byte     // the frame being written, reused
	closeSent bool
}

// guid is the fixed string of the opening handshake (RFC 6455, 1.3).
const guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// Dial opens a connection to rawURL, such as ws://127.0.0.1:8000/, and makes
// the opening handshake, both within ctx: its cancellation or deadline
// interrupts them.
func Dial(ctx context.Context, rawURL string) (*Conn, error) {
	return DialFrom(ctx, rawURL, nil)
}

// ipBindAddressNoPort is Linux's IP_BIND_ADDRESS_NO_PORT socket option
// (linux/in.h), which the syscall package does not name.
const ipBindAddressNoPort = 24

// DialFrom is Dial from the local IP address from, such as 127.0.0.2, or
// from the kernel's choice when from is nil. The kernel picks the local port
// when it connects, not when it binds (IP_BIND_ADDRESS_NO_PORT), so that each
// source address has the whole ephemeral port range to each server: about
// 28,000 connections (net.ipv4.ip_local_port_range).
func DialFrom(ctx context.Context, rawURL string, from net.IP) (*Conn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "ws" || u.Host == "" {
		return nil, fmt.Errorf("wsclient: %q is not a ws:// URL", rawURL)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	var d net.Dialer
	if from != nil {
		d.LocalAddr = &net.TCPAddr{IP: from}
		d.Control = func(_, _ string, rc syscall.RawConn) error {
			var err error
			if cerr := rc.Control(func(fd uintptr) {
				err = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
			}); cerr != nil {
				return cerr
			}
			return err
		}
	}
	nc, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	c, err := handshake(ctx, nc, u)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// handshake makes the opening handshake on nc.
func handshake(ctx context.Context, nc net.Conn, u *url.URL) (*Conn, error) {
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	var nonce [16]byte
	rand.Read(nonce[:]) // never fails: see crypto/rand.Read
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
		"\r\nSec-WebSocket-Version: 13\r\n\r\n"
	_, err := io.WriteString(nc, req)
	var resp *http.Response
	br := bufio.NewReaderSize(nc, readBufferSize)
	if err == nil {
		resp, err = http.ReadResponse(br, &http.Request{Method: http.MethodGet, URL: u})
	}
	if !stop() || ctx.Err() != nil {
		return nil, ctx.Err() // the reason of the interruption, if any
	}
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %s: %s", ErrHandshake, resp.Status, strings.TrimSpace(string(body)))
	}
	sum := sha1.Sum([]byte(key + guid))
	switch {
	case !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket"):
		return nil, fmt.Errorf("%w: Upgrade is %q", ErrHandshake, resp.Header.Get("Upgrade"))
	case !hasToken(resp.Header.Get("Connection"), "upgrade"):
		return nil, fmt.Errorf("%w: Connection is %q", ErrHandshake, resp.Header.Get("Connection"))
	case resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]):
		return nil, fmt.Errorf("%w: wrong Sec-WebSocket-Accept", ErrHandshake)
	case resp.Header.Get("Sec-WebSocket-Extensions") != "":
		return nil, fmt.Errorf("%w: extensions that were not asked for", ErrHandshake)
	}
	nc.SetDeadline(time.Time{})
	return &Conn{nc: nc, br: br}, nil
}

// hasToken reports whether the comma-separated header value v lists token,
// ignoring case.
func hasToken(v, token string) bool {
	for t := range strings.SplitSeq(v, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}

// Write sends p as one text message.
func (c *Conn) Write(p []byte) error { return c.writeFrame(opText, p) }

// writeFrame sends one masked frame.
func (c *Conn) writeFrame(op byte, p []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closeSent {
		return net.ErrClosed
	}
	b := append(c.wbuf[:0], 0x80|op) // FIN: never fragmented
	switch n := len(p); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	// The mask only keeps proxies from mistaking frames for HTTP: a fast
	// generator is enough.
	var key [4]byte
	binary.LittleEndian.PutUint32(key[:], mrand.Uint32())
	b = append(b, key[:]...)
	start := len(b)
	b = append(b, p...)
	for i := range b[start:] {
		b[start+i] ^= key[i&3]
	}
	c.wbuf = b
	if op == opClose {
		c.closeSent = true
	}
	_, err := c.nc.Write(b)
	return err
}

// Read returns the next message, which stays valid until the next call of
// Read. It answers pings and skips pongs on the way. When the server closes
// the connection it answers the closing frame and returns a *CloseError.
func (c *Conn) Read() ([]byte, error) {
	c.msg = c.msg[:0]
	inMessage := false
	// The buffers are the Conn's: io.ReadFull would make locals escape.
	head := c.head[:]
	for {
		if _, err := io.ReadFull(c.br, head); err != nil {
			return nil, err
		}
		fin, op := head[0]&0x80 != 0, head[0]&0x0f
		if head[0]&0x70 != 0 {
			return nil, fmt.Errorf("%w: reserved bits set", ErrProtocol)
		}
		if head[1]&0x80 != 0 {
			return nil, fmt.Errorf("%w: a masked frame from the server", ErrProtocol)
		}
		n := uint64(head[1] & 0x7f)
		switch n {
		case 126:
			if _, err := io.ReadFull(c.br, c.ext[:2]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(c.ext[:2]))
		case 127:
			if _, err := io.ReadFull(c.br, c.ext[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(c.ext[:])
		}
		if op >= opClose {
			if n > 125 || !fin {
				return nil, fmt.Errorf("%w: a control frame of %d bytes, fin %v", ErrProtocol, n, fin)
			}
			p := c.control[:n]
			if _, err := io.ReadFull(c.br, p); err != nil {
				return nil, err
			}
			switch op {
			case opPing:
				if err := c.writeFrame(opPong, p); err != nil {
					return nil, err
				}
			case opPong:
			case opClose:
				return nil, c.closed(p)
			default:
				return nil, fmt.Errorf("%w: opcode %#x", ErrProtocol, op)
			}
			continue
		}
		switch {
		case op == opContinuation && !inMessage:
			return nil, fmt.Errorf("%w: a continuation outside a message", ErrProtocol)
		case (op == opText || op == opBinary) && inMessage:
			return nil, fmt.Errorf("%w: a new message inside a fragmented one", ErrProtocol)
		case op != opText && op != opBinary && op != opContinuation:
			return nil, fmt.Errorf("%w: opcode %#x", ErrProtocol, op)
		case op == opBinary:
			if _, err := c.br.Discard(int(min(n, MaxMessageSize))); err != nil {
				return nil, err
			}
			return nil, ErrBinary
		case n > uint64(MaxMessageSize-len(c.msg)):
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooBig, MaxMessageSize)
		}
		start := len(c.msg)
		c.msg = append(c.msg, make([]byte, n)...) // allocates only to grow c.msg
		if _, err := io.ReadFull(c.br, c.msg[start:]); err != nil {
			return nil, err
		}
		if fin {
			return c.msg, nil
		}
		inMessage = true
	}
}

// closed answers the server's closing frame, whose payload is p, and returns
// the CloseError that tells why it closed.
func (c *Conn) closed(p []byte) error {
	e := &CloseError{Code: 1005}
	if len(p) >= 2 {
		e.Code = int(binary.BigEndian.Uint16(p))
		e.Reason = string(p[2:])
	}
	c.wmu.Lock()
	sent := c.closeSent
	c.wmu.Unlock()
	if !sent {
		var reply [2]byte
		binary.BigEndian.PutUint16(reply[:], 1000)
		if e.Code != 1005 {
			copy(reply[:], p[:2])
		}
		c.writeFrame(opClose, reply[:])
	}
	return e
}

// SetDeadline sets the deadline of every read and write, as net.Conn does; a
// time in the past interrupts the ones in progress.
func (c *Conn) SetDeadline(t time.Time) error { return c.nc.SetDeadline(t) }

// SetReadDeadline sets the deadline of reads, as net.Conn does.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.nc.SetReadDeadline(t) }

// Close makes the closing handshake: it sends a closing frame with code 1000
// (normal closure), reads until the server's own closing frame, and closes the
// connection, all within a second whatever the deadlines set before. It must
// not be called while a Read is in progress.
func (c *Conn) Close() error {
	c.wmu.Lock()
	sent := c.closeSent
	c.wmu.Unlock()
	if sent { // the server closed first, and Read answered
		return c.nc.Close()
	}
	var code [2]byte
	binary.BigEndian.PutUint16(code[:], 1000)
	c.nc.SetDeadline(time.Now().Add(closeWait))
	err := c.writeFrame(opClose, code[:])
	if err == nil {
		for {
			if _, err = c.Read(); err != nil {
				break
			}
		}
		var ce *CloseError
		if errors.As(err, &ce) || errors.Is(err, io.EOF) {
			err = nil
		}
	}
	if cerr := c.nc.Close(); err == nil {
		err = cerr
	}
	return err
}

// Abort closes the connection at once, without a closing handshake.
func (c *Conn) Abort() error { return c.nc.Close() }
