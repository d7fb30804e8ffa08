package show

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// out is where Err and Check write; tests replace it.
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

// Check prints the verdict of an exercise check: "✓ name: correct" when err
// is nil, otherwise "✗ name: " followed by what was wrong (the check's
// message says what was expected, what was got, and gives a hint). It
// returns whether the check passed.
func Check(name string, err error) bool {
	if err == nil {
		fmt.Fprintf(out, "✓ %s: correct\n", name)
		return true
	}
	fmt.Fprintf(out, "✗ %s: %s\n", name, err.Error())
	return false
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
