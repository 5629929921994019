package solver

import (
	"syscall"
	"unsafe"
)

// adviseHugePages asks Linux to back the table with 2 MiB pages where it can.
// The table is read at random, so with 4 KiB pages nearly every probe also
// misses the TLB; huge pages make probes about twice as fast. It is advice
// only: if the kernel declines, nothing changes.
func adviseHugePages(entries []uint64) {
	const huge = 2 << 20
	if len(entries)*8 < 2*huge {
		return
	}
	start := uintptr(unsafe.Pointer(&entries[0]))
	end := start + uintptr(len(entries))*8
	first := (start + huge - 1) &^ (huge - 1)
	last := end &^ (huge - 1)
	if last <= first {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(&entries[0]), first-start)), last-first)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
