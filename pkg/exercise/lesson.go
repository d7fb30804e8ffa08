package exercise

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Kind says what an exercise asks for.
type Kind int

const (
	// ValueKind asks for a value (a number, a prediction, a set).
	ValueKind Kind = iota + 1
	// FuncKind asks for code: a function, a handler, a strategy.
	FuncKind
	// ModelKind asks for a protocol: node code, model-checked (a lab).
	ModelKind
)

func (k Kind) String() string {
	switch k {
	case ValueKind:
		return "value"
	case FuncKind:
		return "function"
	case ModelKind:
		return "model"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Exercise is one graded question of a lesson. Only this package's types
// (Value, Func, Model) implement it.
type Exercise interface {
	Name() string
	Lesson() *Lesson
	Kind() Kind
	// Points is what the exercise is worth when graded.
	Points() float64
	// VariantOf returns the parameters of student's variant and their
	// description, or ok=false for an exercise without per-student
	// numbers.
	VariantOf(student string) (params any, describe string, ok bool)
	// judge decides on the answer the student's process sends over s.
	judge(s *session, student string, seed uint64) Verdict
}

// header is what every kind of exercise has: its lesson, its name and its
// worth.
type header struct {
	lesson *Lesson
	name   string
	points float64
}

// Name is the exercise's name as the notebook shows it ("Exercise 1").
func (h *header) Name() string { return h.name }

// Lesson is the lesson the exercise belongs to.
func (h *header) Lesson() *Lesson { return h.lesson }

// Points is what a right answer is worth when graded.
func (h *header) Points() float64 { return h.points }

// Lesson is a lesson's set of exercises, in the order the notebook asks
// them.
type Lesson struct {
	ID    string // the notebook's name without .ipynb: "03-timeouts"
	Title string

	mu        sync.Mutex
	exercises []Exercise
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Lesson{}
)

// NewLesson returns the lesson with the notebook name id ("03-timeouts")
// and registers it, so that the judge finds its exercises. Lesson
// packages call it once, in a package-level var; a second lesson with the
// same id is a programming error and panics.
func NewLesson(id, title string) *Lesson {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[id]; dup {
		panic("exercise: lesson " + id + " registered twice")
	}
	l := &Lesson{ID: id, Title: title}
	registry[id] = l
	return l
}

// Lessons returns every registered lesson, sorted by ID.
func Lessons() []*Lesson {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]*Lesson, 0, len(registry))
	for _, l := range registry {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// FindLesson returns the registered lesson id, or nil.
func FindLesson(id string) *Lesson {
	registryMu.Lock()
	defer registryMu.Unlock()
	return registry[id]
}

func (l *Lesson) add(e Exercise) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, old := range l.exercises {
		if old.Name() == e.Name() {
			panic("exercise: " + l.ID + " has two exercises called " + e.Name())
		}
	}
	if GoName(e.Name()) == "" {
		panic("exercise: " + l.ID + ": exercise name " + e.Name() + " has no letters or digits")
	}
	l.exercises = append(l.exercises, e)
}

// Exercises returns the lesson's exercises in the order they were added.
func (l *Lesson) Exercises() []Exercise {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Exercise(nil), l.exercises...)
}

// Exercise returns the exercise called name, or nil.
func (l *Lesson) Exercise(name string) Exercise {
	for _, e := range l.Exercises() {
		if e.Name() == name {
			return e
		}
	}
	return nil
}

// GoName is the name of the Go variable that holds an exercise called
// name: letters and digits of each word, each word capitalised ("Exercise
// 2a" → "Exercise2a", "Warm-up" → "WarmUp"). The course's tools find check
// cells by it.
func GoName(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	s := b.String()
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "X" + s
	}
	return s
}

// ---- results of the checks run in a notebook, for Summary ----------------

// resultsFile is where checks run in a notebook record their verdicts: GoNB
// runs every cell as a new program, in the same temporary directory.
const resultsFile = "course-exercise-results.jsonl"

type record struct {
	Lesson, Name string
	Passed       bool
}

var (
	memMu      sync.Mutex
	memResults = map[[2]string]bool{} // when not in a notebook (go test)
)

func resultsPath() string {
	if dir := os.Getenv("GONB_TMP_DIR"); dir != "" {
		return filepath.Join(dir, resultsFile)
	}
	return ""
}

func remember(lesson, name string, passed bool) {
	p := resultsPath()
	if p == "" {
		memMu.Lock()
		memResults[[2]string{lesson, name}] = passed
		memMu.Unlock()
		return
	}
	{
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return
		}
		defer f.Close()
		b, _ := json.Marshal(record{lesson, name, passed})
		f.Write(append(b, '\n'))
	}
}

func recalled(lesson string) map[string]bool {
	out := map[string]bool{}
	p := resultsPath()
	if p == "" {
		memMu.Lock()
		for k, v := range memResults {
			if k[0] == lesson {
				out[k[1]] = v
			}
		}
		memMu.Unlock()
		return out
	}
	f, err := os.Open(p)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		var r record
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Lesson == lesson {
			out[r.Name] = r.Passed
		}
	}
	return out
}

// Summary prints a ✓/✗ line per exercise of the lesson, from the checks run
// so far in this notebook (a check not run yet shows "·"), and how many are
// right. Under the grader it says that the grader decides.
func (l *Lesson) Summary() {
	if Grading() {
		fmt.Fprintf(stdout(), "Exercises of %s: your answers went to the grader, which decides.\n", l.ID)
		return
	}
	l.WriteSummary(stdout())
}

// WriteSummary writes the summary that Summary prints.
func (l *Lesson) WriteSummary(w io.Writer) {
	got := recalled(l.ID)
	exs := l.Exercises()
	right := 0
	fmt.Fprintf(w, "Exercises of %s · %s\n", l.ID, l.Title)
	for _, e := range exs {
		passed, ran := got[e.Name()]
		switch {
		case !ran:
			fmt.Fprintf(w, "  · %-28s not checked yet: run its check cell\n", e.Name())
		case passed:
			right++
			fmt.Fprintf(w, "  ✓ %s\n", e.Name())
		default:
			fmt.Fprintf(w, "  ✗ %-28s not right yet\n", e.Name())
		}
	}
	fmt.Fprintf(w, "%d of %d right.\n", right, len(exs))
}
