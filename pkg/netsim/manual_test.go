package netsim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// retx sends "data" to R at start and on every timer until acknowledged;
// it outputs "acked" once.
type retx struct {
	acked bool
	sent  int
}

func (r *retx) Handle(ctx *Context, ev Event) {
	switch ev.Kind {
	case Start, Restart, Timer:
		if !r.acked {
			r.sent++
			ctx.Send("R", "data")
			ctx.SetTimer(10*Millisecond, "retx")
		}
	case Receive:
		if !r.acked {
			r.acked = true
			ctx.Output("acked")
		}
	}
}

// acker acknowledges every message and outputs each one.
type acker struct{ got int }

func (a *acker) Handle(ctx *Context, ev Event) {
	if ev.Kind == Receive {
		a.got++
		ctx.Output(ev.Msg)
		ctx.Send(ev.From, "ack")
	}
}

func newManual(t *testing.T) (*Manual, *retx, *acker) {
	t.Helper()
	m := NewManual(1)
	s, r := &retx{}, &acker{}
	if err := m.AddNode("S", s); err != nil {
		t.Fatal(err)
	}
	if err := m.AddNode("R", r); err != nil {
		t.Fatal(err)
	}
	return m, s, r
}

func only(t *testing.T, msgs []Message) Message {
	t.Helper()
	if len(msgs) != 1 {
		t.Fatalf("%d messages in flight, want 1: %v", len(msgs), msgs)
	}
	return msgs[0]
}

func TestManualSchedule(t *testing.T) {
	m, s, r := newManual(t)
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	d := only(t, m.InFlight())
	if d.From != "S" || d.To != "R" || d.Msg != "data" {
		t.Fatalf("in flight %+v", d)
	}
	// Lose the first copy, retransmit, duplicate, deliver both copies.
	must(t, m.Lose(d.ID))
	tm := m.Timers("S")
	if len(tm) != 1 || tm[0].Tag != "retx" || tm[0].After != 10*Millisecond {
		t.Fatalf("timers %+v", tm)
	}
	must(t, m.Fire("S", tm[0].ID))
	d2 := only(t, m.InFlight())
	must(t, m.Duplicate(d2.ID))
	must(t, m.Deliver(d2.ID))
	must(t, m.Deliver(d2.ID))
	if r.got != 2 || s.sent != 2 {
		t.Fatalf("receiver got %d, sender sent %d; want 2, 2", r.got, s.sent)
	}
	acks := m.InFlight()
	if len(acks) != 2 {
		t.Fatalf("%d acks in flight, want 2", len(acks))
	}
	must(t, m.Crash("S"))
	if len(m.Timers("S")) != 0 || !m.Crashed("S") {
		t.Fatal("crash kept the timers or the node running")
	}
	must(t, m.Deliver(acks[0].ID)) // dropped: S is down
	must(t, m.Restart("S"))        // S retransmits at restart
	must(t, m.Deliver(acks[1].ID))
	if !s.acked {
		t.Fatal("sender not acked")
	}
	want := `0.000ms S start
0.000ms S->R send #1 "data"
0.000ms S set-timer t1 "retx" due 10.000ms
0.000ms R start
1.000ms S->R drop #1 "data" (loss)
2.000ms S timer t1 "retx"
2.000ms S->R send #2 "data"
2.000ms S set-timer t2 "retx" due 12.000ms
3.000ms S->R duplicate #2 "data"
4.000ms S->R deliver #2 "data"
4.000ms R output "data"
4.000ms R->S send #3 "ack"
5.000ms S->R deliver #2 "data"
5.000ms R output "data"
5.000ms R->S send #4 "ack"
6.000ms S crash
7.000ms R->S drop #3 "ack" (crashed)
8.000ms S restart
8.000ms S->R send #5 "data"
8.000ms S set-timer t3 "retx" due 18.000ms
9.000ms R->S deliver #4 "ack"
9.000ms S output "acked"
`
	if got := m.Trace().String(); got != want {
		t.Errorf("trace:\n%s\nwant:\n%s", got, want)
	}
	outs := m.Outputs()
	if len(outs) != 3 || outs[2].String() != `9.000ms S output "acked"` {
		t.Errorf("outputs %v", outs)
	}
	// The trace draws: outputs are local events.
	h, labels, err := m.Trace().History(HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != len(h.Events) || !strings.Contains(strings.Join(labels, ","), `out "acked"`) {
		t.Errorf("labels %q", labels)
	}
}

func TestManualErrors(t *testing.T) {
	m, _, _ := newManual(t)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"deliver unknown", m.Deliver(99), "message #99: it is not in flight"},
		{"fire unknown node", m.Fire("X", 1), `unknown node "X"; nodes are [S R]`},
		{"fire unknown timer", m.Fire("R", 7), "node R has no pending timer t7"},
		{"crash twice", func() error { _ = m.Crash("R"); return m.Crash("R") }(), "already crashed"},
		{"fire on crashed", m.Fire("R", 1), "node R is crashed"},
		{"nil node", m.AddNode("Z", nil), "node Z is nil"},
		{"bad id", m.AddNode("a b", &acker{}), "has character"},
		{"duplicate id", m.AddNode("S", &acker{}), "duplicate node ID"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) || !strings.HasPrefix(c.err.Error(), "netsim: ") {
			t.Errorf("%s: error %v, want it to mention %q", c.name, c.err, c.want)
		}
	}
	if err := NewManual(0).Start(); err == nil {
		t.Error("empty Manual started")
	}
}

func TestManualNodeFailures(t *testing.T) {
	cases := []struct {
		name string
		node Node
		want string
	}{
		{"panic", NodeFunc(func(ctx *Context, ev Event) { panic("boom") }), "node A panicked handling start: boom"},
		{"unknown peer", NodeFunc(func(ctx *Context, ev Event) { ctx.Send("Q", 1) }), `sent 1 to unknown node "Q"`},
		{"negative timer", NodeFunc(func(ctx *Context, ev Event) { ctx.SetTimer(-1, nil) }), "negative delay"},
		{"nil fresh", Fresh(func() Node { return nil }), "Fresh factory returned nil"},
	}
	for _, c := range cases {
		m := NewManual(0)
		must(t, m.AddNode("A", c.node))
		err := m.Start()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		if err2 := m.Deliver(1); !errors.Is(err2, err) && err2 != err {
			t.Errorf("%s: later step returned %v, want the first error", c.name, err2)
		}
	}
}

// Fresh nodes lose their state at Restart in a Manual as in a Sim, and
// Rand restarts its stream at every call.
func TestManualFreshAndRand(t *testing.T) {
	var draws []uint64
	m := NewManual(42)
	must(t, m.AddNode("A", Fresh(func() Node { return &acker{} })))
	must(t, m.AddNode("B", NodeFunc(func(ctx *Context, ev Event) {
		draws = append(draws, ctx.Rand().Uint64())
		if ev.Kind == Start {
			ctx.Send("A", "x")
			ctx.Send("A", "y")
		}
	})))
	must(t, m.Start())
	msgs := m.InFlight()
	must(t, m.Deliver(msgs[0].ID))
	if got := m.Node("A"); got == nil {
		t.Fatal("Node(A) is nil")
	}
	must(t, m.Restart("A"))
	must(t, m.Deliver(msgs[1].ID))
	ack := m.InFlight()
	must(t, m.Deliver(ack[0].ID))
	must(t, m.Deliver(ack[1].ID))
	if len(draws) != 3 || draws[0] != draws[1] || draws[1] != draws[2] {
		t.Errorf("draws %v: want the same number at every call", draws)
	}
	if want := NodeRand(42, "B").Uint64(); draws[0] != want {
		t.Errorf("draw %d, want NodeRand's first %d", draws[0], want)
	}
}

func TestSimOutputs(t *testing.T) {
	for _, noTrace := range []bool{false, true} {
		s := newSim(t, Config{Seed: 1, NoTrace: noTrace, DefaultLink: Link{Delay: Const(Millisecond)}})
		must(t, s.AddNode("S", &retx{}))
		must(t, s.AddNode("R", &acker{}))
		must(t, s.Run(Forever-1))
		outs := s.Outputs()
		if len(outs) != 2 || outs[0].String() != `1.000ms R output "data"` || outs[1].String() != `2.000ms S output "acked"` {
			t.Errorf("NoTrace %v: outputs %v", noTrace, outs)
		}
		n := len(s.Trace().Filter(func(r Record) bool { return r.Op == OpOutput }))
		if want := map[bool]int{false: 2, true: 0}[noTrace]; n != want {
			t.Errorf("NoTrace %v: %d output records, want %d", noTrace, n, want)
		}
	}
}

// recEnv records what a node does through a Context made by NewContext.
type recEnv struct{ log []string }

func (e *recEnv) Now() Time                        { return 5 * Millisecond }
func (e *recEnv) Self() NodeID                     { return "A" }
func (e *recEnv) Peers() []NodeID                  { return []NodeID{"B", "C"} }
func (e *recEnv) Rand() *rand.Rand                 { return nil }
func (e *recEnv) Send(to NodeID, msg any)          { e.add("send", to, msg) }
func (e *recEnv) SetTimer(d Time, tag any) TimerID { e.add("timer", d, tag); return 7 }
func (e *recEnv) CancelTimer(id TimerID) bool      { e.add("cancel", id); return true }
func (e *recEnv) Logf(f string, args []any)        { e.add("log", f, args) }
func (e *recEnv) Output(v any)                     { e.add("out", v) }
func (e *recEnv) Fail(err error)                   { e.add("fail", err) }
func (e *recEnv) add(args ...any)                  { e.log = append(e.log, strings.TrimSpace(fmt.Sprintln(args...))) }

func TestNewContext(t *testing.T) {
	e := &recEnv{}
	ctx := NewContext(e)
	n := NodeFunc(func(ctx *Context, ev Event) {
		ctx.Send("B", "x")
		ctx.Broadcast("y")
		id := ctx.SetTimer(ctx.Now(), "t")
		ctx.CancelTimer(id)
		ctx.Logf("hi %d", 1)
		ctx.Output(ctx.Self())
	})
	n.Handle(ctx, Event{Kind: Start})
	Fresh(func() Node { return nil }).Handle(ctx, Event{Kind: Start})
	want := "send B x|send B y|send C y|timer 5.000ms t|cancel 7|log hi %d [1]|out A|fail netsim: node A: Fresh factory returned nil"
	if got := strings.Join(e.log, "|"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
