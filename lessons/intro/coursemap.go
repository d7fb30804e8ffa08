package intro

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Problem is one of the five problems the course is organised around.
type Problem int

// The five problems, in the order the course meets them. Foundations
// marks the lessons that come before all of them.
const (
	Foundations Problem = iota
	PartialFailures
	UnreliableNetworks
	UnreliableTime
	NoSingleTruth
	DifferentOpinions
)

var problemNames = [...]string{"foundations", "partial failures", "unreliable networks",
	"unreliable time", "no single source of truth", "different opinions"}

var problemWhat = [...]string{
	"",
	"some parts of the system fail while the rest keeps running, and nobody can tell for sure which",
	"messages are lost, delayed, duplicated and reordered, and links are cut",
	"clocks drift and jump, so timestamps from different nodes cannot order events",
	"nodes must agree on one version of the truth although some may be faulty or cut off",
	"replicas answer the same question differently unless the system guarantees consistency",
}

func (p Problem) String() string {
	if p >= 0 && int(p) < len(problemNames) {
		return problemNames[p]
	}
	return fmt.Sprintf("Problem(%d)", int(p))
}

// What says in one line what the problem is.
func (p Problem) What() string {
	if p >= 0 && int(p) < len(problemWhat) {
		return problemWhat[p]
	}
	return ""
}

// Problems lists the five problems in order (without Foundations).
func Problems() []Problem {
	return []Problem{PartialFailures, UnreliableNetworks, UnreliableTime, NoSingleTruth, DifferentOpinions}
}

// Lesson is one entry of the course map.
type Lesson struct {
	File     string    // notebook file name in notebooks/, e.g. "07-logical-time-lamport.ipynb"
	Title    string    // short title
	Outcome  string    // what the reader can do afterwards (one line)
	Problems []Problem // the problems it addresses; Foundations for the opening
}

// Name is the file name without ".ipynb".
func (l Lesson) Name() string { return strings.TrimSuffix(l.File, ".ipynb") }

// lessons is the course in reading order. It lists exactly the notebooks
// that exist in notebooks/ (a test checks this, and that the README's
// lesson table agrees): add a line here when a lesson is added.
var lessons = []Lesson{
	{"00-course-map.ipynb", "Course map",
		"find your way: the lessons in order and the problem each one tackles", []Problem{Foundations}},
	{"01-introduction.ipynb", "Introduction",
		"say what makes a system distributed, why we build them anyway, and test each fallacy of distributed computing on a simulator",
		[]Problem{Foundations}},
	{"02-partial-failures.ipynb", "Partial failures and the asynchronous model",
		"show that a lost request, a crashed server and a lost reply look the same to a client, and make retried requests take effect exactly once",
		[]Problem{PartialFailures}},
	{"03-timeouts.ipynb", "Timeouts",
		"explain why delays have no upper bound, link a timeout to its false-timeout rate, and compute TCP's adaptive retransmission timeout",
		[]Problem{PartialFailures, UnreliableNetworks}},
	{"04-retries-and-backoff.ipynb", "Retries and back-off",
		"compute capped exponential back-off with and without jitter, and measure how much work and time jitter saves when many clients retry",
		[]Problem{PartialFailures, UnreliableNetworks}},
	{"05-network-failures-in-practice.ipynb", "Network failures in practice",
		"quote how often real data-centre networks fail, compute availability from MTBF and MTTR, and say why correlated failures blunt redundancy",
		[]Problem{UnreliableNetworks}},
	{"06-time-in-computers.ipynb", "Time in computers",
		"tell wall-clock from monotonic time, compute clock drift and NTP offset and delay, and say when synchronised clocks can order events",
		[]Problem{UnreliableTime}},
	{"07-logical-time-lamport.ipynb", "Logical time and Lamport timestamps",
		"define happens-before, run Lamport clocks by hand and by program, explain why LT(a) < LT(b) does not mean a → b, and build a total order all nodes agree on",
		[]Problem{UnreliableTime}},
	{"08-vector-clocks.ipynb", "Vector clocks",
		"apply and compare vector clocks by hand, check that they capture happens-before exactly, and estimate their cost as systems grow",
		[]Problem{UnreliableTime}},
	{"09-what-is-true.ipynb", "What is true in a distributed system?",
		"explain why two parties on a lossy channel can never be sure they agree, compute the odds of a messenger protocol, and use the practical work-arounds",
		[]Problem{NoSingleTruth}},
	{"10-byzantine-generals.ipynb", "Byzantine generals",
		"run the oral-messages algorithm OM(m), show by exhaustive search why n > 3m generals are needed against m traitors, and how signatures lift that bound",
		[]Problem{NoSingleTruth}},
	{"11-voting-and-leader-election.ipynb", "Voting and leader election",
		"check that quorums intersect, run a Raft-style leader election, and show why electing without a majority gives two leaders",
		[]Problem{NoSingleTruth, DifferentOpinions}},
}

// Lessons returns the course map in reading order.
func Lessons() []Lesson { return slices.Clone(lessons) }

// LessonsFor returns the lessons that address problem p, in reading order.
func LessonsFor(p Problem) []Lesson {
	var out []Lesson
	for _, l := range lessons {
		if slices.Contains(l.Problems, p) {
			out = append(out, l)
		}
	}
	return out
}

// CourseMapTable returns the course map as a table: number, notebook,
// problem(s) and what the reader can do afterwards.
func CourseMapTable() (header []string, rows [][]string) {
	header = []string{"#", "notebook", "problem", "afterwards you can"}
	for _, l := range lessons {
		var ps []string
		for _, p := range l.Problems {
			ps = append(ps, p.String())
		}
		rows = append(rows, []string{l.File[:2], l.Name(), strings.Join(ps, ", "), l.Outcome})
	}
	return header, rows
}

// WriteCourseMap writes the course map as a plain-text list to w: one
// lesson per paragraph, so long outcomes stay readable in a notebook.
func WriteCourseMap(w io.Writer) error {
	var b strings.Builder
	for _, l := range lessons {
		var ps []string
		for _, p := range l.Problems {
			ps = append(ps, p.String())
		}
		fmt.Fprintf(&b, "%s  %s  [%s]\n    afterwards you can %s\n", l.File[:2], l.Title, strings.Join(ps, ", "), l.Outcome)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteProblems writes the five problems, each with the lessons that
// address it (by notebook file name), to w.
func WriteProblems(w io.Writer) error {
	var b strings.Builder
	for i, p := range Problems() {
		fmt.Fprintf(&b, "%d. %s: %s\n", i+1, p, p.What())
		ls := LessonsFor(p)
		if len(ls) == 0 {
			b.WriteString("   lessons: (being written)\n")
			continue
		}
		var names []string
		for _, l := range ls {
			names = append(names, l.File)
		}
		fmt.Fprintf(&b, "   lessons: %s\n", strings.Join(names, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ReadmeLessonsTable returns the Markdown table of the README's "Lessons"
// section, generated from the course map.
func ReadmeLessonsTable() string {
	var b strings.Builder
	b.WriteString("| notebook | what you will be able to do afterwards |\n|---|---|\n")
	for _, l := range lessons {
		fmt.Fprintf(&b, "| [`%s`](notebooks/%s) | %s |\n", l.Name(), l.File, l.Outcome)
	}
	return b.String()
}
