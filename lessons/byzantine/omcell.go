package byzantine

import (
	"fmt"
	"slices"
	"strings"

	bz "github.com/dslessons/course/pkg/byzantine"
)

// The notebook shows the OM(m) recursion as a cell students can edit and
// break: an OMFunc written in the cell, run on a Net that carries its
// messages (RunOM) and compared with pkg/byzantine's OM on many
// configurations (CheckOM). pkg/byzantine's OM is the reference the tests
// check; ReferenceOM is the same recursion in the cell's form, kept here so
// that a test holds the cell's code to the library's behaviour.

// OMFunc is OM(m) written the way the notebook's cell writes it: the
// commander, the last general on path (the chain of commanders of the
// enclosing instances, path[0] the top commander), sends v to the
// lieutenants over net; the result is what each lieutenant decides.
type OMFunc func(net *Net, m int, path []int, v bz.Value, lieutenants []int) map[int]bz.Value

// Net carries the messages of one run of an OMFunc: a loyal general's
// message arrives as sent, a traitor's is what the configuration's
// Strategy makes of it, and a message that is not sent arrives as the
// default, Retreat. It counts and traces the messages like pkg/byzantine.
type Net struct {
	cfg         bz.Config
	loyal       []bool
	slots, sent int
	trace       []bz.Hop
	err         error
}

// MaxNetMessages bounds the messages of one run on a Net: an OMFunc that
// recurses without end stops with an error instead of running out of
// memory.
const MaxNetMessages = 1_000_000

// Send sends v from the last general on path to general to and returns
// what arrives. Path is the chain of commanders (the sender last); the
// message's recursion level is len(path)−1.
func (n *Net) Send(path []int, to int, v bz.Value) bz.Value {
	if n.err != nil {
		return bz.Retreat
	}
	if len(path) == 0 || path[len(path)-1] < 0 || path[len(path)-1] >= n.cfg.N || to < 0 || to >= n.cfg.N {
		n.err = fmt.Errorf("byzantine: a message on path %v to %d names a general outside 0..%d", path, to, n.cfg.N-1)
		return bz.Retreat
	}
	if n.slots >= MaxNetMessages {
		n.err = fmt.Errorf("byzantine: more than %d messages: does the recursion stop at m = 0?", MaxNetMessages)
		return bz.Retreat
	}
	from := path[len(path)-1]
	n.slots++
	got, ok := v, true
	if !n.loyal[from] {
		got, ok = n.ask(bz.Message{Level: len(path) - 1, Path: slices.Clone(path), From: from, To: to, Value: v})
		if ok && got != bz.Attack && got != bz.Retreat {
			got = bz.Retreat
		}
	}
	if ok {
		n.sent++
	} else {
		got = bz.Retreat
	}
	if len(n.trace) < bz.MaxTraceHops {
		n.trace = append(n.trace, bz.Hop{Level: len(path) - 1, Path: slices.Clone(path), From: from, To: to, Value: got, Sent: ok, Traitor: !n.loyal[from]})
	}
	return got
}

// ask asks the strategy, turning a panic into the run's error.
func (n *Net) ask(m bz.Message) (v bz.Value, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			n.err = fmt.Errorf("byzantine: strategy %T panicked on message %d→%d: %v", n.cfg.Strategy, m.From, m.To, p)
			v, ok = bz.Retreat, false
		}
	}()
	return n.cfg.Strategy.Send(m)
}

// Without returns the lieutenants other than i, in their order (a new
// slice).
func Without(lieutenants []int, i int) []int {
	out := make([]int, 0, len(lieutenants))
	for _, l := range lieutenants {
		if l != i {
			out = append(out, l)
		}
	}
	return out
}

// Extend returns path followed by i (a new slice: path is not changed).
func Extend(path []int, i int) []int {
	return append(slices.Clone(path), i)
}

// Majority returns Attack if more than half of the values are Attack, and
// Retreat otherwise (a tie, or no values at all).
func Majority(values []bz.Value) bz.Value {
	attack := 0
	for _, v := range values {
		if v == bz.Attack {
			attack++
		}
	}
	if 2*attack > len(values) {
		return bz.Attack
	}
	return bz.Retreat
}

// ReferenceOM is the notebook cell's recursion as the library keeps it.
func ReferenceOM(net *Net, m int, path []int, v bz.Value, lieutenants []int) map[int]bz.Value {
	// Step 1: the commander sends its value to every lieutenant.
	received := map[int]bz.Value{}
	for _, l := range lieutenants {
		received[l] = net.Send(path, l, v)
	}
	if m == 0 {
		return received // OM(0): each lieutenant uses the value it received
	}
	// Step 2: each lieutenant i acts as the commander of OM(m−1), passing
	// on what it received to the others. vals[j] collects j's values.
	vals := map[int][]bz.Value{}
	for _, j := range lieutenants {
		vals[j] = []bz.Value{received[j]} // what j got from the commander
	}
	for _, i := range lieutenants {
		others := Without(lieutenants, i)
		sub := ReferenceOM(net, m-1, Extend(path, i), received[i], others)
		for _, j := range others {
			vals[j] = append(vals[j], sub[j]) // v_i: what j decided in i's OM(m−1)
		}
	}
	// Step 3: each lieutenant takes the majority (a tie means Retreat).
	decided := map[int]bz.Value{}
	for _, j := range lieutenants {
		decided[j] = Majority(vals[j])
	}
	return decided
}

// RunOM runs om on cfg (OM(cfg.M) with cfg.N generals; cfg.Trace is
// ignored, the trace is always kept) and judges the decisions. The
// result's Messages, Slots and Trace are counted by the Net.
func RunOM(cfg bz.Config, om OMFunc) (bz.Result, error) {
	if om == nil {
		return bz.Result{}, fmt.Errorf("byzantine: RunOM needs an OM function, got nil")
	}
	if err := cfg.Validate(); err != nil {
		return bz.Result{}, err
	}
	if c := bz.MessageCount(cfg.N, cfg.M); c < 0 || c > MaxNetMessages {
		return bz.Result{}, fmt.Errorf("byzantine: OM(%d) with n=%d sends more than %d messages; use a smaller n or m", cfg.M, cfg.N, MaxNetMessages)
	}
	loyal := make([]bool, cfg.N)
	for i := range loyal {
		loyal[i] = !slices.Contains(cfg.Traitors, i)
	}
	net := &Net{cfg: cfg, loyal: loyal}
	var lts []int
	for i := range cfg.N {
		if i != cfg.Commander {
			lts = append(lts, i)
		}
	}
	dec, err := callOM(om, net, cfg, lts)
	if err != nil {
		return bz.Result{}, err
	}
	if net.err != nil {
		return bz.Result{}, net.err
	}
	decisions := make([]bz.Value, cfg.N)
	for _, l := range lts {
		d, ok := dec[l]
		if !ok {
			return bz.Result{}, fmt.Errorf("byzantine: your OM returned no decision for lieutenant %d", l)
		}
		decisions[l] = d
	}
	res, err := bz.Judge(cfg.Commander, cfg.Order, decisions, loyal)
	if err != nil {
		return bz.Result{}, err
	}
	res.Messages, res.Slots, res.Trace = net.sent, net.slots, net.trace
	return res, nil
}

// callOM calls om, turning a panic into an error.
func callOM(om OMFunc, net *Net, cfg bz.Config, lts []int) (dec map[int]bz.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("byzantine: your OM panicked: %v", p)
		}
	}()
	return om(net, cfg.M, []int{cfg.Commander}, cfg.Order, lts), nil
}

// pathTraitor is a deterministic traitor whose lies depend on the whole
// message (path, receiver and value), so an OM that sends to the wrong
// generals or on the wrong path gets different answers from it.
type pathTraitor struct{}

func (pathTraitor) Send(m bz.Message) (bz.Value, bool) {
	h := m.To*7 + int(m.Value)*3
	for _, p := range m.Path {
		h = h*5 + p
	}
	switch h % 3 {
	case 0:
		return bz.Attack, true
	case 1:
		return bz.Retreat, true
	}
	return bz.Retreat, false
}

// OMCheck is the outcome of comparing an OMFunc with pkg/byzantine's OM.
type OMCheck struct {
	Runs int // configurations compared
	// Broken is true when the OMFunc breaks IC1 or IC2 with n > 3m, where
	// OM guarantees both: that run is the one reported.
	Broken bool
	// Mismatch describes how the reported run differs from the library's
	// ("" when every run matched and nothing is broken).
	Mismatch string
	// Yours and Library are the two runs of the reported configuration.
	Yours, Library bz.Result
	Config         bz.Config
	Strategy       string
	bad            int // runs that differ or break
}

// OK reports whether every configuration matched.
func (c OMCheck) OK() bool { return c.Mismatch == "" && !c.Broken }

func (c OMCheck) String() string {
	if c.OK() {
		return fmt.Sprintf("✓ your OM decides like the library's in all %d runs (n = 3…7, m = 0…2, every placement of up to m traitors, 4 traitor strategies, both orders)", c.Runs)
	}
	cfg := c.Config
	var b strings.Builder
	fmt.Fprintf(&b, "✗ your OM differs from the library's in %d of %d runs. ", c.bad, c.Runs)
	if c.Broken {
		fmt.Fprintf(&b, "It even breaks IC1 or IC2 where n > 3m guarantees them (%d > %d); the first such run:\n", cfg.N, 3*cfg.M)
	} else {
		b.WriteString("The first:\n")
	}
	fmt.Fprintf(&b, "  OM(%d), n=%d, commander %d orders %s, traitors %v (%s)\n", cfg.M, cfg.N, cfg.Commander, cfg.Order, cfg.Traitors, c.Strategy)
	fmt.Fprintf(&b, "  %s\n", c.Mismatch)
	fmt.Fprintf(&b, "  yours:   %s\n  library: %s", c.Yours, c.Library)
	return b.String()
}

// checkStrategies are the traitors CheckOM uses: each answers a message
// the same way whenever it is asked, so the comparison does not depend on
// the order in which an OM sends.
var checkStrategies = []NamedStrategy{
	{"liar", func(uint64) bz.Strategy { return bz.Liar{} }},
	{"silent", func(uint64) bz.Strategy { return bz.Silent{} }},
	{"two-faced", func(uint64) bz.Strategy { return bz.TwoFaced{} }},
	{"path-dependent", func(uint64) bz.Strategy { return pathTraitor{} }},
}

// CheckOM runs om and pkg/byzantine's OM on the same configurations — n
// from 3 to 7, m from 0 to 2 (m ≤ n−2), commander 0, every placement of
// up to m traitors with each of four deterministic strategies, both
// orders — and reports the first run in which om breaks IC1 or IC2 although
// n > 3m, or else the first in which the decisions or message counts
// differ from the library's.
func CheckOM(om OMFunc) (OMCheck, error) {
	if om == nil {
		return OMCheck{}, fmt.Errorf("byzantine: CheckOM needs an OM function, got nil")
	}
	var out, first OMCheck
	bad := 0
	for n := 3; n <= 7; n++ {
		for m := 0; m <= min(2, n-2); m++ {
			for k := 0; k <= m; k++ {
				for _, traitors := range combinations(n, k) {
					strategies := checkStrategies
					if k == 0 {
						strategies = strategies[:1]
					}
					for _, st := range strategies {
						for _, order := range []bz.Value{bz.Attack, bz.Retreat} {
							cfg := bz.Config{N: n, M: m, Order: order, Traitors: traitors, Strategy: st.New(0)}
							lib, err := bz.OM(cfg)
							if err != nil {
								return OMCheck{}, err
							}
							yours, err := RunOM(cfg, om)
							if err != nil {
								return OMCheck{Runs: out.Runs, Config: cfg, Strategy: st.Name, Library: lib}, err
							}
							out.Runs++
							d := differ(yours, lib)
							broken := n > 3*m && yours.Verdict == bz.Violation
							if d == "" && !broken {
								continue
							}
							bad++
							if d == "" {
								d = "same decisions as the library's, which never break IC1 or IC2 here"
							}
							name := st.Name
							if k == 0 {
								name = "no traitors"
							}
							if first.Mismatch == "" || (broken && !first.Broken) {
								first = OMCheck{Broken: broken, Mismatch: d, Yours: yours, Library: lib, Config: cfg, Strategy: name}
							}
						}
					}
				}
			}
		}
	}
	if bad == 0 {
		return out, nil
	}
	first.Runs, first.bad = out.Runs, bad
	return first, nil
}

// differ says how two runs of the same configuration differ, or "".
func differ(yours, lib bz.Result) string {
	var ds []string
	for i := range lib.Decisions {
		if i != lib.Commander && yours.Decisions[i] != lib.Decisions[i] {
			ds = append(ds, fmt.Sprintf("lieutenant %d decides %s (library: %s)", i, yours.Decisions[i], lib.Decisions[i]))
		}
	}
	if len(ds) > 0 {
		return strings.Join(ds, "; ")
	}
	if yours.Slots != lib.Slots {
		return fmt.Sprintf("same decisions, but your OM has generals send %d messages, the library's %d", yours.Slots, lib.Slots)
	}
	return ""
}

// combinations returns every k-subset of 0..n-1 in lexicographic order.
func combinations(n, k int) [][]int {
	var out [][]int
	c := make([]int, k)
	var rec func(i, start int)
	rec = func(i, start int) {
		if i == k {
			out = append(out, slices.Clone(c))
			return
		}
		for x := start; x <= n-(k-i); x++ {
			c[i] = x
			rec(i+1, x+1)
		}
	}
	rec(0, 0)
	return out
}
