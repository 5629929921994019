//go:build !race

package wsclient

// raceEnabled tells that the race detector is on: it allocates on its own.
const raceEnabled = false
