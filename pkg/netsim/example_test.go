package netsim_test

import (
	"fmt"
	"os"

	"github.com/dslessons/course/pkg/netsim"
)

// Pinger sends "ping" to B at start and after every "pong", three times.
type Pinger struct{ sent int }

func (p *Pinger) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Receive:
		if p.sent < 3 {
			p.sent++
			ctx.Send("B", "ping")
		}
	}
}

// A ping-pong over a 1ms link. The transcript is the same on every run.
func Example() {
	sim, err := netsim.New(netsim.Config{
		Seed:        1,
		DefaultLink: netsim.Link{Delay: netsim.Const(netsim.Millisecond)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ponger := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			ctx.Send(ev.From, "pong")
		}
	})
	_ = sim.AddNode("A", &Pinger{})
	_ = sim.AddNode("B", ponger)
	if err := sim.Run(netsim.Forever); err != nil {
		fmt.Println(err)
		return
	}
	_ = sim.WriteTrace(os.Stdout)
	// Output:
	// 0.000ms A start
	// 0.000ms A->B send #1 "ping"
	// 0.000ms B start
	// 1.000ms A->B deliver #1 "ping"
	// 1.000ms B->A send #2 "pong"
	// 2.000ms B->A deliver #2 "pong"
	// 2.000ms A->B send #3 "ping"
	// 3.000ms A->B deliver #3 "ping"
	// 3.000ms B->A send #4 "pong"
	// 4.000ms B->A deliver #4 "pong"
	// 4.000ms A->B send #5 "ping"
	// 5.000ms A->B deliver #5 "ping"
	// 5.000ms B->A send #6 "pong"
	// 6.000ms B->A deliver #6 "pong"
}

// Retransmit until acknowledged: a timeout turns a lossy link into a
// reliable one (at the price of duplicates the receiver must tolerate).
func Example_retransmit() {
	sim, _ := netsim.New(netsim.Config{Seed: 3, DefaultLink: netsim.Link{
		Loss:  0.5,
		Delay: netsim.Const(10 * netsim.Millisecond),
	}})
	acked := false
	sender := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start, netsim.Timer:
			if !acked {
				ctx.Send("R", "data")
				ctx.SetTimer(25*netsim.Millisecond, "retransmit")
			}
		case netsim.Receive:
			acked = true
		}
	})
	receiver := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			ctx.Send(ev.From, "ack")
		}
	})
	_ = sim.AddNode("S", sender)
	_ = sim.AddNode("R", receiver)
	err := sim.Run(netsim.Second)
	fmt.Println("acked:", acked, "err:", err)
	st := sim.Stats()
	fmt.Println("every message delivered or lost:", st.Sent == st.Delivered+st.Lost)
	fmt.Println("needed a retransmission:", st.Lost > 0)
	// Output:
	// acked: true err: <nil>
	// every message delivered or lost: true
	// needed a retransmission: true
}

// Fault schedules can be written as text, so a notebook cell can let
// students edit them.
func ExampleParseSchedule() {
	sched, err := netsim.ParseSchedule(`
		10ms partition A | B    # A and B cannot talk
		20ms heal
		30ms loss A->B 0.25     # one-way loss
	`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(sched)

	_, err = netsim.ParseSchedule("10ms loss A->B 1.5")
	fmt.Println(err)
	// Output:
	// 10ms partition A | B
	// 20ms heal
	// 30ms loss A->B 0.25
	// netsim: schedule line 1 "10ms loss A->B 1.5": loss probability 1.5 not in [0,1]
}

// The builder schedules the same faults from Go code.
func ExampleSim_At() {
	sim, _ := netsim.New(netsim.Config{DefaultLink: netsim.Link{Delay: netsim.Const(netsim.Millisecond)}})
	tick := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start, netsim.Timer:
			ctx.Broadcast("hello")
			if ctx.Now() < 4*netsim.Millisecond {
				ctx.SetTimer(2*netsim.Millisecond, nil)
			}
		}
	})
	_ = sim.AddNode("A", tick)
	_ = sim.AddNode("B", netsim.NodeFunc(func(*netsim.Context, netsim.Event) {}))
	_ = sim.At(1*netsim.Millisecond).Cut("A", "B")
	_ = sim.At(3 * netsim.Millisecond).Heal()
	_ = sim.At(3 * netsim.Millisecond).Crash("B")
	_ = sim.Run(netsim.Forever)
	for _, r := range sim.Trace() {
		if r.Op != netsim.OpSetTimer && r.Op != netsim.OpTimer {
			fmt.Println(r)
		}
	}
	// Output:
	// 0.000ms A start
	// 0.000ms A->B send #1 "hello"
	// 0.000ms B start
	// 1.000ms cut A->B
	// 1.000ms A->B drop #1 "hello" (partition)
	// 2.000ms A->B send #2 "hello"
	// 2.000ms A->B drop #2 "hello" (partition)
	// 3.000ms heal
	// 3.000ms B crash
	// 4.000ms A->B send #3 "hello"
	// 5.000ms A->B drop #3 "hello" (crashed)
}

// A trace can be loaded into ShiViz to explore happens-before.
func ExampleTrace_WriteShiViz() {
	sim, _ := netsim.New(netsim.Config{DefaultLink: netsim.Link{Delay: netsim.Const(netsim.Millisecond)}})
	_ = sim.AddNode("A", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start {
			ctx.Send("B", "hi")
		}
	}))
	_ = sim.AddNode("B", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {}))
	_ = sim.Run(netsim.Forever)
	_ = sim.Trace().WriteShiViz(os.Stdout)
	// Output:
	// (?<host>\S+) (?<clock>\{[^}]*\}) (?<event>.*)
	//
	// A {"A":1} 0.000ms A start
	// A {"A":2} 0.000ms A->B send #1 "hi"
	// B {"B":1} 0.000ms B start
	// B {"A":2,"B":2} 1.000ms A->B deliver #1 "hi"
}

// Fresh rebuilds a node's state at every restart, so a crash loses
// everything (here: B's message counter).
func ExampleFresh() {
	sim, _ := netsim.New(netsim.Config{DefaultLink: netsim.Link{Delay: netsim.Const(netsim.Millisecond / 2)}})
	_ = sim.AddNode("A", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start || ev.Kind == netsim.Timer {
			ctx.Send("B", "tick")
			if ctx.Now() < 4*netsim.Millisecond {
				ctx.SetTimer(netsim.Millisecond, nil)
			}
		}
	}))
	_ = sim.AddNode("B", netsim.Fresh(func() netsim.Node {
		count := 0 // volatile state: a new counter for every incarnation
		return netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind == netsim.Receive {
				count++
				ctx.Logf("count=%d", count)
			}
		})
	}))
	sched, _ := netsim.ParseSchedule("2.2ms crash B\n3.2ms restart B")
	_ = sim.Apply(sched)
	_ = sim.Run(netsim.Forever)
	for _, r := range sim.Trace() {
		switch r.Op {
		case netsim.OpDeliver, netsim.OpDrop, netsim.OpCrash, netsim.OpRestart, netsim.OpNote:
			fmt.Println(r)
		}
	}
	// Output:
	// 0.500ms A->B deliver #1 "tick"
	// 0.500ms B note count=1
	// 1.500ms A->B deliver #2 "tick"
	// 1.500ms B note count=2
	// 2.200ms B crash
	// 2.500ms A->B drop #3 "tick" (crashed)
	// 3.200ms B restart
	// 3.500ms A->B deliver #4 "tick"
	// 3.500ms B note count=1
	// 4.500ms A->B deliver #5 "tick"
	// 4.500ms B note count=2
}

// SpaceTime gives the data for a space-time diagram: a line per node,
// and for each delivery where its arrow starts.
func ExampleTrace_SpaceTime() {
	sim, _ := netsim.New(netsim.Config{DefaultLink: netsim.Link{Delay: netsim.Const(2 * netsim.Millisecond)}})
	_ = sim.AddNode("A", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start {
			ctx.Send("B", "hi")
		}
	}))
	_ = sim.AddNode("B", netsim.NodeFunc(func(*netsim.Context, netsim.Event) {}))
	_ = sim.Run(netsim.Forever)
	st := sim.Trace().SpaceTime()
	fmt.Println("lines:", st.Nodes)
	for _, e := range st.Events {
		if e.Op == netsim.OpDeliver {
			fmt.Printf("arrow %s@%s -> %s@%s %s\n", e.From, e.SentAt, e.Node, e.Time, e.Label)
		}
	}
	// Output:
	// lines: [A B]
	// arrow A@0.000ms -> B@2.000ms "hi"
}

// History turns a trace into a history.History for pkg/plots.SpaceTime,
// with a label per event; a message dropped at a crashed receiver is
// drawn up to the receiver's line.
func ExampleTrace_History() {
	sim, _ := netsim.New(netsim.Config{DefaultLink: netsim.Link{Delay: netsim.Const(2 * netsim.Millisecond)}})
	_ = sim.AddNode("A", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start {
			ctx.Send("B", "hi")
			ctx.SetTimer(3*netsim.Millisecond, "again")
		}
		if ev.Kind == netsim.Timer {
			ctx.Send("B", "hi")
		}
	}))
	_ = sim.AddNode("B", netsim.NodeFunc(func(*netsim.Context, netsim.Event) {}))
	_ = sim.At(netsim.Millisecond * 4).Crash("B")
	_ = sim.Run(netsim.Forever)
	h, labels, err := sim.Trace().History(netsim.HistoryOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, e := range h.Events {
		fmt.Printf("%gms %s %s %q\n", e.Time, h.Nodes[e.Node], e.Kind, labels[i])
	}
	// Output:
	// 0ms A send "send"
	// 2ms B receive "recv"
	// 3ms A local "timer"
	// 3ms A send "send"
	// 4ms B local "CRASH"
	// 5ms B receive "dropped (crashed)"
}

// A network driven by hand: the caller picks which message arrives and
// which timer fires. Here the request is lost, the timer fires, and the
// retransmission arrives; the receiver reports the delivery with Output.
func ExampleManual() {
	m := netsim.NewManual(1)
	_ = m.AddNode("C", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start || ev.Kind == netsim.Timer {
			ctx.Send("S", "req")
			ctx.SetTimer(10*netsim.Millisecond, "retry")
		}
	}))
	_ = m.AddNode("S", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			ctx.Output(ev.Msg)
		}
	}))
	_ = m.Start()
	_ = m.Lose(m.InFlight()[0].ID)
	_ = m.Fire("C", m.Timers("C")[0].ID)
	_ = m.Deliver(m.InFlight()[0].ID)
	_, _ = m.Trace().WriteTo(os.Stdout)
	fmt.Println(m.Outputs())
	// Output:
	// 0.000ms C start
	// 0.000ms C->S send #1 "req"
	// 0.000ms C set-timer t1 "retry" due 10.000ms
	// 0.000ms S start
	// 1.000ms C->S drop #1 "req" (loss)
	// 2.000ms C timer t1 "retry"
	// 2.000ms C->S send #2 "req"
	// 2.000ms C set-timer t2 "retry" due 12.000ms
	// 3.000ms C->S deliver #2 "req"
	// 3.000ms S output "req"
	// [3.000ms S output "req"]
}
