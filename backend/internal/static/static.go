// Package static owns the files of the page: index.html and style.css, written by
// hand, and the built frontend in dist/ (app.wasm and the toolchain's
// wasm_exec.js), which `make build` puts there. All are embedded in the binary,
// so that it serves the whole game with nothing beside it.
package static

import (
	"embed"
	"errors"
	"io/fs"
)

//go:embed index.html style.css all:dist
var files embed.FS

// Files returns the files served at the root of the site: the page's own and,
// at the same level, those of dist/.
func Files() fs.FS {
	dist, err := fs.Sub(files, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path: fs.Sub cannot fail
	}
	return overlay{dist, files}
}

// overlay opens each name from top, or from bottom where top has no such file.
type overlay struct{ top, bottom fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return o.bottom.Open(name)
	}
	return f, err
}
