package show

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// out is where Err writes; tests replace it.
var out io.Writer = os.Stdout

// Err prints err as one line, "error: …", and reports whether there was an
// error, so that a notebook cell can stop early with a clear message instead
// of a panic and a stack trace:
//
//	run, err := lamport.Replay(h)
//	if show.Err(err) {
//		return
//	}
func Err(err error) bool {
	if err == nil {
		return false
	}
	fmt.Fprintf(out, "error: %s\n", oneLine(err.Error()))
	return true
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
