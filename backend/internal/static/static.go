// Package static owns the files of the page and serves them: index.html,
// style.css, favicon.svg and worker.js (the loader of the page's Web Worker),
// written by hand, and the built frontend in dist/ (app.wasm, worker.wasm and
// the toolchain's wasm_exec.js, with their precompressed copies), which
// `make build` puts there. All are embedded in the binary, so
// that it serves the whole game with nothing beside it.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The page's own files, and the built frontend with its precompressed copies.
var (
	//go:embed index.html style.css favicon.svg worker.js
	page embed.FS
	//go:embed all:dist
	dist embed.FS
)

// Files returns the embedded files, as file systems whose files the site serves
// at its root: the page's own, and those of dist/.
func Files() []fs.FS {
	built, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path: fs.Sub cannot fail
	}
	return []fs.FS{page, built}
}

// The precompressed copies that Handler looks for beside each file, best first,
// by the file name suffix and the Content-Encoding they are served with.
var encodings = []struct{ suffix, coding string }{
	{".br", "br"},
	{".gz", "gzip"},
}

// Index is the file served at the root of the site.
const Index = "index.html"

// Handler serves a fixed set of files from memory:
//
//   - Every response has an ETag from the file's content, so a browser that has
//     the file gets 304 Not Modified.
//   - index.html, served at "/", names each other file with its content hash
//     ("app.wasm" becomes "app.wasm?v=1a2b…"): a request with the current hash
//     may be cached for a year, since another release has another URL; other
//     requests must be revalidated. A page therefore never mixes files from two
//     releases.
//   - A file with a precompressed copy beside it (name.br, name.gz) is served
//     in the best encoding that the request accepts.
//
// A Handler is safe for concurrent use.
type Handler struct {
	files map[string]*file // by path, without the leading slash
}

// file is one file to serve, with its copies.
type file struct {
	contentType string
	hash        string            // of the content, as served
	body        []byte            // the content
	encoded     map[string][]byte // precompressed copies by Content-Encoding
}

// New reads every file of each file system, except hidden ones, to serve them
// all at the root of the site; one of them must hold Index. Files named with the
// suffix of a precompressed copy are served only as the copy of their base.
func New(fsyss ...fs.FS) (*Handler, error) {
	h := &Handler{files: make(map[string]*file)}
	copies := make(map[string][]byte)
	for _, fsys := range fsyss {
		if err := h.read(fsys, copies); err != nil {
			return nil, fmt.Errorf("static: %w", err)
		}
	}
	if err := h.finish(copies); err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	return h, nil
}

// read reads the files of fsys into h, and their precompressed copies into
// copies.
func (h *Handler) read(fsys fs.FS, copies map[string][]byte) error {
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		for _, e := range encodings {
			if strings.HasSuffix(name, e.suffix) {
				copies[name] = body
				return nil
			}
		}
		if h.files[name] != nil {
			return fmt.Errorf("%s is in two file systems", name)
		}
		h.files[name] = &file{
			contentType: contentType(name),
			hash:        hash(body),
			body:        body,
			encoded:     make(map[string][]byte),
		}
		return nil
	})
}

// finish pairs the files with their copies, and names the other files in Index
// with their hashes.
func (h *Handler) finish(copies map[string][]byte) error {
	for name, body := range copies {
		for _, e := range encodings {
			if f := h.files[strings.TrimSuffix(name, e.suffix)]; strings.HasSuffix(name, e.suffix) && f != nil {
				f.encoded[e.coding] = body
			}
		}
	}
	index := h.files[Index]
	if index == nil {
		return fmt.Errorf("no %s", Index)
	}
	for name, f := range h.files {
		if name != Index {
			quoted := strconv.Quote(name)
			index.body = bytes.ReplaceAll(index.body, []byte(quoted), []byte(strconv.Quote(name+"?v="+f.hash)))
		}
	}
	index.hash = hash(index.body)
	index.encoded = nil // copies made before the rewriting would be stale
	return nil
}

// inlineScript matches the scripts written in Index itself, comments
// matches its comments, and serverMeta the game server that it names.
var (
	inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	comments     = regexp.MustCompile(`(?s)<!--.*?-->`)
	serverMeta   = regexp.MustCompile(`<meta name="connect4-server" content="([^"]*)"`)
)

// Policy returns the Content-Security-Policy of the page: its own files, the
// scripts written in Index by their hashes, WebAssembly, and WebSocket
// connections to its own site and to the game server that Index names in a
// connect4-server meta tag, if any; no plugins, no framing, no other origin.
func (h *Handler) Policy() string {
	index := string(h.files[Index].body)
	scripts := "'self' 'wasm-unsafe-eval'"
	for _, m := range inlineScript.FindAllStringSubmatch(index, -1) {
		sum := sha256.Sum256([]byte(m[1]))
		scripts += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	connect := "'self'"
	if m := serverMeta.FindStringSubmatch(comments.ReplaceAllString(index, "")); m != nil {
		connect += " " + m[1]
	}
	return "default-src 'self'; script-src " + scripts + "; connect-src " + connect +
		"; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// hash returns a short hex digest of body: 64 bits tell releases apart.
func hash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:8])
}

// contentType returns the Content-Type of a file name.
func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ServeHTTP serves the file that r names, "/" being Index.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = Index
	}
	f := h.files[name]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	header := w.Header()
	header.Set("Content-Type", f.contentType)
	if name != Index && r.URL.Query().Get("v") == f.hash {
		header.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		header.Set("Cache-Control", "no-cache")
	}
	body, etag := f.body, f.hash
	if len(f.encoded) > 0 {
		header.Add("Vary", "Accept-Encoding")
		for _, e := range encodings {
			if copy, ok := f.encoded[e.coding]; ok && accepts(r.Header.Get("Accept-Encoding"), e.coding) {
				header.Set("Content-Encoding", e.coding)
				body, etag = copy, f.hash+"-"+e.coding
				break
			}
		}
	}
	header.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// accepts reports whether an Accept-Encoding header value accepts coding: it is
// listed, or "*" is, without q=0.
func accepts(header, coding string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch {
		case strings.EqualFold(name, coding):
			return q > 0
		case name == "*":
			star = q > 0
		}
	}
	return star
}
