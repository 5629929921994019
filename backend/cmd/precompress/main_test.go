package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestRun(t *testing.T) {
	name := filepath.Join(t.TempDir(), "app.wasm")
	data := bytes.Repeat([]byte("Connect Four, Go end to end. "), 1000)
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run([]string{name}, &out); err != nil {
		t.Fatal(err)
	}
	readers := map[string]func(io.Reader) (io.Reader, error){
		".br": func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		".gz": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
	for suffix, newReader := range readers {
		compressed, err := os.ReadFile(name + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if len(compressed) >= len(data)/10 {
			t.Errorf("%s: %d bytes from %d", suffix, len(compressed), len(data))
		}
		r, err := newReader(bytes.NewReader(compressed))
		if err != nil {
			t.Fatal(err)
		}
		back, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(back, data) {
			t.Errorf("%s does not decompress to the original: %v", suffix, err)
		}
	}
	if !strings.Contains(out.String(), "29000 bytes") {
		t.Errorf("report %q", out.String())
	}
	if err := run(nil, &out); err == nil {
		t.Error("no files: no error")
	}
	if err := run([]string{name + ".missing"}, &out); err == nil {
		t.Error("a missing file: no error")
	}
}
