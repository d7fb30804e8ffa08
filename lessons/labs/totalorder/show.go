package totalorder

import (
	"fmt"
	"io"
	"os"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/mcheck/mcplot"
	"github.com/dslessons/course/pkg/show"
)

// Show draws the schedule of a failing search in the notebook (the lab's
// exercise.ModelSpec.Show). A property that fails before any step has no
// schedule to draw: Show says so instead.
func Show(m *mcheck.Model, r *mcheck.Report) { showTo(os.Stdout, m, r) }

func showTo(w io.Writer, m *mcheck.Model, r *mcheck.Report) {
	if len(r.Schedule) == 0 {
		fmt.Fprintln(w, "(the property fails before any step: there is no run to draw)")
		return
	}
	p, err := mcplot.Counterexample(m, r)
	if show.Err(err) {
		return
	}
	show.Err(show.Plot(p))
}
