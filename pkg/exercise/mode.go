package exercise

import (
	"fmt"
	"io"
	"os"
)

// GraderSocketEnv names the Unix socket of the judge. The grading sandbox
// sets it; its presence switches checks to handing answers over.
const GraderSocketEnv = "COURSE_GRADER_SOCKET"

// nbgraderEnv is set by nbgrader while it executes a notebook: "validate"
// or "autograde".
const nbgraderEnv = "NBGRADER_EXECUTION"

// LineWidth is the width at which check messages wrap.
const LineWidth = 100

var (
	// out is where checks print when set (tests set it); else os.Stdout,
	// looked up at each call.
	out io.Writer
	// exit ends the program (nbgrader validate); tests replace it.
	exit = os.Exit
)

func stdout() io.Writer {
	if out != nil {
		return out
	}
	return os.Stdout
}

// Grading reports whether the program runs under the course's grader, which
// decides verdicts in its own process.
func Grading() bool { return os.Getenv(GraderSocketEnv) != "" }

// validating reports whether nbgrader's validate runs the notebook: a
// failed visible check then ends the cell with an error, so that validate
// reports it.
func validating() bool { return os.Getenv(nbgraderEnv) == "validate" }

// report prints a verdict, remembers it for Summary and reports whether it
// passed.
func report(lesson, name string, v Verdict) bool {
	fmt.Fprintln(stdout(), v.Line(name, LineWidth))
	remember(lesson, name, v.Passed)
	if !v.Passed && validating() {
		exit(1)
	}
	return v.Passed
}
