package sqlstore

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// The journal is a sequence of files in the data directory, its segments,
// journal.00000001 and on. Each write appends its change to the newest
// segment as one frame, in one write(2): the length of the change (4 bytes,
// little-endian), its CRC-32C (4 bytes), then the change (codec.go). Every
// foldEvery a new segment is begun, and the one closed is handed to the
// folder, which folds it into the database in one transaction and then
// removes it; the database records the last segment folded in, so a
// segment that outlives its fold (a crash between the two) is not folded in
// twice.
//
// A frame cut short or damaged ends its segment when it is read: it can only
// be the last, a write that never finished, and no one was told of it (a
// failed write is cut off the file, and the next frame written over it).

// segmentPrefix begins the name of every segment.
const segmentPrefix = "journal."

// frameHeader is the length and checksum in front of a frame's changes.
const frameHeader = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// segmentPath returns the path of segment n in dir.
func segmentPath(dir string, n int64) string {
	return filepath.Join(dir, fmt.Sprintf("%s%08d", segmentPrefix, n))
}

// segments returns the numbers of the segments in dir, in order.
func segments(dir string) ([]int64, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ns []int64
	for _, de := range des {
		digits, ok := strings.CutPrefix(de.Name(), segmentPrefix)
		if !ok || !de.Type().IsRegular() {
			continue
		}
		if n, err := strconv.ParseInt(digits, 10, 64); err == nil && n > 0 {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	return ns, nil
}

// beginFrame returns b emptied, with room for a frame's header.
func beginFrame(b []byte) []byte {
	return append(b[:0], make([]byte, frameHeader)...)
}

// endFrame fills in the header of the frame that b holds.
func endFrame(b []byte) []byte {
	body := b[frameHeader:]
	binary.LittleEndian.PutUint32(b, uint32(len(body)))
	binary.LittleEndian.PutUint32(b[4:], crc32.Checksum(body, castagnoli))
	return b
}

// frames returns the frames of a segment's bytes, up to the first one cut
// short or damaged, and how many bytes they take.
func frames(data []byte) (out [][]byte, whole int) {
	for len(data)-whole >= frameHeader {
		b := data[whole:]
		n := int64(binary.LittleEndian.Uint32(b))
		if n == 0 || n > int64(len(b)-frameHeader) { // never empty: zeros are not a frame
			break
		}
		body := b[frameHeader : frameHeader+n]
		if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[4:]) {
			break
		}
		out = append(out, body)
		whole += frameHeader + int(n)
	}
	return out, whole
}

// journal is the segment the writes go to. It is not safe for concurrent
// use: the writes take turns (Store.wmu).
//
// A segment is made mapSize long at once (fallocate), zeros, and mapped
// into memory, shared with the file: a frame is then copied in, with no
// system call, into the same page cache that write(2) would have written
// to, which outlives the process as well. Past mapSize, or where the file
// system cannot allocate ahead or map, the frames are written with
// write(2). A segment is cut back to its frames when it is closed; one that
// a crash left at full length ends in zeros, which are no frame.
type journal struct {
	dir     string
	n       int64    // this segment's number
	f       *os.File // nil until its first frame
	m       []byte   // the segment mapped, or nil
	off     int64    // where the next frame goes
	mapSize int64    // 0 for defaultMapSize
}

// defaultMapSize is how much of a segment is mapped: more than the frames
// of foldEvery under the load tests (about 40 bytes a move).
const defaultMapSize = 32 << 20

// write appends a frame to the segment, creating it if need be. If the
// write fails, the file is cut back to its whole frames, and the next frame
// goes where this one was.
func (j *journal) write(frame []byte) error {
	if j.f == nil {
		if err := j.create(); err != nil {
			return err
		}
	}
	if j.m != nil {
		if j.off+int64(len(frame)) <= int64(len(j.m)) {
			copy(j.m[j.off:], frame)
			j.off += int64(len(frame))
			return nil
		}
		j.unmap()
	}
	if _, err := j.f.WriteAt(frame, j.off); err != nil {
		if terr := j.f.Truncate(j.off); terr != nil {
			err = errors.Join(err, terr)
		}
		return err
	}
	j.off += int64(len(frame))
	return nil
}

// full reports whether a frame of n bytes would go past the mapping.
func (j *journal) full(n int) bool {
	return j.m != nil && j.off+int64(n) > int64(len(j.m))
}

// create creates the segment, and maps it if it can.
func (j *journal) create() error {
	f, err := os.OpenFile(segmentPath(j.dir, j.n), os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o640)
	if err != nil {
		return err
	}
	j.f, j.off = f, 0
	size := cmp.Or(j.mapSize, defaultMapSize)
	switch err := syscall.Fallocate(int(f.Fd()), 0, 0, size); {
	case errors.Is(err, syscall.ENOSPC):
		f.Close()
		os.Remove(f.Name())
		j.f = nil
		return err
	case err != nil:
		return nil // write(2) then
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return f.Truncate(0) // write(2) then, from the start
	}
	j.m = m
	return nil
}

// unmap unmaps the segment and cuts it back to its frames.
func (j *journal) unmap() {
	syscall.Munmap(j.m)
	j.m = nil
	j.f.Truncate(j.off) // or it ends in zeros, which are no frame
}

// rotate closes the segment, if it has frames, and starts the next: it
// returns the number of the one closed, or 0.
func (j *journal) rotate() int64 {
	if j.f == nil {
		return 0
	}
	if j.m != nil {
		j.unmap()
	}
	j.f.Close() // nothing buffered to lose: the page cache has it all
	n := j.n
	j.n, j.f, j.off = n+1, nil, 0
	return n
}

// readSegment returns the frames of segment n in dir, and how many bytes at
// its end were not whole frames, zeros aside. A segment that is not there
// has none.
func readSegment(dir string, n int64) ([][]byte, int, error) {
	data, err := os.ReadFile(segmentPath(dir, n))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	out, whole := frames(data)
	// A segment mapped when the process stopped ends in zeros: no frame,
	// and nothing torn either.
	return out, len(bytes.TrimRight(data[whole:], "\x00")), nil
}
