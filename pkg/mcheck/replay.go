package mcheck

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
)

// Replay runs schedule s on the nodes of model m in a netsim.Manual
// network, re-running the node code step by step, so that a
// counterexample is shown to be real; the Manual's Trace draws it
// (Trace.History, or package mcheck/mcplot). Replay checks that every
// step is possible and that each node sends and outputs what the search
// said; a difference (a node that is not deterministic: it ranges over a
// map to decide what to send, or keeps global state) is an error naming
// the step.
//
// The schedule may come from a search over the wire (Dial): messages are
// matched by sender, receiver and text.
func Replay(m *Model, s Schedule) (*netsim.Manual, error) {
	if m == nil || len(m.ids) == 0 {
		return nil, fmt.Errorf("mcheck: Replay: no model or no nodes")
	}
	man := netsim.NewManual(m.seed)
	for i, mn := range m.nodes {
		var n netsim.Node
		if mn.fresh != nil {
			n = netsim.Fresh(mn.fresh)
		} else {
			var err error
			if n, err = m.c.copyNode(mn.init); err != nil {
				return nil, fmt.Errorf("mcheck: Replay: node %s: %v", m.ids[i], err)
			}
		}
		if err := man.AddNode(m.ids[i], n); err != nil {
			return nil, fmt.Errorf("mcheck: Replay: %v", err)
		}
	}
	if err := man.Start(); err != nil {
		return man, fmt.Errorf("mcheck: Replay: at start: %v", err)
	}
	for k, a := range s {
		if err := replayStep(m, man, a); err != nil {
			return man, fmt.Errorf("mcheck: Replay: step %d (%s): %v", k+1, a, err)
		}
	}
	return man, nil
}

func replayStep(m *Model, man *netsim.Manual, a Action) error {
	before := len(man.Trace())
	var err error
	switch a.Kind {
	case Deliver, Drop, Lose, Duplicate:
		var id uint64
		if id, err = findMessage(m, man, a); err != nil {
			return err
		}
		if crashed := man.Crashed(a.Node); crashed != (a.Kind == Drop) && (a.Kind == Deliver || a.Kind == Drop) {
			return fmt.Errorf("node %s is crashed: %v, but the schedule says %s", a.Node, crashed, a.Kind)
		}
		switch a.Kind {
		case Deliver, Drop:
			err = man.Deliver(id)
		case Lose:
			err = man.Lose(id)
		case Duplicate:
			err = man.Duplicate(id)
		}
	case Fire:
		ts := man.Timers(a.Node)
		if a.Timer < 0 || a.Timer >= len(ts) {
			return fmt.Errorf("node %s has %d pending timers, not %d", a.Node, len(ts), a.Timer+1)
		}
		if got := Text(ts[a.Timer].Tag); got != a.Msg {
			return fmt.Errorf("pending timer %d of node %s has tag %s, not %s", a.Timer+1, a.Node, got, a.Msg)
		}
		err = man.Fire(a.Node, ts[a.Timer].ID)
	case Crash:
		err = man.Crash(a.Node)
	case Restart:
		err = man.Restart(a.Node)
	default:
		return fmt.Errorf("unknown action kind %v", a.Kind)
	}
	if err != nil {
		return err
	}
	// The node must have done what the search saw.
	var sends []SentMsg
	var outs []string
	for _, r := range man.Trace()[before:] {
		switch r.Op {
		case netsim.OpSend:
			sends = append(sends, SentMsg{To: r.To, Msg: Text(r.Msg)})
		case netsim.OpOutput:
			outs = append(outs, Text(r.Msg))
		}
	}
	if !slices.Equal(sends, a.Sends) || !slices.Equal(outs, a.Outputs) {
		return fmt.Errorf("the node sent %v and output %v, but during the search it sent %v and output %v "+
			"(is the node deterministic? ranging over a map or reading global variables makes it differ)",
			sends, outs, a.Sends, a.Outputs)
	}
	return nil
}

// findMessage returns the number of the first message in flight that
// matches a, checking that all candidates with the same text are equal.
func findMessage(m *Model, man *netsim.Manual, a Action) (uint64, error) {
	var id uint64
	var enc []byte
	found := false
	for _, msg := range man.InFlight() {
		if msg.From != a.From || msg.To != a.Node || Text(msg.Msg) != a.Msg {
			continue
		}
		e, err := m.c.appendValue(nil, msg.Msg)
		if err != nil {
			return 0, err
		}
		if !found {
			id, enc, found = msg.ID, e, true
		} else if !slices.Equal(e, enc) {
			return 0, fmt.Errorf("two different messages in flight from %s to %s show as %s", a.From, a.Node, a.Msg)
		}
	}
	if !found {
		return 0, fmt.Errorf("no message %s from %s to %s is in flight", a.Msg, a.From, a.Node)
	}
	return id, nil
}
