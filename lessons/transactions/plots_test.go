package transactions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/dslessons/course/pkg/netsim"
)

// render draws p, so that the plotters' Plot methods run.
func render(t *testing.T, p *plot.Plot) {
	t.Helper()
	c := vgimg.New(vg.Points(600), vg.Points(340))
	p.Draw(draw.New(c))
}

// The timeline's data: the segments of a coordinator crash, the blocking
// windows as "prepared" segments of the right length, the down time, and a
// legend with one entry per kind of segment shown.
func TestPlotTimeline(t *testing.T) {
	r := simulate(t, CoordinatorCrash(CrashPoint{AfterDecision, 1}, 500*ms))
	p, err := PlotTimeline(r, 700*ms, "")
	require.NoError(t, err)
	render(t, p)
	assert.Equal(t, "two-phase commit (seed 1)", p.Title.Text)
	tl := &timeline{r: r, rows: append([]netsim.NodeID{Coordinator}, r.Config.participants()...), until: 700 * ms}
	var down, prepared []Segment
	for _, s := range tl.Segments() {
		assert.LessOrEqual(t, s.To, 700*ms)
		assert.Less(t, s.From, s.To)
		switch s.What {
		case "down":
			down = append(down, s)
		case "prepared":
			prepared = append(prepared, s)
		}
	}
	require.Len(t, down, 1)
	assert.Equal(t, Coordinator, down[0].Node)
	assert.Equal(t, 500*ms, down[0].To-down[0].From)
	require.Len(t, prepared, 3)
	for _, s := range prepared {
		var p ParticipantResult
		for _, q := range r.Participants {
			if q.ID == s.Node {
				p = q
			}
		}
		assert.Equal(t, p.Blocked(r.Config.End), s.To-s.From, s.Node)
	}
	assert.Equal(t, []string{"working", "prepared", "committed", "collecting votes", "down"}, tl.LegendEntries())

	_, err = PlotTimeline(&Run{}, 0, "")
	assert.Error(t, err)
}

func TestPlotSpaceTime(t *testing.T) {
	r := simulate(t, CoordinatorCrash(CrashPoint{AfterDecision, 1}, 500*ms))
	p, err := PlotSpaceTime(r, 0, 700*ms, "")
	require.NoError(t, err)
	render(t, p)
	raft := simulate(t, WithProtocol(CoordinatorCrash(CrashPoint{AfterDecision, 0}, 500*ms), RaftDecision))
	p, err = PlotSpaceTime(raft, 395*ms, 560*ms, "decision in a Raft group")
	require.NoError(t, err)
	assert.Equal(t, "decision in a Raft group", p.Title.Text)
	long := simulate(t, CoordinatorCrash(CrashPoint{AfterDecision, 0}, 5000*ms))
	_, err = PlotSpaceTime(long, 0, 0, "")
	assert.ErrorContains(t, err, "choose a shorter window", "fifty rounds of queries are too many to draw")
	_, err = PlotSpaceTime(r, 10, 5, "")
	assert.Error(t, err)
	_, err = PlotSpaceTime(&Run{}, 0, 0, "")
	assert.Error(t, err)
	// Labels: one per message kind, drops short.
	for _, rec := range r.Trace {
		if rec.Op == netsim.OpSend {
			assert.NotEmpty(t, SpaceTimeLabel(rec), rec.String())
		}
	}
}

func TestPlotSweeps(t *testing.T) {
	two, err := DowntimeSweep(TwoPhase, CrashPoint{AfterDecision, 0}, Downtimes()[:3], 1, 3)
	require.NoError(t, err)
	p, err := PlotBlockingVsDowntime("x", BlockingSeries{"2PC", two})
	require.NoError(t, err)
	render(t, p)
	pts, err := CrashTimeSweep(TwoPhase, 300*ms, 1, 10)
	require.NoError(t, err)
	p, err = PlotBlockingVsCrashTime("y", BlockingSeries{"2PC", pts}, BlockingSeries{"again", pts})
	require.NoError(t, err)
	render(t, p)
	_, err = PlotBlockingVsDowntime("bad", BlockingSeries{"zero", []Point{{X: 0, Blocked: 0}}})
	assert.Error(t, err, "log axes refuse zero")
}
