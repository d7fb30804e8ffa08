package exercise

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/dslessons/course/pkg/mcheck"
)

// ModelSpec defines a lab exercise: the answer is node code of type F (a
// node type's constructor, a set of handlers) that the model checker
// (package mcheck) explores in scenarios of type S. S must survive a JSON
// round trip: under the grader the judge picks the scenarios and the
// student's process builds and serves them.
type ModelSpec[F, S any] struct {
	// Build makes the model of scenario s from the student's answer. It
	// runs where the student's code runs.
	Build func(answer F, s S) (*mcheck.Model, error)
	// Registry lists the lab's message and output types (both sides need
	// the same).
	Registry func() *mcheck.Registry
	// Visible is the scenario the notebook checks (small bounds).
	Visible Scenario[S]
	// MoreVisible lists further scenarios the notebook checks after
	// Visible, as the grader does: a goal search ("some run elects a
	// leader") next to a safety search, which one search cannot do.
	MoreVisible []Scenario[S]
	// Hidden draws the grader's further scenarios (larger bounds, other
	// seeds) from rng, seeded at grading time.
	Hidden func(rng *rand.Rand) []Scenario[S]
	// Judge turns a search's report into a verdict (nil: Passed and
	// GoalReached pass; anything else fails with the report's transcript).
	Judge func(s S, r *mcheck.Report) Verdict
	// Show draws a failing run in the notebook (optional; the lab package
	// supplies it, since drawing needs packages this one avoids).
	Show func(m *mcheck.Model, r *mcheck.Report)
	// Points is what a passing answer is worth when graded (default 1).
	Points float64
}

// Scenario is one model-checking task of a lab: what to build and how to
// search it.
type Scenario[S any] struct {
	Name string // "3 messages, loss 2, duplication 1"
	In   S
	// Options returns the search's options: properties, fault budgets and
	// limits. It runs in the process that searches (the judge under the
	// grader), never in the student's.
	Options func(s S) mcheck.Options
}

// Model is a lab exercise: node code, model-checked.
type Model[F, S any] struct {
	header
	spec ModelSpec[F, S]
}

// NewModel defines the lab exercise name of lesson l; a nil Build,
// Registry or scenario Options is a programming error and panics.
func NewModel[F, S any](l *Lesson, name string, spec ModelSpec[F, S]) *Model[F, S] {
	if l == nil || spec.Build == nil || spec.Registry == nil || spec.Visible.Options == nil {
		panic("exercise: NewModel " + name + " needs a lesson, Build, Registry and Visible.Options")
	}
	for _, sc := range spec.MoreVisible {
		if sc.Options == nil {
			panic("exercise: NewModel " + name + ": scenario " + sc.Name + " has no Options")
		}
	}
	if spec.Points == 0 {
		spec.Points = 1
	}
	e := &Model[F, S]{header: header{lesson: l, name: name, points: spec.Points}, spec: spec}
	l.add(e)
	return e
}

// Kind is ModelKind.
func (e *Model[F, S]) Kind() Kind { return ModelKind }

// VariantOf reports ok=false: labs have no per-student numbers.
func (e *Model[F, S]) VariantOf(string) (any, string, bool) { return nil, "", false }

func (e *Model[F, S]) verdict(s S, r *mcheck.Report) Verdict {
	if e.spec.Judge != nil {
		return e.spec.Judge(s, r)
	}
	switch r.Outcome {
	case mcheck.Passed, mcheck.GoalReached:
		return Right()
	case mcheck.Violated:
		return Verdict{Why: fmt.Sprintf("%q fails after step %d of the run shown", r.Property, r.Step()),
			Hint: "follow the run step by step: which message or timer does your code handle wrongly?", Case: r.String()}
	case mcheck.GoalNotReached:
		return Verdict{Why: fmt.Sprintf("no run reaches %q", r.Property), Case: r.String()}
	case mcheck.LimitReached:
		return Verdict{Why: "the search hit a limit before it could decide (" + r.Limit + ")",
			Hint: "keep your nodes' state bounded: a counter or log that grows forever makes the state space infinite", Case: r.String()}
	}
	return Verdict{Why: r.Outcome.String() + ": " + r.Property, Case: r.String()}
}

// Search model-checks the answer on one scenario in this process and
// returns the model (for drawing) and the report.
func (e *Model[F, S]) Search(answer F, sc Scenario[S]) (m *mcheck.Model, r *mcheck.Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("your code panicked while the model was built: %v", p)
		}
	}()
	m, err = e.spec.Build(answer, sc.In)
	if err != nil {
		return nil, nil, err
	}
	r, err = mcheck.Check(m, sc.Options(sc.In))
	return m, r, err
}

// VerdictOf checks the answer in this process on the visible scenarios, and
// on the hidden ones drawn with seed too when hidden is true (tests use
// it): the first failing scenario's verdict, or Right.
func (e *Model[F, S]) VerdictOf(answer F, hidden bool, seed uint64) Verdict {
	for _, sc := range e.Scenarios(hidden, seed) {
		_, r, err := e.Search(answer, sc)
		if err != nil {
			return Wrong(err.Error(), "")
		}
		if v := e.verdict(sc.In, r); !v.Passed {
			v.Why = scenarioWhy(sc.Name, v.Why)
			return v
		}
	}
	return Right()
}

// visible returns the scenarios the notebook checks.
func (e *Model[F, S]) visible() []Scenario[S] {
	return append([]Scenario[S]{e.spec.Visible}, e.spec.MoreVisible...)
}

// Scenarios returns the visible scenarios and, when hidden is true, the
// hidden ones the grader draws with seed (for tests and benchmarks).
func (e *Model[F, S]) Scenarios(hidden bool, seed uint64) []Scenario[S] {
	scs := e.visible()
	if hidden && e.spec.Hidden != nil {
		scs = append(scs, e.spec.Hidden(rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)))...)
	}
	return scs
}

func scenarioWhy(name, why string) string {
	if name == "" {
		return why
	}
	return "in the scenario " + name + ": " + why
}

// Check model-checks the answer on the visible scenarios, prints the report
// (for a violation: a shortest failing schedule) and the verdict, draws
// the failing run, and reports whether it passed. Under the grader it
// builds and serves the judge's scenarios instead, and reports true; the
// judge searches and decides.
func (e *Model[F, S]) Check(answer F) bool {
	if Grading() {
		n, err := serveModel(e, answer)
		if err != nil {
			fmt.Fprintf(stdout(), "%s: the grader's session ended with an error: %v\n", e.name, err)
			return false
		}
		fmt.Fprintf(stdout(), "%s: your nodes answered the grader's searches (%d scenarios).\n", e.name, n)
		return true
	}
	scs := e.visible()
	for _, sc := range scs {
		m, r, err := e.Search(answer, sc)
		if err != nil {
			return report(e.lesson.ID, e.name, Wrong(err.Error(), "fix the error, then run this cell again"))
		}
		if len(scs) > 1 {
			fmt.Fprintf(stdout(), "scenario %s:\n", sc.Name)
		}
		fmt.Fprint(stdout(), r.String())
		v := e.verdict(sc.In, r)
		if v.Passed {
			continue
		}
		if len(scs) > 1 {
			v.Why = scenarioWhy(sc.Name, v.Why)
		}
		v.Case = "" // the transcript is printed above
		report(e.lesson.ID, e.name, v)
		if e.spec.Show != nil && r.Outcome != mcheck.LimitReached {
			e.spec.Show(m, r)
		}
		return false
	}
	ok := report(e.lesson.ID, e.name, Right())
	fmt.Fprintln(stdout(), Wrap("  The grader also searches scenarios you do not see (larger bounds, other seeds): "+
		"try your nodes with other settings in the try-it cell too.", LineWidth, "  "))
	return ok
}

// ---- under the grader ---------------------------------------------------------------------

// readWriter joins a buffered reader (which may hold bytes already read)
// and the connection it reads from, without exposing Close.
type readWriter struct {
	io.Reader
	io.Writer
}

// serveModel answers the judge's scenarios, one connection each, until the
// judge says it is done; it returns how many it served.
func serveModel[F, S any](e *Model[F, S], answer F) (int, error) {
	n := 0
	for start := true; ; start = false {
		c, err := dial()
		if err != nil {
			return n, err
		}
		done, err := serveScenario(c, e, answer, start)
		c.c.Close()
		if err != nil || done {
			return n, err
		}
		n++
		if n > maxScenarios {
			return n, fmt.Errorf("more than %d scenarios", maxScenarios)
		}
	}
}

// maxScenarios bounds the scenarios of one lab exercise.
const maxScenarios = 64

func serveScenario[F, S any](c *conn, e *Model[F, S], answer F, start bool) (done bool, err error) {
	deadline := time.Now().Add(studentSessionLimit)
	hello := message{Op: "hello", Lesson: e.lesson.ID, Exercise: e.name, Kind: ModelKind.String()}
	if start {
		hello.Msg = "start"
	}
	if err := c.write(hello, deadline); err != nil {
		return false, err
	}
	m, err := c.read(deadline)
	if err != nil {
		return false, err
	}
	switch m.Op {
	case "done":
		return true, nil
	case "scenario":
	default:
		return false, fmt.Errorf("the grader answered %q: %s", m.Op, m.Msg)
	}
	var s S
	if err := json.Unmarshal(m.In, &s); err != nil {
		return false, c.write(message{Op: "fail", Msg: "scenario could not be read: " + err.Error()}, deadline)
	}
	model, err := buildSafely(e.spec.Build, answer, s)
	if err != nil {
		return false, c.write(message{Op: "fail", Msg: err.Error()}, deadline)
	}
	if err := c.write(message{Op: "ready"}, deadline); err != nil {
		return false, err
	}
	c.c.SetDeadline(time.Time{})
	err = mcheck.Serve(readWriter{c.r, c.c}, model, e.spec.Registry())
	return false, err
}

func buildSafely[F, S any](build func(F, S) (*mcheck.Model, error), answer F, s S) (m *mcheck.Model, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("your code panicked while the model was built: %v", p)
		}
	}()
	return build(answer, s)
}

// modelProgress is the judge's state of one lab exercise across the
// connections of its scenarios.
type modelProgress struct {
	next    int
	verdict Verdict
}

// judgeModel serves one connection: the next scenario, searched through
// the student's process. It reports the verdict when all scenarios are
// done (final), or after the first failing one.
func (e *Model[F, S]) judgeModel(s *session, start bool, progress *modelProgress, seed uint64, stepTimeout time.Duration) (Verdict, bool) {
	scs := e.Scenarios(true, seed)
	if start {
		*progress = modelProgress{verdict: Right()}
	}
	if progress.next >= len(scs) || !progress.verdict.Passed {
		s.c.write(message{Op: "done"}, time.Now().Add(time.Second))
		if progress.next == 0 && progress.verdict.Passed {
			return Wrong("no scenario was searched", ""), true
		}
		return progress.verdict, true
	}
	sc := scs[progress.next]
	progress.next++
	fail := func(v Verdict) (Verdict, bool) {
		v.Why = scenarioWhy(sc.Name, v.Why)
		progress.verdict = v
		return v, false
	}
	raw, err := json.Marshal(sc.In)
	if err != nil {
		return fail(Wrong("exercise: scenario cannot be encoded: "+err.Error(), ""))
	}
	if err := s.c.write(message{Op: "scenario", In: raw}, time.Now().Add(10*time.Second)); err != nil {
		return fail(Wrong("your program stopped answering: "+err.Error(), ""))
	}
	m, err := s.c.read(time.Now().Add(time.Minute))
	if err != nil {
		return fail(Wrong("your program stopped answering: "+err.Error(), ""))
	}
	if m.Op != "ready" {
		return fail(Wrong(truncate(m.Msg, 2000), "run the lab's check cell in the notebook to see it happen"))
	}
	s.c.c.SetDeadline(s.deadline)
	remote, err := mcheck.Dial(readWriter{s.c.r, s.c.c}, e.spec.Registry(), stepTimeout)
	if err != nil {
		return fail(Wrong("the search could not start: "+err.Error(), ""))
	}
	defer remote.Close()
	opts := sc.Options(sc.In)
	if opts.MaxTime == 0 || opts.MaxTime > time.Until(s.deadline) {
		opts.MaxTime = time.Until(s.deadline)
	}
	r, err := mcheck.Check(remote, opts)
	if err != nil {
		return fail(Wrong(truncate(err.Error(), 2000), ""))
	}
	if v := e.verdict(sc.In, r); !v.Passed {
		return fail(v)
	}
	if progress.next >= len(scs) {
		return progress.verdict, true
	}
	return Wrong(fmt.Sprintf("only %d of %d scenarios were searched", progress.next, len(scs)),
		"the grader stopped before the end: did the notebook run out of time?"), false
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// judge is not used for labs: the judge calls judgeModel per connection.
func (e *Model[F, S]) judge(*session, string, uint64) Verdict {
	return Wrong("exercise: a lab is judged scenario by scenario", "")
}
