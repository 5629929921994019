//go:build js && wasm

package main

import (
	"os"

	"github.com/connect4go/connect4/frontend/internal/browser"
)

func main() {
	// Run returns only if the page cannot start; the program must otherwise
	// live as long as the page, so that its callbacks stay valid.
	if err := browser.Run(nil, "#app"); err != nil {
		_, _ = os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}
