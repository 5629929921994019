//go:build unix

package socket

import "syscall"

// readable reports whether socket fd has bytes to read, or an end or error to
// report, without taking them: false sends syscall.RawConn.Read waiting.
func readable(fd uintptr) bool {
	var b [1]byte
	_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	return err != syscall.EAGAIN && err != syscall.EWOULDBLOCK && err != syscall.EINTR
}
