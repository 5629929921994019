//go:build js && wasm

package browser

import "os"

// warn writes a line to the browser's console, through the standard error
// that Go's wasm_exec.js sends there. The page does without package log,
// whose timestamps cost the wasm 4 KB of brotli.
func warn(parts ...string) {
	line := ""
	for _, p := range parts {
		line += p
	}
	_, _ = os.Stderr.WriteString(line + "\n")
}
