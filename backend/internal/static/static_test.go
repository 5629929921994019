package static_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/connect4go/connect4/backend/internal/static"
)

// TestFiles checks that the page, its styles and the built frontend are all
// embedded. The dist/ files come from `make build`: without them the binary
// would serve a page that cannot start.
func TestFiles(t *testing.T) {
	files := static.Files()
	for _, name := range []string{"index.html", "style.css", "favicon.svg", "app.wasm", "app.wasm.br", "app.wasm.gz", "wasm_exec.js", "worker.js", "worker.wasm", "worker.wasm.br", "worker.wasm.gz"} {
		var info fs.FileInfo
		err := fs.ErrNotExist
		for _, fsys := range files {
			if info, err = fs.Stat(fsys, name); err == nil {
				break
			}
		}
		if err != nil {
			t.Errorf("%s: %v (run `make build` to build the frontend)", name, err)
			continue
		}
		if info.Size() == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	if _, err := static.New(files...); err != nil {
		t.Error(err)
	}
}

var site = fstest.MapFS{
	"index.html":   {Data: []byte(`<link href="style.css"><script src="wasm_exec.js"></script><script>fetch("app.wasm")</script>`)},
	"style.css":    {Data: []byte("body {}")},
	"app.wasm":     {Data: []byte("\x00asm wasm")},
	"app.wasm.br":  {Data: []byte("brotli bytes")},
	"app.wasm.gz":  {Data: []byte("gzip bytes")},
	"wasm_exec.js": {Data: []byte("// Go")},
	".gitkeep":     {},
}

// get serves one request and returns the response and its body.
func get(t *testing.T, h http.Handler, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header = header
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(body)
}

func TestHandler(t *testing.T) {
	h, err := static.New(site)
	if err != nil {
		t.Fatal(err)
	}
	_, index := get(t, h, "/", nil)
	versioned := regexp.MustCompile(`"(app\.wasm|style\.css|wasm_exec\.js)\?v=([0-9a-f]{16})"`).FindAllStringSubmatch(index, -1)
	if len(versioned) != 3 {
		t.Fatalf("index.html does not name its three files with hashes:\n%s", index)
	}
	wasm := "/app.wasm?v=" + versioned[2][2]
	if versioned[2][1] != "app.wasm" {
		t.Fatalf("unexpected order: %v", versioned)
	}

	tests := []struct {
		name, path, acceptEncoding string
		status                     int
		contentType, encoding      string
		cache, body                string
	}{
		{"index", "/", "", 200, "text/html; charset=utf-8", "", "no-cache", ""},
		{"index by name", "/index.html", "br", 200, "text/html; charset=utf-8", "", "no-cache", ""},
		{"wasm as it is", "/app.wasm", "", 200, "application/wasm", "", "no-cache", "\x00asm wasm"},
		{"wasm, current version", wasm, "", 200, "application/wasm", "", "public, max-age=31536000, immutable", "\x00asm wasm"},
		{"wasm, an old version", "/app.wasm?v=0123456789abcdef", "", 200, "application/wasm", "", "no-cache", "\x00asm wasm"},
		{"brotli first", wasm, "gzip, deflate, br", 200, "application/wasm", "br", "public, max-age=31536000, immutable", "brotli bytes"},
		{"gzip", "/app.wasm", "gzip", 200, "application/wasm", "gzip", "no-cache", "gzip bytes"},
		{"brotli refused", "/app.wasm", "br;q=0, gzip;q=0.5", 200, "application/wasm", "gzip", "no-cache", "gzip bytes"},
		{"anything", "/app.wasm", "*", 200, "application/wasm", "br", "no-cache", "brotli bytes"},
		{"identity only", "/app.wasm", "identity", 200, "application/wasm", "", "no-cache", "\x00asm wasm"},
		{"no copies of css", "/style.css", "br", 200, "text/css; charset=utf-8", "", "no-cache", "body {}"},
		{"copies are not files", "/app.wasm.br", "", 404, "", "", "", ""},
		{"hidden files", "/.gitkeep", "", 404, "", "", "", ""},
		{"missing", "/nope.js", "", 404, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			if tt.acceptEncoding != "" {
				header.Set("Accept-Encoding", tt.acceptEncoding)
			}
			resp, body := get(t, h, tt.path, header)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			for k, want := range map[string]string{"Content-Type": tt.contentType, "Content-Encoding": tt.encoding, "Cache-Control": tt.cache} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body %q, want %q", body, tt.body)
			}
			// Revalidation with the ETag answers 304 with no body.
			etag := resp.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			header.Set("If-None-Match", etag)
			again, body := get(t, h, tt.path, header)
			if again.StatusCode != http.StatusNotModified || body != "" {
				t.Errorf("revalidation: %d %q, want 304 and no body", again.StatusCode, body)
			}
		})
	}
}

// Each encoding has its own ETag, and a new release has new ones.
func TestETags(t *testing.T) {
	h, _ := static.New(site)
	plain, _ := get(t, h, "/app.wasm", nil)
	br, _ := get(t, h, "/app.wasm", http.Header{"Accept-Encoding": {"br"}})
	if plain.Header.Get("ETag") == br.Header.Get("ETag") {
		t.Error("the brotli copy has the ETag of the original")
	}
	next := fstest.MapFS{}
	for k, v := range site {
		next[k] = v
	}
	next["app.wasm"] = &fstest.MapFile{Data: []byte("\x00asm wasm, release 2")}
	h2, _ := static.New(next)
	plain2, _ := get(t, h2, "/app.wasm", nil)
	index, _ := get(t, h, "/", nil)
	index2, _ := get(t, h2, "/", nil)
	if plain.Header.Get("ETag") == plain2.Header.Get("ETag") || index.Header.Get("ETag") == index2.Header.Get("ETag") {
		t.Error("a new release kept the old ETags")
	}
}

func TestNewRefuses(t *testing.T) {
	if _, err := static.New(fstest.MapFS{"app.wasm": {Data: []byte("x")}}); err == nil {
		t.Error("New without index.html: no error")
	}
	if _, err := static.New(site, fstest.MapFS{"app.wasm": {Data: []byte("x")}}); err == nil {
		t.Error("New with app.wasm twice: no error")
	}
}

// The policy names the page's own inline script by its hash, and a game
// server that a meta tag names outside a comment.
func TestPolicy(t *testing.T) {
	loader := "\n    go.run();\n  "
	page := func(meta string) fstest.MapFS {
		return fstest.MapFS{"index.html": {Data: []byte("<!doctype html><head>" + meta +
			"<!-- <meta name=\"connect4-server\" content=\"wss://commented.example/\"> -->" +
			"</head><script src=\"wasm_exec.js\"></script><script>" + loader + "</script>")}}
	}
	sum := sha256.Sum256([]byte(loader))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	tests := []struct {
		name, meta, connect string
	}{
		{"its own server", "", "connect-src 'self';"},
		{"another game server", `<meta name="connect4-server" content="wss://game.example.com/">`, "connect-src 'self' wss://game.example.com/;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := static.New(page(tt.meta))
			if err != nil {
				t.Fatal(err)
			}
			p := h.Policy()
			for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval' " + hash + ";", tt.connect, "object-src 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(p, want) {
					t.Errorf("policy %q lacks %q", p, want)
				}
			}
			if strings.Contains(p, "commented") {
				t.Errorf("policy %q names the server of a comment", p)
			}
		})
	}
}
