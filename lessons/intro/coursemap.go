package intro

import (
	"fmt"
	"html"
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

// Notebook is one entry of the course map: a lesson (or a lab).
type Notebook struct {
	File     string    // notebook file name in notebooks/, e.g. "07-logical-time-lamport.ipynb"; it starts with the number shown in the map
	Title    string    // short title
	Outcome  string    // what the reader can do afterwards (one line)
	Problems []Problem // the problems it addresses; Foundations for the opening
}

// Name is the file name without ".ipynb".
func (l Notebook) Name() string { return strings.TrimSuffix(l.File, ".ipynb") }

// IsLab reports whether the notebook is a lab ("lab-NN-words.ipynb",
// following lesson NN).
func (l Notebook) IsLab() bool { return strings.HasPrefix(l.File, "lab-") }

// Number is how the map numbers the notebook: "04" for a lesson, "lab 04"
// for the lab that follows lesson 04.
func (l Notebook) Number() string {
	name := strings.TrimPrefix(l.File, "lab-")
	num, _, _ := strings.Cut(name, "-")
	if l.IsLab() {
		return "lab " + num
	}
	return num
}

// lessons is the course in reading order. It lists exactly the notebooks
// that exist in notebooks/ (a test checks this, and that the README's
// lesson table agrees). To add a lesson or a lab, add one line here in
// reading order (file, title, outcome, problems), paste ReadmeLessonsTable
// into the README, and re-execute notebooks/00-course-map.ipynb: the list,
// the links, the picture and the problem index follow from this table.
var lessons = []Notebook{
	{"00-course-map.ipynb", "Course map",
		"find your way: the lessons in order and the problem each one tackles", []Problem{Foundations}},
	{"01-introduction.ipynb", "Introduction",
		"say what makes a system distributed, why we build them anyway, test each fallacy of distributed computing on a simulator, and predict how long a message waits on an overloaded link",
		[]Problem{Foundations}},
	{"02-partial-failures.ipynb", "Partial failures and the asynchronous model",
		"show that a lost request, a crashed server and a lost reply look the same to a client, and make retried requests take effect exactly once",
		[]Problem{PartialFailures}},
	{"03-timeouts.ipynb", "Timeouts",
		"explain why delays have no upper bound, link a timeout to its false-timeout rate, and compute and code TCP's adaptive retransmission timeout",
		[]Problem{PartialFailures, UnreliableNetworks}},
	{"04-retries-and-backoff.ipynb", "Retries and back-off",
		"tell the four back-off rules apart, count the work clients waste retrying in step, and measure in Brooker's experiment what jitter saves and what it does not",
		[]Problem{PartialFailures, UnreliableNetworks}},
	{"lab-04-exactly-once-delivery.ipynb", "Lab: exactly-once delivery",
		"build a sender and a receiver that deliver every message exactly once and in order over a lossy, duplicating link, and read the model checker's shortest counterexample when they do not",
		[]Problem{PartialFailures, UnreliableNetworks}},
	{"05-network-failures-in-practice.ipynb", "Network failures in practice",
		"quote and question how often real data-centre networks fail, compute availability from MTBF and the mean repair time, and say why correlated failures blunt redundancy",
		[]Problem{UnreliableNetworks}},
	{"06-time-in-computers.ipynb", "Time in computers",
		"tell wall-clock from monotonic time, compute clock drift and NTP offset and delay, discipline a clock's frequency, and say when synchronised clocks can order events",
		[]Problem{UnreliableTime}},
	{"07-logical-time-lamport.ipynb", "Logical time and Lamport timestamps",
		"define happens-before, run Lamport clocks by hand and by program, explain why LT(a) < LT(b) does not mean a → b, build a total order all nodes agree on, and draw a run in ShiViz",
		[]Problem{UnreliableTime}},
	{"08-vector-clocks.ipynb", "Vector clocks",
		"apply and compare vector clocks by hand, check that they capture happens-before exactly, estimate their cost as systems grow, and compare them with hybrid logical clocks",
		[]Problem{UnreliableTime}},
	{"09-what-is-true.ipynb", "What is true in a distributed system?",
		"explain why two parties on a lossy channel can never be sure they agree, compute the odds of a messenger protocol, and say what reliable delivery, more parties and voting do and do not fix",
		[]Problem{NoSingleTruth}},
	{"10-byzantine-generals.ipynb", "Byzantine generals",
		"run the oral-messages algorithm OM(m) and change its recursion, show by exhaustive search why n > 3m generals are needed against m traitors, and say when signatures lift that bound",
		[]Problem{NoSingleTruth}},
	{"11-voting-and-leader-election.ipynb", "Voting and leader election",
		"check that quorums intersect and what R + W > N does and does not guarantee, run a Raft-style leader election with your own vote handlers, and show why electing without a majority gives two leaders",
		[]Problem{NoSingleTruth, DifferentOpinions}},
	{"lab-11-leader-election.ipynb", "Lab: leader election",
		"build leader election with terms and votes, and let a model checker search every interleaving, loss and crash for two leaders in one term",
		[]Problem{NoSingleTruth}},
	{"12-ordering-messages.ipynb", "Ordering messages",
		"keep messages in order with FIFO channels, show where receiver-side ordering and synchronised clocks stop working, and build causal and totally ordered broadcast and Lamport's mutual exclusion",
		[]Problem{UnreliableNetworks, UnreliableTime}},
	{"lab-12-totally-ordered-broadcast.ipynb", "Lab: totally ordered broadcast",
		"build totally ordered broadcast with Lamport clocks so that every member delivers the same sequence, checked over every interleaving",
		[]Problem{UnreliableTime, DifferentOpinions}},
	{"13-replicated-state-machines.ipynb", "Replicated state machines",
		"explain why a replicated log gives replicated state, run Raft's log replication through crashes and partitions with its safety properties checked, and compare it with etcd's production Raft",
		[]Problem{NoSingleTruth, DifferentOpinions}},
	{"14-committing-a-transaction.ipynb", "Committing a transaction",
		"run two-phase commit through participant and coordinator crashes, measure how long a crashed coordinator blocks, and show how a consensus group removes the blocking",
		[]Problem{PartialFailures, NoSingleTruth}},
	{"lab-14-two-phase-commit.ipynb", "Lab: two-phase commit",
		"build a two-phase commit coordinator and participants that keep atomicity through crashes and losses, and watch the model checker show why a crashed coordinator blocks",
		[]Problem{PartialFailures, NoSingleTruth}},
}

// Lessons returns the course map in reading order.
func Lessons() []Notebook { return slices.Clone(lessons) }

// LessonsFor returns the lessons that address problem p, in reading order.
func LessonsFor(p Problem) []Notebook {
	var out []Notebook
	for _, l := range lessons {
		if slices.Contains(l.Problems, p) {
			out = append(out, l)
		}
	}
	return out
}

// CourseMapTable returns the course map as a table: number, notebook,
// problem(s) and what the reader can do afterwards (the text form of
// CourseMapHTML).
func CourseMapTable() (header []string, rows [][]string) {
	header = []string{"#", "notebook", "problem", "afterwards you can"}
	for _, l := range lessons {
		var ps []string
		for _, p := range l.Problems {
			ps = append(ps, p.String())
		}
		rows = append(rows, []string{l.Number(), l.Name(), strings.Join(ps, ", "), l.Outcome})
	}
	return header, rows
}

// CourseMapHTML returns the course map as an HTML table whose lesson
// names link to the notebooks (relative links, which work in JupyterLab
// and on GitHub from notebooks/00-course-map.ipynb).
func CourseMapHTML() string {
	var b strings.Builder
	b.WriteString("<table style=\"margin-left:0\">\n<thead><tr><th align=\"left\" style=\"text-align:left\">#</th>" +
		"<th align=\"left\" style=\"text-align:left\">lesson</th><th align=\"left\" style=\"text-align:left\">problem</th>" +
		"<th align=\"left\" style=\"text-align:left\">afterwards you can</th></tr></thead>\n<tbody>\n")
	for _, l := range lessons {
		var ps []string
		for _, p := range l.Problems {
			ps = append(ps, p.String())
		}
		num := l.Number()
		td := `<td align="left" style="text-align:left">`
		fmt.Fprintf(&b, "<tr>%s%s</td>%s<a href=\"%s\">%s</a></td>%s%s</td>%s%s</td></tr>\n",
			td, html.EscapeString(num), td, html.EscapeString(l.File), html.EscapeString(l.Title),
			td, html.EscapeString(strings.Join(ps, ", ")), td, html.EscapeString(l.Outcome))
	}
	b.WriteString("</tbody>\n</table>\n")
	return b.String()
}

// ProblemsTable lists the five problems, what each is, and the lessons
// that address it (by notebook name).
func ProblemsTable() (header []string, rows [][]string) {
	header = []string{"#", "problem", "what goes wrong", "lessons"}
	for i, p := range Problems() {
		var names []string
		for _, l := range LessonsFor(p) {
			names = append(names, l.Name())
		}
		ls := strings.Join(names, ", ")
		if ls == "" {
			ls = "(being written)"
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), p.String(), p.What(), ls})
	}
	return header, rows
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
