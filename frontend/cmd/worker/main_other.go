//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains that the program runs only in a browser. It exists so that
// native builds of the whole module succeed.
func main() {
	fmt.Fprintln(os.Stderr, "worker runs in a web browser's Web Worker: build it with GOOS=js GOARCH=wasm")
	os.Exit(2)
}
