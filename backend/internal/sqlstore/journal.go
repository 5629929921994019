package sqlstore

import (
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
type journal struct {
	dir string
	n   int64    // this segment's number
	f   *os.File // nil until its first frame
	off int64    // where the next frame goes
}

// write appends a frame to the segment, creating it if need be. If the
// write fails, the file is cut back to its whole frames, and the next frame
// goes where this one was.
func (j *journal) write(frame []byte) error {
	if j.f == nil {
		f, err := os.OpenFile(segmentPath(j.dir, j.n), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if err != nil {
			return err
		}
		j.f, j.off = f, 0
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

// rotate closes the segment, if it has frames, and starts the next: it
// returns the number of the one closed, or 0.
func (j *journal) rotate() int64 {
	if j.f == nil {
		return 0
	}
	j.f.Close() // written with write(2): nothing buffered to lose
	n := j.n
	j.n, j.f, j.off = n+1, nil, 0
	return n
}

// readSegment returns the frames of segment n in dir, and how many bytes at
// its end were not whole frames. A segment that is not there has none.
func readSegment(dir string, n int64) ([][]byte, int, error) {
	data, err := os.ReadFile(segmentPath(dir, n))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	out, whole := frames(data)
	return out, len(data) - whole, nil
}
