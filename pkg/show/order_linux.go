package show

import (
	"os"
	"syscall"
	"time"
	"unsafe"
)

// unread reports how many bytes written to f (a pipe) its reader has not
// read yet; ok is false when f is not a pipe or the count is unavailable.
func unread(f *os.File) (n int, ok bool) {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return 0, false
	}
	var count int32
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TIOCINQ, uintptr(unsafe.Pointer(&count)))
	if errno != 0 {
		return 0, false
	}
	return int(count), true
}

// waitRead waits until f's reader has read everything written to f, or
// until limit has passed, whichever comes first.
func waitRead(f *os.File, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for {
		n, ok := unread(f)
		if !ok || n == 0 || time.Now().After(deadline) {
			return
		}
		time.Sleep(200 * time.Microsecond)
	}
}
