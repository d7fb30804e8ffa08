package labkit

import (
	"strings"
	"testing"

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
