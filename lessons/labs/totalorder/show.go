package totalorder

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
)

// Show draws the schedule of a failing search in the notebook (the lab's
// exercise.ModelSpec.Show). For a liveness violation the schedule only
// leads to a state from which the members can never deliver everything;
// the diagram then goes on from there without faults until nothing
// moves, and says who is left waiting.
func Show(m *mcheck.Model, r *mcheck.Report) { showTo(os.Stdout, m, r) }

func showTo(w io.Writer, m *mcheck.Model, r *mcheck.Report) {
	if r.Outcome != mcheck.Violated {
		return
	}
	if r.Property != AllName {
		labkit.ShowTo(w, m, r)
		return
	}
	more, man, err := continuation(m, r.Schedule)
	if show.Err(err) {
		return
	}
	fmt.Fprintf(w, "The diagram goes on from step %d without faults, oldest message first, until no message or timer is left (%d more steps). Then:\n",
		len(r.Schedule), len(more))
	fmt.Fprint(w, waiting(m.Nodes(), man.Outputs()))
	title := fmt.Sprintf("%q fails after step %d; the run goes on until it stops", r.Property, len(r.Schedule))
	p, err := mcplot.Schedule(m, append(slices.Clone(r.Schedule), more...), title)
	if show.Err(err) {
		return
	}
	show.Err(show.Plot(p))
}

// maxContinuation bounds the steps continuation adds.
const maxContinuation = 200

// continuation replays schedule s and extends it without faults until no
// message is in flight and no timer is pending (or maxContinuation
// steps): it delivers the oldest message in flight, and when there is
// none fires the oldest timer of the first member that has one. It
// returns the steps added and the network at the end.
func continuation(m *mcheck.Model, s mcheck.Schedule) (mcheck.Schedule, *netsim.Manual, error) {
	return labkit.Continue(m, s, maxContinuation, labkit.FirstNode)
}

// waiting says what each member delivered at the end of a run: "  A
// delivered A1 B1".
func waiting(ids []netsim.NodeID, outs []netsim.Output) string {
	per := map[netsim.NodeID][]any{}
	for _, o := range outs {
		per[o.Node] = append(per[o.Node], o.Value)
	}
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "  %s delivered %s\n", id, sequence(per[id]))
	}
	return b.String()
}
