package exactlyonce

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Data carries message number Seq (0, 1, 2, ...) with its payload Val.
type Data struct {
	Seq int
	Val string
}

// Ack acknowledges every message before Next (a cumulative
// acknowledgement: "I have 0 … Next−1, send me Next").
type Ack struct{ Next int }

// The nodes' IDs.
const (
	SenderID   netsim.NodeID = "S"
	ReceiverID netsim.NodeID = "R"
)

// Nodes is a lab answer: how to build the sender of msgs and the
// receiver. Both must return a new node at every call.
type Nodes struct {
	Sender   func(msgs []string) netsim.Node
	Receiver func() netsim.Node
}

// build returns the two nodes, or an error naming what is missing.
func (n Nodes) build(msgs []string) (s, r netsim.Node, err error) {
	if n.Sender == nil || n.Receiver == nil {
		return nil, nil, fmt.Errorf("exactlyonce: Nodes needs both constructors, Sender and Receiver")
	}
	s = n.Sender(slices.Clone(msgs))
	r = n.Receiver()
	if s == nil || r == nil {
		return nil, nil, fmt.Errorf("exactlyonce: a constructor returned nil")
	}
	return s, r, nil
}

// Scenario is one model-checking task of the lab: the messages S must
// deliver, the fault budgets of the link, and the bound of the liveness
// check.
type Scenario struct {
	Msgs      []string
	Loss      int // messages the link may lose
	Duplicate int // messages the link may duplicate
	Within    int // all delivered within this many fault-free steps
	Seed      uint64
	MaxStates int
	// Isolated cuts every link: R must then deliver nothing (it catches
	// nodes that pass messages through shared memory).
	// The judge keeps it to itself (not in the JSON sent to the
	// student's process), and the other fields look like another
	// hidden scenario's, so that nodes cannot tell the cut is coming.
	Isolated bool `json:"-"`
}

// Lesson holds the lab's exercise.
var Lesson = exercise.NewLesson("lab-04-exactly-once-delivery", "Lab: exactly-once delivery")

// Visible is the scenario the notebook checks.
var Visible = exercise.Scenario[Scenario]{
	Name:    "2 messages, the link loses up to 1 and duplicates up to 1",
	In:      Scenario{Msgs: []string{"a", "b"}, Loss: 1, Duplicate: 1, Within: 12, Seed: 1},
	Options: Options,
}

// Hidden draws the grader's scenarios: more messages and faults, payloads
// drawn at random (some repeated, so that only sequence numbers tell
// messages apart), other seeds.
func Hidden(rng *rand.Rand) []exercise.Scenario[Scenario] {
	words := []string{"a", "b", "c", "d", "e"}
	pick := func(n int, repeat bool) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = words[rng.IntN(len(words))]
		}
		if repeat && n >= 2 && !hasRepeat(out) {
			out[n-1] = out[rng.IntN(n-1)]
		}
		return out
	}
	seed := func() uint64 { return rng.Uint64N(1000) + 2 }
	return labkit.PlaceLast(rng, []exercise.Scenario[Scenario]{
		{Name: "3 messages, the link loses up to 2 and duplicates up to 1",
			In: Scenario{Msgs: pick(3, false), Loss: 2, Duplicate: 1, Within: 16, Seed: seed()}, Options: Options},
		{Name: "4 messages, some with the same payload, the link loses up to 1 and duplicates up to 1",
			In: Scenario{Msgs: pick(4, true), Loss: 1, Duplicate: 1, Within: 20, Seed: seed()}, Options: Options},
		{Name: "2 messages, the link loses up to 4",
			In: Scenario{Msgs: pick(2, false), Loss: 4, Within: 12, Seed: seed()}, Options: Options},
		{Name: "3 messages, every link cut: R must deliver nothing",
			In: Scenario{Msgs: pick(3, false), Loss: 2, Duplicate: 1, Within: 16, Isolated: true, Seed: seed()}, Options: Options},
	})
}

func hasRepeat(s []string) bool {
	for i := range s {
		if slices.Contains(s[:i], s[i]) {
			return true
		}
	}
	return false
}

// Search limits of every scenario.
const (
	DefaultMaxStates = 3_000_000
	maxTime          = 60 * time.Second
	isolationDepth   = 16
)

// Options are the properties and bounds of a scenario's search: the
// invariant InOrderOnce, the liveness property AllDelivered within
// s.Within fault-free steps, and the link's fault budgets.
func Options(s Scenario) mcheck.Options {
	states := s.MaxStates
	if states == 0 {
		states = DefaultMaxStates
	}
	if s.Isolated {
		return labkit.IsolationOptions(labkit.Isolation([]netsim.NodeID{ReceiverID}, func(any) bool { return true }, "a delivery"), isolationDepth, states)
	}
	return mcheck.Options{
		Invariants: []mcheck.Invariant{InOrderOnce(s.Msgs)},
		Liveness:   &mcheck.Liveness{Goal: AllDelivered(s.Msgs), Within: s.Within},
		Faults:     mcheck.Faults{Loss: s.Loss, Duplicate: s.Duplicate},
		MaxStates:  states,
		MaxTime:    maxTime,
	}
}

// Property names.
const (
	InOrderOnceName  = "exactly once, in order"
	AllDeliveredName = "all delivered"
)

// InOrderOnce is the invariant: what R delivered so far is a prefix of
// msgs (nothing twice, nothing out of order, nothing invented).
func InOrderOnce(msgs []string) mcheck.Invariant {
	return mcheck.Invariant{Name: InOrderOnceName, Check: func(s *mcheck.State) error {
		return checkDelivered(msgs, s.Outputs(ReceiverID))
	}}
}

// checkDelivered reports how the outputs out fail to be a prefix of msgs.
func checkDelivered(msgs []string, out []any) error {
	for i, v := range out {
		val, ok := v.(string)
		switch {
		case !ok:
			return fmt.Errorf("R output %s (a %T): output the payload, a string", mcheck.Text(v), v)
		case i >= len(msgs):
			return fmt.Errorf("R delivered %d messages; S sends only %d", len(out), len(msgs))
		case val != msgs[i]:
			if i > 0 && val == msgs[i-1] && !slices.Contains(msgs[i:], val) {
				return fmt.Errorf("R delivered message %d (%q) twice", i-1, val)
			}
			return fmt.Errorf("R delivered %q where message %d (%q) belongs", val, i, msgs[i])
		}
	}
	return nil
}

// AllDelivered is the liveness goal: R delivered every message.
func AllDelivered(msgs []string) mcheck.Predicate {
	return mcheck.Predicate{Name: AllDeliveredName, Holds: func(s *mcheck.State) bool {
		return len(s.Outputs(ReceiverID)) >= len(msgs)
	}}
}

// Build makes the model of a scenario from the answer.
func Build(n Nodes, s Scenario) (*mcheck.Model, error) {
	snd, rcv, err := n.build(s.Msgs)
	if err != nil {
		return nil, err
	}
	m := mcheck.NewModel(s.Seed)
	if err := m.AddNode(SenderID, snd); err != nil {
		return nil, err
	}
	if err := m.AddNode(ReceiverID, rcv); err != nil {
		return nil, err
	}
	return m, nil
}

// Registry lists the types that cross the wire under the grader: R's
// outputs (strings) and the lab's messages.
func Registry() *mcheck.Registry {
	return labkit.Registry(map[string]any{"string": "", "exactlyonce.Data": Data{}, "exactlyonce.Ack": Ack{}})
}

// Judge turns a report into a verdict with a hint for the typical
// mistakes.
func Judge(s Scenario, r *mcheck.Report) exercise.Verdict {
	return labkit.Judge(r, hint, "keep your nodes' state bounded: a counter that grows with every retransmission or a log that is "+
		"never trimmed makes the number of states infinite")
}

// hint diagnoses a violation from the property and its detail.
func hint(r *mcheck.Report) string {
	switch {
	case r.Property == AllDeliveredName:
		return "a message or an acknowledgement can be lost: the sender must keep retransmitting what is not yet " +
			"acknowledged (a timer), and the receiver must acknowledge again a copy it has already delivered, " +
			"and deliver every message, also one whose payload it has seen before"
	case strings.Contains(r.Detail, "twice"):
		return "a retransmission or a duplicate brings the same message again: number the messages and deliver each number once (acknowledge the copy, do not deliver it)"
	case strings.Contains(r.Detail, "output the payload"):
		return "deliver with ctx.Output(d.Val), the message's payload"
	}
	return "messages can overtake each other: deliver message i only after message i−1 (drop, or keep, a message that arrives early)"
}

// Lab is the graded exercise: exactly-once, in-order delivery, model
// checked.
var Lab = exercise.NewModel(Lesson, "Lab", exercise.ModelSpec[Nodes, Scenario]{
	Build:    Build,
	Registry: Registry,
	Visible:  Visible,
	Hidden:   Hidden,
	Judge:    Judge,
	Show:     labkit.Show,
})
