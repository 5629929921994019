// Command app is the browser side of Connect Four, compiled to WebAssembly: it
// shows the game in the page's #app element and plays it with the server that
// served the page.
//
// Build it with
//
//	GOOS=js GOARCH=wasm go build -o backend/internal/static/dist/app.wasm ./frontend/cmd/app
package main
