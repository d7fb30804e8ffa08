package totalorder

import (
	"slices"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
)

// recorder is a node that sends msgs to R at its start and records what it
// receives, in order.
type recorder struct {
	Msgs []string
	Got  []string
}

func (r *recorder) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		for _, m := range r.Msgs {
			ctx.Send("R", m)
		}
	case netsim.Receive:
		r.Got = append(r.Got, ev.Msg.(string))
	case netsim.Timer:
		if b, ok := ev.Msg.(Broadcast); ok {
			r.Got = append(r.Got, "timer "+b.Payload)
		}
	}
}

// layerPair returns a manual network of S and R, each in a FIFO layer; S
// sends msgs to R at the start.
func layerPair(t *testing.T, msgs []string, raw bool) (*netsim.Manual, *recorder) {
	t.Helper()
	members := []netsim.NodeID{"R", "S"}
	rec := &recorder{}
	m := netsim.NewManual(1)
	for _, n := range []struct {
		id   netsim.NodeID
		node netsim.Node
	}{{"R", newLayer(rec, members, nil, nil, raw)}, {"S", newLayer(&recorder{Msgs: msgs}, members, nil, nil, raw)}} {
		if err := m.AddNode(n.id, n.node); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	return m, rec
}

func TestLayerMakesLinksFIFO(t *testing.T) {
	m, rec := layerPair(t, []string{"m0", "m1", "m2", "m3"}, false)
	flight := m.InFlight()
	if len(flight) != 4 {
		t.Fatalf("%d messages in flight, want 4", len(flight))
	}
	for i, f := range flight {
		if p, ok := f.Msg.(Packet); !ok || p.Seq != i || p.Msg != flight[i].Msg.(Packet).Msg {
			t.Fatalf("message %d on the wire is %v, want Packet{Seq: %d}", i, f.Msg, i)
		}
	}
	if got := flight[2].Msg.(Packet).String(); got != `"m2" #2` {
		t.Fatalf("Packet text %s", got)
	}
	// Arrivals m2, m3 (a copy of m3), m0, m1, then late copies of m1 and m3.
	id := func(i int) uint64 { return flight[i].ID }
	steps := []func() error{
		func() error { return m.Duplicate(id(3)) },
		func() error { return m.Duplicate(id(1)) },
		func() error { return m.Deliver(id(2)) },
		func() error { return m.Deliver(id(3)) },
		func() error { return m.Deliver(id(3)) }, // the copy of a held packet: dropped
		func() error { return m.Deliver(id(0)) },
		func() error { return m.Deliver(id(1)) }, // releases m1, m2, m3
		func() error { return m.Deliver(id(1)) }, // a late copy: handed over
	}
	want := [][]string{nil, nil, nil, nil, nil, {"m0"}, {"m0", "m1", "m2", "m3"}, {"m0", "m1", "m2", "m3", "m1"}}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if !slices.Equal(rec.Got, want[i]) {
			t.Fatalf("after step %d R got %v, want %v", i, rec.Got, want[i])
		}
	}
	l := m.Node("R").(*layer)
	if l.In[1] != 4 || len(l.Held[1]) != 0 {
		t.Fatalf("R's layer expects %d from S and holds %v", l.In[1], l.Held[1])
	}
}

func TestRawLayerPassesMessagesThrough(t *testing.T) {
	m, rec := layerPair(t, []string{"m0", "m1"}, true)
	flight := m.InFlight()
	if flight[0].Msg != "m0" {
		t.Fatalf("a raw layer sent %v", flight[0].Msg)
	}
	if err := m.Deliver(flight[1].ID); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.Got, []string{"m1"}) {
		t.Fatalf("R got %v", rec.Got)
	}
}

func TestLayerArmsBroadcastsInOrder(t *testing.T) {
	members := []netsim.NodeID{"A", "B"}
	rec := &recorder{}
	m := netsim.NewManual(1)
	if err := m.AddNode("A", newLayer(rec, members, []string{"A1", "A2", "A3"}, []netsim.Time{5, 1, 1}, false)); err != nil {
		t.Fatal(err)
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	ts := m.Timers("A")
	if len(ts) != 3 {
		t.Fatalf("%d timers, want 3", len(ts))
	}
	if err := m.Fire("A", ts[0].ID); err != nil {
		t.Fatal(err)
	}
	// A crash cancels the others; the restart arms the two not yet fired.
	if err := m.Crash("A"); err != nil {
		t.Fatal(err)
	}
	if err := m.Restart("A"); err != nil {
		t.Fatal(err)
	}
	ts = m.Timers("A")
	if len(ts) != 2 || ts[0].Tag != (Broadcast{"A2"}) || ts[1].Tag != (Broadcast{"A3"}) {
		t.Fatalf("after the restart: timers %v", ts)
	}
	if !slices.Equal(rec.Got, []string{"timer A1"}) {
		t.Fatalf("A got %v", rec.Got)
	}
}
