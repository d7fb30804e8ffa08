//go:build !linux

package show

import (
	"os"
	"time"
)

// waitRead does nothing where the unread bytes of a pipe cannot be counted.
func waitRead(f *os.File, limit time.Duration) {}
