package socket

import (
	"testing"
	"unsafe"
)

// Every idle connection holds a conn: it stays within its size class.
func TestConnSize(t *testing.T) {
	if size := unsafe.Sizeof(conn{}); size > 256 {
		t.Errorf("a conn takes %d bytes, more than the 256 of its size class", size)
	}
}
