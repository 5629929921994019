package static_test

import (
	"io/fs"
	"testing"

	"github.com/connect4go/connect4/backend/internal/static"
)

// TestFiles checks that the page, its styles and the built frontend are all
// embedded. app.wasm and wasm_exec.js come from `make build`: without them the
// binary would serve a page that cannot start.
func TestFiles(t *testing.T) {
	files := static.Files()
	for _, name := range []string{"index.html", "style.css", "app.wasm", "wasm_exec.js"} {
		info, err := fs.Stat(files, name)
		if err != nil {
			t.Errorf("%s: %v (run `make build` to build the frontend)", name, err)
			continue
		}
		if info.Size() == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	if _, err := fs.Stat(files, "no-such-file.txt"); err == nil {
		t.Error("Stat of a missing file succeeded")
	}
}
