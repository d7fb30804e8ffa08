package twophase

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/mcheck/mcplot"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/show"
	"gonum.org/v1/plot"
)

// BlockingScenario is the visible scenario with the liveness property
// AllDecide: every node that is up decides, even while the coordinator
// is down. Two-phase commit fails it.
func BlockingScenario() Scenario {
	s := Visible.In
	s.Blocking = true
	return s
}

// Blocking model-checks a correct two-phase commit (the gallery's nodes
// without their bugs) on BlockingScenario, prints the report and draws
// the run that blocks, continued without faults until it is clear that
// nobody can decide.
func Blocking() error {
	_, err := blockingTo(os.Stdout, textbook(none))
	return err
}

// BlockingOf is Blocking on your nodes.
func BlockingOf(n Nodes) error {
	_, err := blockingTo(os.Stdout, n)
	return err
}

// blockingTo is Blocking on nodes n, writing to w; it returns the
// report.
func blockingTo(w io.Writer, n Nodes) (*mcheck.Report, error) {
	s := BlockingScenario()
	m, err := Build(n, s)
	if err != nil {
		return nil, err
	}
	r, err := mcheck.Check(m, Options(s))
	if err != nil {
		return nil, err
	}
	if _, err := r.WriteTo(w); err != nil {
		return nil, err
	}
	if r.Outcome == mcheck.Violated {
		showTo(w, m, r)
	}
	return r, nil
}

// maxMore bounds the steps a drawn liveness violation is continued by.
const maxMore = 8

// Show draws a failing run in the notebook (the lab's
// exercise.ModelSpec.Show): the counterexample, and for a liveness
// violation the run continued from there without faults, so that who is
// left waiting shows.
func Show(m *mcheck.Model, r *mcheck.Report) { showTo(os.Stdout, m, r) }

func showTo(w io.Writer, m *mcheck.Model, r *mcheck.Report) {
	if r.Property != DecideName && r.Property != AllDecideName {
		labkit.Show(m, r)
		return
	}
	text, p, err := stuck(m, r)
	if show.Err(err) {
		return
	}
	fmt.Fprint(w, text)
	show.Err(show.Plot(p))
}

// stuck continues the schedule of a liveness violation without faults
// (labkit.Continue, timers in turn, at most maxMore steps) and returns
// what the cell prints — who has voted and decided what in the end — and
// the diagram of it all.
func stuck(m *mcheck.Model, r *mcheck.Report) (string, *plot.Plot, error) {
	more, man, err := labkit.Continue(m, r.Schedule, maxMore, labkit.InTurn)
	if err != nil {
		return "", nil, err
	}
	text := fmt.Sprintf("The diagram goes on from step %d without faults for %d more steps (messages oldest first, then timers in turn). Then:\n%s",
		len(r.Schedule), len(more), standing(m.Nodes(), man))
	title := fmt.Sprintf("%q fails after step %d; the run goes on without faults", r.Property, len(r.Schedule))
	p, err := mcplot.Schedule(m, append(slices.Clone(r.Schedule), more...), title)
	if err != nil {
		return "", nil, err
	}
	return text, p, nil
}

// standing says, per node, whether it is crashed, how it voted and what
// it decided at the end of a run: "  p1  up, voted yes, undecided".
func standing(ids []netsim.NodeID, man *netsim.Manual) string {
	var b strings.Builder
	for _, id := range ids {
		state := "up"
		if man.Crashed(id) {
			state = "crashed"
		}
		var parts []string
		dec := "undecided"
		for _, o := range man.Outputs() {
			if o.Node != id {
				continue
			}
			switch v := o.Value.(type) {
			case voted:
				parts = append(parts, v.String())
			case Outcome:
				dec = "decided " + string(v)
			}
		}
		parts = append(parts, dec)
		fmt.Fprintf(&b, "  %-3s %s, %s\n", id, state, strings.Join(parts, ", "))
	}
	return b.String()
}
