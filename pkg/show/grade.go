package show

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
)

// Grading with nbgrader (see coursework/ and docs/authoring-notebooks.md).
//
// nbgrader runs every cell of a submitted notebook and gives a test cell
// full marks unless the cell ends in an error or writes to stderr. Check only
// prints a verdict, so nbgrader's test cells call Require as well (in their
// hidden part): under the grader a failed Require ends the cell's program
// with exit status 1, which GoNB reports as an error.
//
// A cell whose program ends early (os.Exit(0) in the student's code, say)
// shows no error either. So that such a cell does not count as passed, the
// grader puts a fresh secret key in the kernel's environment (GraderKeyEnv),
// a passed Require prints a stamp line made with that key (StampPrefix, the
// check's name and an HMAC of it), and the grader gives the points only for a
// valid stamp; it removes the stamp lines from the feedback.

// GradingEnv is the environment variable nbgrader sets while it executes a
// notebook ("autograde" or "validate").
const GradingEnv = "NBGRADER_EXECUTION"

// GraderKeyEnv is the environment variable through which the grader passes
// the stamp key. This package reads it when the program starts and removes
// it from the environment before any code of the notebook runs.
const GraderKeyEnv = "COURSE_GRADER_KEY"

// StampPrefix starts the line a passed Require prints under the grader:
// "grader-stamp <hex HMAC-SHA256(key, name)> <name>".
const StampPrefix = "grader-stamp "

var (
	grading   = os.Getenv(GradingEnv) != ""
	graderKey = os.Getenv(GraderKeyEnv)
	// exit ends the program; tests replace it.
	exit = os.Exit
)

func init() {
	// Code in the notebook runs after this package's initialisation, so it
	// cannot read the key from the environment.
	os.Unsetenv(GraderKeyEnv)
}

// Grading reports whether the program runs under nbgrader (autograde or
// validate).
func Grading() bool { return grading }

// Stamp returns the stamp of a passed check called name, made with key: the
// hex HMAC-SHA256 of name. The grader computes the same value to accept it.
func Stamp(key, name string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(name))
	return hex.EncodeToString(m.Sum(nil))
}

// Require is Check for the test cells of graded notebooks.
//
// In a notebook that is not being graded it is Check: it prints "✓ name:
// correct" or "✗ name: …" and reports whether the check passed.
//
// Under the grader, a failed check prints "✗ name: …" (what was expected,
// what was got, and a hint) and ends the cell's program with exit status 1,
// so nbgrader sees an error and gives the cell no points. A passed check
// prints a stamp line for the grader (or "✓ name: correct" if the grader gave
// no key). Require never writes to stderr.
func Require(name string, err error) bool {
	if !grading {
		return Check(name, err)
	}
	if err != nil {
		fmt.Fprintf(out, "✗ %s: %s\n", name, err.Error())
		exit(1)
		return false
	}
	if graderKey == "" {
		fmt.Fprintf(out, "✓ %s: correct\n", name)
		return true
	}
	fmt.Fprintf(out, "%s%s %s\n", StampPrefix, Stamp(graderKey, name), name)
	return true
}
