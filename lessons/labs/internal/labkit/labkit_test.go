package labkit

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// pinger sends n pings to B, one per ms; B outputs each ping it gets.
type pinger struct{ N, Sent int }

func (p *pinger) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Timer:
		if p.Sent < p.N {
			p.Sent++
			ctx.Send("B", p.Sent)
			ctx.SetTimer(netsim.Millisecond, "next")
		}
	case netsim.Receive:
		ctx.Output(ev.Msg)
	}
}

func run(t *testing.T, n int, loss float64) netsim.Trace {
	t.Helper()
	sim, err := netsim.New(netsim.Config{Seed: 3, DefaultLink: netsim.Link{Loss: loss, Delay: netsim.Const(2 * netsim.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.AddNode("A", &pinger{N: n}); err != nil {
		t.Fatal(err)
	}
	if err := sim.AddNode("B", &pinger{}); err != nil {
		t.Fatal(err)
	}
	if err := sim.Run(netsim.Second); err != nil {
		t.Fatal(err)
	}
	return sim.Trace()
}

func TestRunDiagram(t *testing.T) {
	tr := run(t, 20, 0.4)
	lost, outs := 0, 0
	for _, r := range tr {
		switch {
		case r.Op == netsim.OpDrop:
			lost++
		case r.Op == netsim.OpOutput:
			outs++
		}
	}
	if lost == 0 || outs == 0 {
		t.Fatalf("the run should lose some pings and deliver others: %d lost, %d delivered", lost, outs)
	}
	for _, byOrder := range []bool{false, true} {
		p, err := RunDiagram(tr, Diagram{Title: "pings", Nodes: []netsim.NodeID{"A", "B"}, ByOrder: byOrder})
		if err != nil || p.Title.Text != "pings" {
			t.Fatalf("%v %v", p, err)
		}
		want := map[bool]string{false: "time (ms)", true: "events in order (not to scale)"}[byOrder]
		if p.X.Label.Text != want {
			t.Fatalf("x label %q", p.X.Label.Text)
		}
	}
	long := run(t, MaxDrawn, 0)
	if p, err := RunDiagram(long, Diagram{Title: "long", Nodes: []netsim.NodeID{"A", "B"}}); err != nil || p.Title.Text != "long (first 400 events)" {
		t.Fatalf("a long run must be cut: %v %v", p, err)
	}
	if _, err := RunDiagram(tr, Diagram{}); err == nil {
		t.Fatal("no nodes accepted")
	}
	// Pings that reach a crashed B are dropped there, and drawn.
	sim, err := netsim.New(netsim.Config{Seed: 3, DefaultLink: netsim.Link{Delay: netsim.Const(2 * netsim.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	for id, n := range map[netsim.NodeID]int{"A": 6, "B": 0} {
		if err := sim.AddNode(id, &pinger{N: n}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.At(3 * netsim.Millisecond).Crash("B"); err != nil {
		t.Fatal(err)
	}
	if err := sim.Run(netsim.Second); err != nil {
		t.Fatal(err)
	}
	quiet := Diagram{Title: "crash", Nodes: []netsim.NodeID{"A", "B"}, DropLabel: func(netsim.Record) string { return "" }}
	if _, err := RunDiagram(sim.Trace(), quiet); err != nil {
		t.Fatal(err)
	}
}

func TestLabels(t *testing.T) {
	d := Diagram{Name: func(v any) string {
		if v == 7 {
			return "seven"
		}
		return ""
	}}
	for _, c := range []struct {
		r    netsim.Record
		want string
	}{
		{netsim.Record{Op: netsim.OpSend, Msg: 7}, "seven"},
		{netsim.Record{Op: netsim.OpSend, Msg: "ping"}, `"ping"`},
		{netsim.Record{Op: netsim.OpOutput, Msg: 7}, "seven"},
		{netsim.Record{Op: netsim.OpOutput, Msg: "a"}, `out "a"`},
		{netsim.Record{Op: netsim.OpDeliver, Msg: 7}, ""},
		{netsim.Record{Op: netsim.OpTimer, Msg: "tick"}, "timer"},
		{netsim.Record{Op: netsim.OpCrash}, "CRASH"},
	} {
		if got := d.label(c.r); got != c.want {
			t.Errorf("%v: %q, want %q", c.r, got, c.want)
		}
	}
	// DropLabel relabels the drops at a crashed receiver; without it
	// they keep netsim's label.
	labels := []string{"a", "dropped (crashed)", "dropped (crashed)"}
	drops := map[int]netsim.Record{1: {Op: netsim.OpDrop, Msg: 7}, 2: {Op: netsim.OpDrop, Msg: "x"}}
	d.relabelDrops(labels, drops)
	if labels[1] != "dropped (crashed)" {
		t.Fatalf("%q", labels)
	}
	d.DropLabel = func(r netsim.Record) string {
		if r.Msg == 7 {
			return ""
		}
		return "gone"
	}
	d.relabelDrops(labels, drops)
	if labels[0] != "a" || labels[1] != "" || labels[2] != "gone" {
		t.Fatalf("%q", labels)
	}
}

func TestSpread(t *testing.T) {
	tr := netsim.Trace{
		{Time: 0, Op: netsim.OpSend, Node: "A", From: "A", To: "B", ID: 1},
		{Time: 0, Op: netsim.OpSend, Node: "A", From: "A", To: "B", ID: 2},
		{Time: 80, Op: netsim.OpDeliver, Node: "B", From: "A", To: "B", ID: 1},
		{Time: 80, Op: netsim.OpOutput, Node: "B"},
	}
	out := spread(tr, func(netsim.Record) bool { return true })
	if out[0].Time != 0 || out[1].Time != 1 || out[2].Time != 80 || out[3].Time != 81 || tr[1].Time != 0 {
		t.Fatalf("%v", out)
	}
}

func TestShortAndMS(t *testing.T) {
	if got := Short("abcdef", 4); got != "abc…" {
		t.Fatal(got)
	}
	if got := Short("ab", 4); got != "ab" {
		t.Fatal(got)
	}
	if got := Short("ééé", 4); !strings.HasSuffix(got, "…") || strings.ContainsRune(got, '\uFFFD') {
		t.Fatal(got)
	}
	if got := MS(87 * netsim.Millisecond); got != "  87.0 ms" {
		t.Fatalf("%q", got)
	}
}

// ticker sets one timer at its start and again whenever it fires.
type ticker struct{ Tag string }

func (k *ticker) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start || ev.Kind == netsim.Timer && k.Tag == "tick" {
		ctx.SetTimer(netsim.Millisecond, k.Tag)
	}
}

func kinds(s mcheck.Schedule) string {
	var out []string
	for _, a := range s {
		out = append(out, a.Kind.String()+" "+string(a.Node))
	}
	return strings.Join(out, ", ")
}

func TestContinue(t *testing.T) {
	m := mcheck.NewModel(1)
	if err := m.AddNode("A", &ticker{Tag: "tick"}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddNode("B", &ticker{Tag: "once"}); err != nil {
		t.Fatal(err)
	}
	// A always has a timer pending: first-node order never gets to B's.
	for order, want := range map[TimerOrder]string{
		FirstNode: "timer A, timer A, timer A, timer A",
		InTurn:    "timer A, timer B, timer A, timer A",
	} {
		more, _, err := Continue(m, nil, 4, order)
		if err != nil || kinds(more) != want {
			t.Fatalf("order %d: %s (%v), want %s", order, kinds(more), err, want)
		}
	}
	// Messages to a crashed node are dropped; a run with nothing left to
	// do stops early; the steps added replay.
	p := mcheck.NewModel(1)
	if err := p.AddNode("A", &pinger{N: 2}); err != nil {
		t.Fatal(err)
	}
	if err := p.AddNode("B", &pinger{}); err != nil {
		t.Fatal(err)
	}
	crash := mcheck.Schedule{{Kind: mcheck.Crash, Node: "B"}}
	more, man, err := Continue(p, crash, 50, InTurn)
	if err != nil || kinds(more) != "drop B, timer A, drop B, timer A" || !man.Crashed("B") {
		t.Fatalf("%s %v", kinds(more), err)
	}
	if _, err := mcheck.Replay(p, append(crash, more...)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Continue(p, mcheck.Schedule{{Kind: mcheck.Deliver, Node: "B", From: "A", Msg: "nope"}}, 5, InTurn); err == nil {
		t.Fatal("a schedule that does not replay is an error")
	}
}

// PlaceLast keeps every scenario once, and where the last one lands
// depends on the seed: over many seeds, every place.
func TestPlaceLast(t *testing.T) {
	list := []exercise.Scenario[int]{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "cut"}}
	places := map[int]bool{}
	for seed := uint64(1); seed <= 50; seed++ {
		got := PlaceLast(rand.New(rand.NewPCG(seed, 0)), list)
		var names, rest []string
		for i, sc := range got {
			names = append(names, sc.Name)
			if sc.Name == "cut" {
				places[i] = true
			} else {
				rest = append(rest, sc.Name)
			}
		}
		if len(got) != 4 || !slices.Equal(rest, []string{"a", "b", "c"}) {
			t.Fatalf("seed %d: %v", seed, names)
		}
		again := PlaceLast(rand.New(rand.NewPCG(seed, 0)), list)
		for i := range got {
			if got[i].Name != again[i].Name {
				t.Fatalf("seed %d: two orders from one seed", seed)
			}
		}
	}
	if len(places) != 4 {
		t.Fatalf("the last scenario landed only at %v", places)
	}
	if list[3].Name != "cut" {
		t.Fatal("PlaceLast changed its argument")
	}
}

// Bounded returns f's result, turns a panic into an error, and gives up
// on a function that never returns.
func TestBounded(t *testing.T) {
	v, err := Bounded("lab", time.Second, func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Fatalf("%v %v", v, err)
	}
	if _, err := Bounded("lab", time.Second, func() (int, error) { panic("boom") }); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panic: %v", err)
	}
	stop := make(chan struct{})
	defer close(stop)
	start := time.Now()
	_, err = Bounded("lab", 50*time.Millisecond, func() (int, error) { <-stop; return 0, nil })
	if err == nil || !strings.Contains(err.Error(), "loop for ever") || time.Since(start) > 5*time.Second {
		t.Fatalf("a run that never returns: %v after %v", err, time.Since(start))
	}
}
