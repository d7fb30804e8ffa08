package show

import (
	"os"
	"testing"
	"time"
)

// waitRead returns once the pipe's reader has taken everything written,
// and not before.
func TestWaitReadWaitsForTheReader(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, err := w.WriteString("seed 1\n"); err != nil {
		t.Fatal(err)
	}
	if n, ok := unread(w); !ok || n != 7 {
		t.Fatalf("unread = %d, %v; want 7 bytes", n, ok)
	}
	read := make(chan time.Time, 1)
	go func() {
		time.Sleep(50 * time.Millisecond)
		buf := make([]byte, 16)
		read <- time.Now() // buffered: sent before the read
		r.Read(buf)
	}()
	waitRead(w, 5*time.Second)
	done := time.Now()
	select {
	case at := <-read:
		if done.Before(at) {
			t.Fatalf("waitRead returned %v before the reader read", at.Sub(done))
		}
	case <-time.After(time.Second):
		t.Fatal("waitRead returned while the bytes were still unread")
	}
	if n, ok := unread(w); !ok || n != 0 {
		t.Fatalf("unread after the read = %d, %v; want 0", n, ok)
	}
}

// Nobody reading: waitRead gives up after its limit. Not a pipe: at once.
func TestWaitReadIsBounded(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	w.WriteString("nobody reads this")
	start := time.Now()
	waitRead(w, 30*time.Millisecond)
	if d := time.Since(start); d < 30*time.Millisecond || d > 2*time.Second {
		t.Fatalf("waitRead with no reader took %v; want about its 30ms limit", d)
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("a file, not a pipe")
	if _, ok := unread(f); ok {
		t.Fatal("unread counted bytes of a regular file")
	}
	start = time.Now()
	waitRead(f, 5*time.Second)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("waitRead on a regular file took %v", d)
	}
}
