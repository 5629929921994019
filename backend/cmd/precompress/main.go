// Command precompress writes a brotli (name.br) and a gzip (name.gz) copy of
// each file it is given, at the best compression of each, for the server to
// send browsers that accept them. `make build` runs it on the wasm.
//
// Usage:
//
//	precompress file...
package main

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

// run compresses each of files, and reports the sizes on out.
func run(files []string, out io.Writer) error {
	if len(files) == 0 {
		return errors.New("usage: precompress file [file ...]")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		br, err := write(name+".br", data, func(w io.Writer) (io.WriteCloser, error) {
			return brotli.NewWriterLevel(w, brotli.BestCompression), nil
		})
		if err != nil {
			return err
		}
		gz, err := write(name+".gz", data, func(w io.Writer) (io.WriteCloser, error) {
			return gzip.NewWriterLevel(w, gzip.BestCompression)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %d bytes, brotli %d, gzip %d\n", name, len(data), br, gz)
	}
	return nil
}

// write compresses data into the file name with the compressor that newWriter
// makes, and returns the compressed size.
func write(name string, data []byte, newWriter func(io.Writer) (io.WriteCloser, error)) (int64, error) {
	f, err := os.Create(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w, err := newWriter(f)
	if err != nil {
		return 0, err
	}
	if _, err := w.Write(data); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return info.Size(), f.Close()
}
