//go:build !unix

package socket

// readable reports true: without a way to look at a socket without reading
// it, await does not wait, and the read does.
func readable(uintptr) bool { return true }
