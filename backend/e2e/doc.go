// Package e2e tests the game end to end: the real server binary, started as a
// subprocess from an empty directory, with its embedded WebAssembly page driven
// in headless Chromium (through chromedp) and tutorial-style clients on real
// sockets. It has only tests.
//
// The tests use the binary named by $CONNECT4_BIN, as `make test` sets it, or
// build one; either way the frontend must have been built into the binary first
// (`make build`).
package e2e
