package replication

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/dslessons/course/pkg/netsim"
)

// render draws p, so that a plotter's Plot method runs.
func render(t *testing.T, p *plot.Plot) {
	t.Helper()
	p.Draw(draw.New(vgimg.New(16*vg.Centimeter, 9*vg.Centimeter)))
}

func TestPlotLogs(t *testing.T) {
	_, err := PlotLogs(Snapshot{}, "")
	assert.Error(t, err)
	r, err := Simulate(Figure8(Rules{}))
	require.NoError(t, err)
	p, err := PlotLogs(r.Snapshots[2], "")
	require.NoError(t, err)
	assert.Equal(t, "Logs at 399 ms", p.Title.Text)
	d := p.Y.Tick.Marker.Ticks(0, 0)
	require.Len(t, d, 5)
	assert.Equal(t, "n1 leader t4", d[0].Label)
	assert.Equal(t, "n5 crashed t3", d[4].Label)
	render(t, p)
	// A long log shows its last LogDiagramMax entries, without commands.
	long := make(Log, 100)
	for i := range long {
		long[i] = Entry{Term: 1 + i/30}
	}
	p, err = PlotLogs(Snapshot{Nodes: []NodeState{{ID: "n1", Log: long, Commit: 70}, {ID: "n2"}}}, "long")
	require.NoError(t, err)
	ld := newLogDiagram(Snapshot{Nodes: []NodeState{{ID: "n1", Log: long, Commit: 70}, {ID: "n2"}}})
	assert.Equal(t, 41, ld.first)
	assert.Equal(t, 100, ld.last)
	assert.False(t, ld.detail)
	render(t, p)
}

func TestTermColors(t *testing.T) {
	assert.NotEqual(t, TermColor(1), TermColor(2))
	assert.Equal(t, TermColor(1), TermColor(8), "seven colours, then again")
	assert.Equal(t, uint8(0xDD), TermColor(0).R)
	assert.Greater(t, pale(TermColor(5)).B, TermColor(5).B)
	assert.True(t, darkBackground(TermColor(5)))
	assert.False(t, darkBackground(TermColor(4)))
}

func TestPlotCommitIndex(t *testing.T) {
	_, err := PlotCommitIndex(nil)
	assert.Error(t, err)
	r, err := Simulate(MinorityLeader())
	require.NoError(t, err)
	xy := CommitSeries(r, 0, false)
	assert.Equal(t, 0.0, xy[0].X)
	assert.Equal(t, msOf(r.Config.End), xy[len(xy)-1].X)
	assert.Equal(t, float64(r.Final.Nodes[0].Commit), xy[len(xy)-1].Y)
	assert.Len(t, xy, len(r.Commit[0])+2)
	assert.Nil(t, CommitSeries(r, 9, false))
	ll := CommitSeries(r, 1, true)
	assert.Equal(t, float64(r.Final.Nodes[1].Log.LastIndex()), ll[len(ll)-1].Y)
	p, err := PlotCommitIndex(r, r.Isolated...)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "course Raft (seed 1)")
	render(t, p)
	assert.Equal(t, "partition", shortNote("partition n2,n3,c2 | the rest"))
	assert.Equal(t, "crash n2", shortNote("crash n2 (leader of term 1)"))
	assert.Equal(t, "heal", shortNote("heal the network"))
}

func TestPlotSpaceTime(t *testing.T) {
	c := SteadyState()
	c.Nodes, c.Clients, c.Commands = 3, 1, 1
	for _, impl := range impls {
		c.Impl = impl
		r, err := Simulate(c)
		require.NoError(t, err)
		from, to, err := ElectionWindow(r)
		require.NoError(t, err)
		assert.Less(t, from, r.Leaders[0].At)
		assert.Equal(t, r.Leaders[0].At+10*ms, to)
		p, err := PlotSpaceTime(r, from, to, "")
		require.NoError(t, err)
		render(t, p)
		from, to, err = CommandWindow(r)
		require.NoError(t, err)
		assert.Greater(t, from, r.Leaders[0].At-c.RetryAfter)
		p, err = PlotSpaceTime(r, from, to, "one command")
		require.NoError(t, err)
		assert.Equal(t, "one command", p.Title.Text)
		ml, err := newSpaceTime(r, from, to)
		require.NoError(t, err)
		var labels []string
		for _, l := range ml.labels {
			if l != "" {
				labels = append(labels, l)
			}
		}
		assert.Regexp(t, "^[xyz]=1$", labels[0], "the client's Submit comes first")
		assert.Contains(t, labels, "done", impl.Name())
		// Every drawn message was delivered inside the window.
		for _, m := range ml.h.Messages {
			assert.GreaterOrEqual(t, m.Receive, 0)
		}
		_, err = PlotSpaceTime(r, 0, c.End, "")
		assert.ErrorContains(t, err, "choose a shorter window")
		_, err = PlotSpaceTime(r, to, from, "")
		assert.Error(t, err)
	}
	noTrace, err := Simulate(DefaultConfig())
	require.NoError(t, err)
	_, err = PlotSpaceTime(noTrace, 0, 10, "")
	assert.ErrorContains(t, err, "Config.Trace")
	_, _, err = CommandWindow(noTrace)
	assert.Error(t, err)
	_, _, err = ElectionWindow(&Run{})
	assert.Error(t, err)
}

func TestSpaceTimeLabel(t *testing.T) {
	send := func(m any) netsim.Record { return netsim.Record{Op: netsim.OpSend, Msg: m} }
	for _, tc := range []struct {
		r    netsim.Record
		want string
	}{
		{send(AppendEntries{Entries: terms(1, 2)}), "AE [1 2]"},
		{send(AppendEntries{}), "hb"},
		{send(AppendReply{Success: true, Match: 4}), "ok 4"},
		{send(AppendReply{}), "no"},
		{send(RequestVote{}), "RV"},
		{send(Vote{Granted: true}), "vote"},
		{send(Vote{}), "no vote"},
		{send(Submit{Cmd: Command{Client: "c1", Seq: 1, Key: "x", Value: "1"}}), "x=1"},
		{send(Redirect{}), "redirect"},
		{send(Result{}), "done"},
		{send(Campaign{}), "campaign"},
		{send("other"), "send"},
		{netsim.Record{Op: netsim.OpTimer}, "timeout"},
		{netsim.Record{Op: netsim.OpCrash}, "CRASH"},
		{netsim.Record{Op: netsim.OpRestart}, "restart"},
		{netsim.Record{Op: netsim.OpDeliver}, ""},
	} {
		assert.Equal(t, tc.want, SpaceTimeLabel(tc.r))
	}
}

// Message labels in the space-time diagrams of this lesson do not overlap
// one another or cover an event (at the scale of a notebook picture: about 35 points per
// event rank and 90 per lane).
func TestSpaceTimeLabelsDoNotOverlap(t *testing.T) {
	c := SteadyState()
	c.Nodes, c.Clients, c.Commands = 3, 1, 1
	ts := text.Style{Font: font.From(plot.DefaultFont, vg.Points(7.5)), Handler: plot.DefaultTextHandler}
	size := func(s string) (vg.Length, vg.Length) { return ts.Width(s) + vg.Points(2), ts.Height(s) }
	tx := func(x float64) vg.Length { return vg.Length(x) * 35 }
	ty := func(y float64) vg.Length { return vg.Length(y) * 90 }
	for _, impl := range impls {
		c.Impl = impl
		r, err := Simulate(c)
		require.NoError(t, err)
		for _, window := range []func(*Run) (netsim.Time, netsim.Time, error){ElectionWindow, CommandWindow} {
			from, to, err := window(r)
			require.NoError(t, err)
			st, err := newSpaceTime(r, from, to)
			require.NoError(t, err)
			placed := st.placeLabels(tx, ty, size)
			require.NotEmpty(t, placed)
			for i := range placed {
				for j := range i {
					assert.False(t, boxesOverlap(placed[i].box, placed[j].box), "%s: %q and %q overlap", impl.Name(), placed[i].text, placed[j].text)
				}
				for e, ev := range st.h.Events {
					at := vg.Point{X: tx(ev.Time), Y: ty(float64(len(st.h.Nodes) - 1 - st.h.Events[e].Node))}
					b := placed[i].box
					assert.False(t, at.X > b.Min.X && at.X < b.Max.X && at.Y > b.Min.Y && at.Y < b.Max.Y, "%s: %q covers an event", impl.Name(), placed[i].text)
				}
			}
		}
	}
	assert.True(t, boxesOverlap(vg.Rectangle{Max: vg.Point{X: 2, Y: 2}}, vg.Rectangle{Min: vg.Point{X: 1, Y: 1}, Max: vg.Point{X: 3, Y: 3}}))
	assert.False(t, boxesOverlap(vg.Rectangle{Max: vg.Point{X: 1, Y: 1}}, vg.Rectangle{Min: vg.Point{X: 1, Y: 0}, Max: vg.Point{X: 3, Y: 3}}))
}
