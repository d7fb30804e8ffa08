package logicaltime

import (
	"fmt"
	"io"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/netsim"
	"gonum.org/v1/plot"
)

// ShiVizAddress is where the ShiViz log visualiser (Beschastnikh et al.,
// CACM 2016) runs in a browser: paste a log there to see it as a
// space-time diagram.
const ShiVizAddress = "https://bestchai.bitbucket.io/shiviz/"

// chatNode is a node of ChatRun: it sends Sends messages to random peers
// at random moments and answers every message that is not itself an
// answer.
type chatNode struct {
	sends, sent int
}

type chatTimer struct{}

// Handle implements netsim.Node.
func (c *chatNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		ctx.SetTimer(netsim.Time(1+ctx.Rand().IntN(10))*netsim.Millisecond, chatTimer{})
	case netsim.Timer:
		peers := ctx.Peers()
		c.sent++
		ctx.Send(peers[ctx.Rand().IntN(len(peers))], fmt.Sprintf("hello %d from %s", c.sent, ctx.Self()))
		if c.sent < c.sends {
			ctx.SetTimer(netsim.Time(5+ctx.Rand().IntN(15))*netsim.Millisecond, chatTimer{})
		}
	case netsim.Receive:
		if s, ok := ev.Msg.(string); ok && len(s) > 5 && s[:5] == "hello" {
			ctx.Send(ev.From, "re: "+s)
		}
	}
}

// ChatRun runs three nodes, A, B and C, on the network simulator: each
// says hello to a random other node sends times (in [1, 5]) at random
// moments, and every hello is answered. Link delays are uniform in
// [1 ms, 8 ms]. It returns the trace of sends and deliveries only.
func ChatRun(seed uint64, sends int) (netsim.Trace, error) {
	if sends < 1 || sends > 5 {
		return nil, fmt.Errorf("logicaltime: %d hellos per node not in [1,5]", sends)
	}
	sim, err := netsim.New(netsim.Config{Seed: seed, DefaultLink: netsim.Link{Delay: netsim.Uniform(netsim.Millisecond, 8*netsim.Millisecond)}})
	if err != nil {
		return nil, err
	}
	for _, n := range []netsim.NodeID{"A", "B", "C"} {
		if err := sim.AddNode(n, &chatNode{sends: sends}); err != nil {
			return nil, err
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, err
	}
	var out netsim.Trace
	for _, r := range sim.Trace() {
		if r.Op == netsim.OpSend || r.Op == netsim.OpDeliver {
			out = append(out, r)
		}
	}
	return out, nil
}

// WriteShiVizLog writes t as a ShiViz log (netsim.Trace.WriteShiViz): a
// first line with the regular expression that parses the lines, an empty
// line, and one line per event with its node, its vector clock and what
// happened.
func WriteShiVizLog(w io.Writer, t netsim.Trace) error {
	if len(t) == 0 {
		return fmt.Errorf("logicaltime: empty trace")
	}
	return t.WriteShiViz(w)
}

// ChatHistory converts a ChatRun trace into a history for a space-time
// diagram (events named "A.1", "A.2", … by node and position) and the
// kind of each event ("send" or "recv").
func ChatHistory(t netsim.Trace) (*history.History, []string, error) {
	return t.History(netsim.HistoryOptions{})
}

// ChatDiagram draws a ChatRun trace at its true times, every event
// labelled with its name and Lamport timestamp ("A.4:6": A's fourth
// event, the line of A whose vector clock has "A":4 in the ShiViz log).
func ChatDiagram(t netsim.Trace, title string) (*plot.Plot, error) {
	h, _, err := ChatHistory(t)
	if err != nil {
		return nil, err
	}
	run, err := lamport.Replay(h)
	if err != nil {
		return nil, err
	}
	return Diagram(run, title)
}
