package totalorder

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// NewNode is a lab answer: it returns a new node for member self of
// members (self is its index: the tie-break of the total order).
type NewNode func(members []netsim.NodeID, self int) netsim.Node

// Scenario is one model-checking task of the lab.
type Scenario struct {
	// Broadcasts[i] is how many payloads member i broadcasts (A1, A2, ...
	// for member A); the members are A, B, C, ... .
	Broadcasts []int
	Duplicate  int // messages the network may duplicate
	Seed       uint64
	MaxStates  int
	// Isolated cuts every link: no member may then deliver anything,
	// not even its own broadcasts, which wait for the others (it catches
	// members that order through shared memory).
	// The judge keeps it to itself (not in the JSON sent to the
	// student's process), and the other fields look like another
	// hidden scenario's, so that nodes cannot tell the cut is coming.
	Isolated bool `json:"-"`
}

// Limits of a scenario.
const (
	MaxMembers       = 5
	MaxPerMember     = 4
	DefaultMaxStates = 3_000_000
	maxTime          = 60 * time.Second
	withinSlack      = 20
)

// Members returns the member IDs: A, B, C, ... .
func Members(n int) []netsim.NodeID {
	out := make([]netsim.NodeID, n)
	for i := range out {
		out[i] = netsim.NodeID(string(rune('A' + i)))
	}
	return out
}

// Payloads returns what member i broadcasts: "A1", "A2", ... .
func Payloads(members []netsim.NodeID, i, k int) []string {
	out := make([]string, k)
	for j := range out {
		out[j] = string(members[i]) + strconv.Itoa(j+1)
	}
	return out
}

// Validate reports whether s is a scenario the lab can build.
func (s Scenario) Validate() error {
	switch {
	case len(s.Broadcasts) < 2 || len(s.Broadcasts) > MaxMembers:
		return fmt.Errorf("totalorder: %d members; allowed 2 to %d", len(s.Broadcasts), MaxMembers)
	case s.Duplicate < 0 || s.Duplicate > 4:
		return fmt.Errorf("totalorder: duplication budget %d; allowed 0 to 4", s.Duplicate)
	case s.MaxStates < 0:
		return fmt.Errorf("totalorder: MaxStates %d is negative", s.MaxStates)
	}
	for i, k := range s.Broadcasts {
		if k < 0 || k > MaxPerMember {
			return fmt.Errorf("totalorder: member %d broadcasts %d payloads; allowed 0 to %d", i, k, MaxPerMember)
		}
	}
	return nil
}

// all returns every payload of the scenario, member by member.
func (s Scenario) all() []string {
	members := Members(len(s.Broadcasts))
	var out []string
	for i, k := range s.Broadcasts {
		out = append(out, Payloads(members, i, k)...)
	}
	return out
}

// String describes the scenario: "2 members (broadcasts: A 2, B 1), the
// network duplicates up to 1".
func (s Scenario) String() string {
	members := Members(len(s.Broadcasts))
	parts := make([]string, len(s.Broadcasts))
	for i, k := range s.Broadcasts {
		parts[i] = fmt.Sprintf("%s %d", members[i], k)
	}
	d := "no duplicates"
	if s.Duplicate > 0 {
		d = fmt.Sprintf("the network duplicates up to %d", s.Duplicate)
	}
	return fmt.Sprintf("%d members (broadcasts: %s), %s", len(members), strings.Join(parts, ", "), d)
}

// Build makes the model of a scenario: the answer's nodes, each inside
// the lab's FIFO layer.
func Build(newNode NewNode, s Scenario) (*mcheck.Model, error) {
	return build(newNode, s, false)
}

func build(newNode NewNode, s Scenario, raw bool) (*mcheck.Model, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if newNode == nil {
		return nil, fmt.Errorf("totalorder: no node constructor (nil)")
	}
	members := Members(len(s.Broadcasts))
	m := mcheck.NewModel(s.Seed)
	for i, k := range s.Broadcasts {
		n := newNode(slices.Clone(members), i)
		if n == nil {
			return nil, fmt.Errorf("totalorder: the constructor returned nil for member %s", members[i])
		}
		l := newLayer(n, members, Payloads(members, i, k), nil, raw)
		if err := m.AddNode(members[i], l); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Property names.
const (
	IntegrityName = "each broadcast delivered at most once"
	SameOrderName = "same order everywhere"
	AllName       = "every broadcast delivered everywhere"
)

// Integrity is an invariant: every node delivers (outputs) only payloads
// that were broadcast, each at most once.
func Integrity(s Scenario) mcheck.Invariant {
	payloads := s.all()
	return mcheck.Invariant{Name: IntegrityName, Check: func(st *mcheck.State) error {
		return integrity(st.Nodes(), outputs(st), payloads)
	}}
}

// SameOrder is the invariant of totally ordered broadcast: of any two
// nodes, the sequence one has delivered so far is a prefix of the other's.
func SameOrder() mcheck.Invariant {
	return mcheck.Invariant{Name: SameOrderName, Check: func(st *mcheck.State) error {
		return sameOrder(st.Nodes(), outputs(st))
	}}
}

func outputs(st *mcheck.State) [][]any {
	ids := st.Nodes()
	out := make([][]any, len(ids))
	for i, id := range ids {
		out[i] = st.Outputs(id)
	}
	return out
}

// integrity reports a node that output something other than a payload,
// a payload nobody broadcast, or a payload twice.
func integrity(ids []netsim.NodeID, outs [][]any, payloads []string) error {
	for n, out := range outs {
		id := ids[n]
		for i, v := range out {
			p, ok := v.(string)
			switch {
			case !ok:
				return fmt.Errorf("%s output %s (a %T): output the payload, a string", id, mcheck.Text(v), v)
			case !slices.Contains(payloads, p):
				return fmt.Errorf("%s delivered %q, which nobody broadcast", id, p)
			case slices.Contains(out[:i], v):
				return fmt.Errorf("%s delivered %s twice", id, p)
			}
		}
	}
	return nil
}

// sameOrder reports two nodes neither of whose delivery sequences is a
// prefix of the other's.
func sameOrder(ids []netsim.NodeID, outs [][]any) error {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			oa, ob := outs[i], outs[j]
			for k := range min(len(oa), len(ob)) {
				if !same(oa[k], ob[k]) {
					return fmt.Errorf("%s delivered %s, %s delivered %s: their deliveries %d differ",
						ids[i], sequence(oa), ids[j], sequence(ob), k+1)
				}
			}
		}
	}
	return nil
}

// same compares two outputs (of any type: a slice must not panic).
func same(a, b any) bool {
	sa, oka := a.(string)
	sb, okb := b.(string)
	if oka && okb {
		return sa == sb
	}
	return mcheck.Text(a) == mcheck.Text(b)
}

// sequence formats outputs: "A1 B1".
func sequence(out []any) string {
	if len(out) == 0 {
		return "nothing"
	}
	parts := make([]string, len(out))
	for i, v := range out {
		if p, ok := v.(string); ok {
			parts[i] = p
		} else {
			parts[i] = mcheck.Text(v)
		}
	}
	return strings.Join(parts, " ")
}

// AllDelivered is the liveness goal: every node delivered every payload.
func AllDelivered(s Scenario) mcheck.Predicate {
	n := len(s.all())
	return mcheck.Predicate{Name: AllName, Holds: func(st *mcheck.State) bool {
		for _, id := range st.Nodes() {
			if len(st.Outputs(id)) < n {
				return false
			}
		}
		return true
	}}
}

// Within is the bound of the liveness check: every timer and message of
// a run of the protocol (a broadcast, its data to the others, their acks
// to everyone), plus some slack for a protocol that sends a little more.
func (s Scenario) Within() int {
	n := len(s.Broadcasts)
	b := len(s.all())
	return b + b*(n-1) + b*(n-1)*(n-1) + withinSlack
}

// Options are the properties and bounds of a scenario's search.
func Options(s Scenario) mcheck.Options {
	max := s.MaxStates
	if max == 0 {
		max = DefaultMaxStates
	}
	if s.Isolated {
		return labkit.IsolationOptions(labkit.Isolation(Members(len(s.Broadcasts)), func(any) bool { return true },
			"a delivery, which waits for a later timestamp from every other member"), s.Within(), max)
	}
	return mcheck.Options{
		Invariants: []mcheck.Invariant{Integrity(s), SameOrder()},
		Liveness:   &mcheck.Liveness{Goal: AllDelivered(s), Within: s.Within()},
		Faults:     mcheck.Faults{Duplicate: s.Duplicate},
		MaxStates:  max,
		MaxTime:    maxTime,
	}
}

// Registry lists the types that cross the wire under the grader: the
// outputs (payloads, strings) and the lab's messages.
func Registry() *mcheck.Registry {
	return labkit.Registry(map[string]any{"string": "", "totalorder.Data": Data{}, "totalorder.Ack": Ack{},
		"totalorder.Broadcast": Broadcast{}})
}

// Lesson holds the lab's exercise.
var Lesson = exercise.NewLesson("lab-12-totally-ordered-broadcast", "Lab: totally ordered broadcast")

// Visible is the scenario the notebook checks: two members, three
// broadcasts, and a network that may duplicate one message.
var Visible = exercise.Scenario[Scenario]{
	Name:    "2 members (A broadcasts twice, B once), the network duplicates up to 1",
	In:      Scenario{Broadcasts: []int{2, 1}, Duplicate: 1, Seed: 1},
	Options: Options,
}

// Hidden draws the grader's scenarios: three members (one or two of them
// silent, so that only acknowledgements tell the others what they have
// seen), more broadcasts, duplicates, other seeds.
func Hidden(rng *rand.Rand) []exercise.Scenario[Scenario] {
	seed := func() uint64 { return rng.Uint64N(1000) + 2 }
	two := func() []int { // two members of three broadcast once
		b := []int{1, 1, 1}
		b[rng.IntN(3)] = 0
		return b
	}
	one := make([]int, 3) // one member of three broadcasts twice
	one[rng.IntN(3)] = 2
	five := []int{3, 2}
	if rng.IntN(2) == 1 {
		five = []int{2, 3}
	}
	sc := func(name string, s Scenario) exercise.Scenario[Scenario] {
		s.Seed = seed()
		return exercise.Scenario[Scenario]{Name: name, In: s, Options: Options}
	}
	return labkit.PlaceLast(rng, []exercise.Scenario[Scenario]{
		sc("3 members, two of them broadcast once", Scenario{Broadcasts: two()}),
		sc("3 members, one broadcasts twice, the network duplicates up to 1", Scenario{Broadcasts: one, Duplicate: 1}),
		sc("2 members, five broadcasts, the network duplicates up to 1", Scenario{Broadcasts: five, Duplicate: 1}),
		sc("3 members, two of them broadcast once, the network duplicates up to 1", Scenario{Broadcasts: two(), Duplicate: 1}),
		sc("3 members, two of them broadcast once, every link cut: nobody may deliver", Scenario{Broadcasts: two(), Isolated: true}),
	})
}

// Judge turns a search's report into a verdict with a hint for the
// typical mistakes.
func Judge(s Scenario, r *mcheck.Report) exercise.Verdict {
	return labkit.Judge(r, hint, "keep your node's state bounded and small: no counters that grow without reason, no copies of "+
		"messages kept after they are delivered")
}

// hint diagnoses a violation from the property and the schedule.
func hint(r *mcheck.Report) string {
	switch {
	case r.Property == AllName:
		return "some node waits for a message that never comes. After a broadcast every member must hear from " +
			"every other one: acknowledge each broadcast to all the other members, not only to its sender; move the " +
			"clock past every stamp you receive, so that an ack is stamped later than what it acknowledges; count " +
			"a broadcast stamped T as hearing T from its sender (a stamp at least as late as the head is enough); " +
			"and after each event deliver every head that is ready, not just one"
	case strings.Contains(r.Detail, "output the payload"):
		return "deliver with ctx.Output(d.Payload), the broadcast's payload"
	case strings.Contains(r.Detail, "twice"):
		return "the network may deliver a second copy of a message, later than the first: a broadcast from q " +
			"stamped no later than what you last heard from q is such a copy; ignore it. And deliver each queued " +
			"broadcast once: take it out of the queue"
	case r.Property == SameOrderName:
		if tie := tiedPair(r); tie != "" {
			return tie + " carry the same timestamp, and two nodes ordered them differently: break ties by the " +
				"sender's index, the same way at every node"
		}
		return "a node delivered a broadcast before it could know that nothing smaller was still on its way: " +
			"deliver the head of the queue (the smallest by timestamp, then sender) only once every other member " +
			"has sent you something stamped at least as late; a node's own broadcasts go into its queue too"
	}
	return "follow the run step by step: which message or timer does your node handle wrongly?"
}

// tiedPair looks for the first deliveries on which two nodes of the
// schedule disagree and returns "A1 and B1" if both nodes delivered both
// broadcasts, in opposite orders, and the two carry the same timestamp in
// the transcript (Data texts "A1@1 #0"); else "".
func tiedPair(r *mcheck.Report) string {
	stamps := map[string]string{}
	outs := map[netsim.NodeID][]string{}
	for _, a := range r.Schedule {
		for _, sm := range a.Sends {
			if p, ts, ok := dataText(sm.Msg); ok {
				if _, seen := stamps[p]; !seen {
					stamps[p] = ts
				}
			}
		}
		for _, o := range a.Outputs {
			if p, err := strconv.Unquote(o); err == nil {
				outs[a.Node] = append(outs[a.Node], p)
			}
		}
	}
	for _, sm := range r.Start {
		for _, m := range sm.Sends {
			if p, ts, ok := dataText(m.Msg); ok {
				if _, seen := stamps[p]; !seen {
					stamps[p] = ts
				}
			}
		}
	}
	ids := slices.Sorted(maps.Keys(outs))
	for i, a := range ids {
		for _, b := range ids[i+1:] {
			oa, ob := outs[a], outs[b]
			for k := range min(len(oa), len(ob)) {
				if oa[k] != ob[k] {
					x, y := oa[k], ob[k]
					both := slices.Contains(oa, y) && slices.Contains(ob, x)
					if sx, ok := stamps[x]; ok && both && sx == stamps[y] {
						return x + " and " + y
					}
					return ""
				}
			}
		}
	}
	return ""
}

// dataText splits the text of a Data packet, "A1@1 #0", into payload and
// timestamp.
func dataText(s string) (payload, ts string, ok bool) {
	s, _, _ = strings.Cut(s, " #")
	payload, ts, ok = strings.Cut(s, "@")
	if !ok || payload == "" || strings.HasPrefix(payload, "ack") {
		return "", "", false
	}
	if _, err := strconv.ParseUint(ts, 10, 64); err != nil {
		return "", "", false
	}
	return payload, ts, true
}

// Lab is the graded exercise: totally ordered broadcast, model checked.
var Lab = exercise.NewModel(Lesson, "Lab", exercise.ModelSpec[NewNode, Scenario]{
	Build:    Build,
	Registry: Registry,
	Visible:  Visible,
	Hidden:   Hidden,
	Judge:    Judge,
	Show:     Show,
})
