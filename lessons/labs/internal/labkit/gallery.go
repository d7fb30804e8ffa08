package labkit

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
)

// Entry is a lab's name for one entry of its gallery of broken
// implementations, numbered from 0 (the labs' Bug types).
type Entry interface {
	~int
	fmt.Stringer
}

// Gallery is a lab's gallery cell: b must be one of the lab's n entries
// (0 to n−1; else an error prefixed by lab); build makes its model.
// Gallery writes "gallery: <b>" to w, then searches, reports and draws as
// Explain does, drawing with draw (nil: Show).
func Gallery[B Entry](w io.Writer, lab string, b, n B, build func(B) (*mcheck.Model, error), opt mcheck.Options,
	draw func(*mcheck.Model, *mcheck.Report)) (*mcheck.Report, error) {
	if b < 0 || b >= n {
		return nil, fmt.Errorf("%s: no gallery entry %d (0 to %d)", lab, int(b), int(n)-1)
	}
	m, err := build(b)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "gallery: %s\n", b)
	if draw == nil {
		draw = Show
	}
	return explain(w, m, opt, draw)
}

// explain is Explain drawing with draw.
func explain(w io.Writer, m *mcheck.Model, opt mcheck.Options, draw func(*mcheck.Model, *mcheck.Report)) (*mcheck.Report, error) {
	r, err := mcheck.Check(m, opt)
	if err != nil {
		return nil, err
	}
	if _, err := r.WriteTo(w); err != nil {
		return nil, err
	}
	if r.Outcome == mcheck.Violated || r.Outcome == mcheck.GoalReached {
		draw(m, r)
	}
	return r, nil
}

// Registry returns a registry of the types that cross the wire under the
// grader, by name (a lab's ModelSpec.Registry). A type it cannot register
// is a programming error in the lab, caught by the lab's tests: Registry
// panics.
func Registry(types map[string]any) *mcheck.Registry {
	r := mcheck.NewRegistry()
	for _, name := range slices.Sorted(maps.Keys(types)) {
		if err := r.Register(name, types[name]); err != nil {
			panic(err)
		}
	}
	return r
}

// Judge is the judge of a lab whose searches have no goal: right when
// the search passed; on a violation, Violation with hint(r); on a search
// limit, Limit with limitHint; on any other outcome, Undecided.
func Judge(r *mcheck.Report, hint func(*mcheck.Report) string, limitHint string) exercise.Verdict {
	switch r.Outcome {
	case mcheck.Passed:
		return exercise.Right()
	case mcheck.Violated:
		return Violation(r, hint(r))
	case mcheck.LimitReached:
		return Limit(r, limitHint)
	}
	return Undecided(r)
}

// Violation is a lab's verdict on a search that found a violation: the
// property, the step after which it fails and why, the report as the
// case, and the lab's hint (IsolationHint for the isolation property).
func Violation(r *mcheck.Report, hint string) exercise.Verdict {
	if r.Property == IsolationName {
		hint = IsolationHint
	}
	return exercise.Verdict{Why: fmt.Sprintf("%q fails after step %d of the run shown: %s", r.Property, r.Step(), r.Detail),
		Hint: hint, Case: r.String()}
}

// Limit is a lab's verdict on a search that hit a limit before it could
// decide; hint says how to keep the answer's states few.
func Limit(r *mcheck.Report, hint string) exercise.Verdict {
	return exercise.Verdict{Why: "the search hit a limit before it could decide (" + r.Limit + ")", Hint: hint, Case: r.String()}
}

// Undecided is a lab's verdict on any other outcome of a search: the
// outcome and the property.
func Undecided(r *mcheck.Report) exercise.Verdict {
	return exercise.Verdict{Why: r.Outcome.String() + ": " + r.Property, Case: r.String()}
}
