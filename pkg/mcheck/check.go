package mcheck

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// Invariant is a safety property: it must hold in every reachable state.
// Check returns nil when the state is fine and otherwise an error saying
// what is wrong ("R output "a" twice"), which the report shows.
type Invariant struct {
	Name  string
	Check func(s *State) error
}

// Predicate is a named test of a global state: a goal to reach (Holds
// reports whether s is one), or a state not to explore further (Prune).
type Predicate struct {
	Name  string
	Holds func(s *State) bool
}

// Liveness is bounded liveness: from every reachable state, some
// continuation of at most Within steps without new faults (only
// deliveries, drops at crashed nodes and timers: no loss, duplication,
// crash or restart) reaches Goal. It fails, for example, when a lost
// message is never retransmitted, or when a crashed coordinator leaves
// participants unable to decide (they block until it restarts).
type Liveness struct {
	Goal   Predicate
	Within int
}

// Faults are fault budgets (in Options) or faults used (State.Faults):
// how many messages the network may lose or duplicate and how many
// crashes nodes may suffer in one run. Restarts are free. Each budget is
// at most 255.
type Faults struct {
	Loss, Duplicate, Crash int
}

// maxWithin bounds Liveness.Within.
const maxWithin = 10_000

// Default limits.
const (
	DefaultMaxStates   = 1_000_000
	DefaultMaxTime     = time.Minute
	DefaultStepTimeout = time.Second
	DefaultWalkDepth   = 100
	DefaultMaxCopies   = 2
)

// Options says what Check looks for and how far. Zero limits mean the
// defaults; negative ones are an error.
type Options struct {
	Invariants []Invariant
	// Goal, if set, makes the search stop at the first state where it
	// holds (GoalReached), or report GoalNotReached.
	Goal *Predicate
	// Prune lists states the search checks but does not explore past
	// ("a leader was elected in term 3"): a bound that keeps an
	// otherwise infinite state space finite. Liveness counts a pruned
	// state as reaching its goal (the search cannot look past it).
	Prune []Predicate
	// Liveness, if set, is checked over every state explored (after a
	// breadth-first search that did not stop early).
	Liveness *Liveness
	// Faults are the fault budgets; the zero value is a network that
	// reorders messages but loses, duplicates and crashes nothing.
	Faults Faults
	// Isolated cuts every link: each message sent is lost at once, so
	// nodes run alone on their starts and timers. An invariant then
	// checks that a node learns nothing it could only learn from a
	// message, which catches nodes that talk through shared memory
	// (package-level variables, one node's pointer into another)
	// instead of the network. Transcripts still show the sends.
	Isolated bool
	// MaxCopies bounds the identical copies of one message on one link
	// in flight (default 2, at most 255). A send that would exceed it is
	// absorbed, as if it were one of the copies already in flight. It
	// keeps retransmitting protocols finite; raise it to explore more.
	MaxCopies int
	// MaxDepth bounds the length of schedules (0: none for breadth-
	// first search; DefaultWalkDepth for random walks).
	MaxDepth int
	// MaxStates bounds the distinct states visited (default
	// DefaultMaxStates).
	MaxStates int
	// MaxTime bounds the wall-clock time of the whole search (default
	// DefaultMaxTime).
	MaxTime time.Duration
	// StepTimeout bounds one call of a node's Handle, an invariant or a
	// goal (default DefaultStepTimeout). A call that does not return in
	// time ends the search with an error; its goroutine cannot be
	// stopped and is left behind.
	StepTimeout time.Duration
	// Walks, if positive, replaces the breadth-first search by that many
	// random walks of up to MaxDepth steps, seeded by Seed; a failing
	// walk is shrunk (delta debugging) to a short schedule.
	Walks int
	Seed  uint64
}

// Check explores the states of machine m (usually a *Model) and reports
// whether the invariants hold in every reachable state within the
// options' bounds. The report holds a shortest schedule to a violation
// (breadth-first search) and the search's statistics.
//
// Check returns an error for bad options, and for a node or predicate
// that fails: a *NodeError for a node that panics, does not return, or
// cannot be encoded (with a shortest schedule to where it happened), and
// an error naming the predicate for an invariant or goal that panics.
func Check(m Machine, opt Options) (*Report, error) {
	if m == nil {
		return nil, errors.New("mcheck: Check: nil machine")
	}
	if err := opt.normalize(); err != nil {
		return nil, err
	}
	ids := m.Nodes()
	if len(ids) == 0 {
		return nil, errors.New("mcheck: Check: the machine has no nodes (add them with AddNode)")
	}
	if len(ids) > MaxNodes {
		return nil, fmt.Errorf("mcheck: Check: %d nodes; at most %d", len(ids), MaxNodes)
	}
	if err := m.Reset(); err != nil {
		return nil, fmt.Errorf("mcheck: Check: resetting the machine: %w", err)
	}
	w := &watch{}
	e := newEngine(m, opt, w)
	if model, ok := m.(*Model); ok {
		model.watch.Store(w)
		defer model.watch.CompareAndSwap(w, nil)
	}
	type result struct {
		r   *Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := e.run()
		done <- result{r, err}
	}()
	const tick = 10 * time.Millisecond
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	limit := int64(opt.StepTimeout / tick)
	// The search checks its own time limit; this is a backstop.
	deadline := time.Now().Add(opt.MaxTime + 4*opt.StepTimeout + 5*time.Second)
	for {
		select {
		case res := <-done:
			return res.r, res.err
		case now := <-ticker.C:
			t := w.tick.Add(1)
			if a := w.cur.Load(); a != nil && t-a.since.Load() > limit {
				e.abandon()
				if a.node != "" {
					return nil, &NodeError{Node: a.node, Event: a.what, Err: fmt.Errorf("Handle did not return within %v (Options.StepTimeout); "+
						"its goroutine is left behind", opt.StepTimeout), Schedule: nil}
				}
				return nil, fmt.Errorf("mcheck: %s did not return within %v (Options.StepTimeout); its goroutine is left behind", a.what, opt.StepTimeout)
			}
			if now.After(deadline) {
				e.abandon()
				return nil, fmt.Errorf("mcheck: the search did not stop within its time limit %v", opt.MaxTime)
			}
		}
	}
}

func (o *Options) normalize() error {
	checks := []struct {
		name string
		v    int64
	}{
		{"MaxCopies", int64(o.MaxCopies)}, {"MaxDepth", int64(o.MaxDepth)}, {"MaxStates", int64(o.MaxStates)},
		{"MaxTime", int64(o.MaxTime)}, {"StepTimeout", int64(o.StepTimeout)}, {"Walks", int64(o.Walks)},
		{"Faults.Loss", int64(o.Faults.Loss)}, {"Faults.Duplicate", int64(o.Faults.Duplicate)}, {"Faults.Crash", int64(o.Faults.Crash)},
	}
	for _, c := range checks {
		if c.v < 0 {
			return fmt.Errorf("mcheck: Options.%s is %d: it must not be negative (0 means the default)", c.name, c.v)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"Faults.Loss", o.Faults.Loss}, {"Faults.Duplicate", o.Faults.Duplicate}, {"Faults.Crash", o.Faults.Crash}, {"MaxCopies", o.MaxCopies}} {
		if c.v > 255 {
			return fmt.Errorf("mcheck: Options.%s is %d: at most 255", c.name, c.v)
		}
	}
	if o.MaxStates > 1<<31 {
		return fmt.Errorf("mcheck: Options.MaxStates is %d: at most %d", o.MaxStates, 1<<31)
	}
	if o.MaxDepth > 1<<20 {
		return fmt.Errorf("mcheck: Options.MaxDepth is %d: at most %d", o.MaxDepth, 1<<20)
	}
	names := map[string]bool{}
	for i, inv := range o.Invariants {
		switch {
		case inv.Name == "":
			return fmt.Errorf("mcheck: invariant %d has no name", i)
		case inv.Check == nil:
			return fmt.Errorf("mcheck: invariant %q has a nil Check function", inv.Name)
		case names[inv.Name]:
			return fmt.Errorf("mcheck: two invariants are named %q", inv.Name)
		}
		names[inv.Name] = true
	}
	for _, g := range []*Predicate{o.Goal, o.livenessGoal()} {
		if g == nil {
			continue
		}
		if g.Name == "" {
			return errors.New("mcheck: a goal has no name")
		}
		if g.Holds == nil {
			return fmt.Errorf("mcheck: goal %q has a nil Holds function", g.Name)
		}
	}
	for i, p := range o.Prune {
		if p.Name == "" {
			return fmt.Errorf("mcheck: prune %d has no name", i)
		}
		if p.Holds == nil {
			return fmt.Errorf("mcheck: prune %q has a nil Holds function", p.Name)
		}
	}
	if l := o.Liveness; l != nil && (l.Within <= 0 || l.Within > maxWithin) {
		return fmt.Errorf("mcheck: Liveness.Within is %d: it must be in [1, %d]", l.Within, maxWithin)
	}
	if len(o.Invariants) == 0 && o.Goal == nil && o.Liveness == nil {
		return errors.New("mcheck: nothing to check: give Options.Invariants, a Goal or a Liveness property")
	}
	if o.Walks > 0 && o.Liveness != nil {
		return errors.New("mcheck: random walks cannot check liveness: use breadth-first search (Walks 0)")
	}
	if o.MaxCopies == 0 {
		o.MaxCopies = DefaultMaxCopies
	}
	if o.MaxStates == 0 {
		o.MaxStates = DefaultMaxStates
	}
	if o.MaxTime == 0 {
		o.MaxTime = DefaultMaxTime
	}
	if o.StepTimeout == 0 {
		o.StepTimeout = DefaultStepTimeout
	}
	if o.Walks > 0 && o.MaxDepth == 0 {
		o.MaxDepth = DefaultWalkDepth
	}
	return nil
}

func (o *Options) livenessGoal() *Predicate {
	if o.Liveness == nil {
		return nil
	}
	return &o.Liveness.Goal
}

// watch lets Check notice a node or predicate that never returns: the
// search goroutine publishes what it is running and since which tick;
// Check's loop advances the tick.
type watch struct {
	tick      atomic.Int64
	cur       atomic.Pointer[activity]
	abandoned atomic.Bool // Check gave up: the search stops at its next chance
}

type activity struct {
	node  netsim.NodeID // set for Handle calls
	what  string
	since atomic.Int64
}

func (w *watch) begin(node netsim.NodeID, what string) {
	a := &activity{node: node, what: what}
	a.since.Store(w.tick.Load())
	w.cur.Store(a)
}

// beginReused publishes a preallocated activity (predicates run once per
// state: no allocation).
func (w *watch) beginReused(a *activity) {
	a.since.Store(w.tick.Load())
	w.cur.Store(a)
}

func (w *watch) end() { w.cur.Store(nil) }
