package byzantine

import (
	"fmt"
	"math"
	"reflect"
	"slices"
)

// Limits on one run, checked before anything is allocated.
const (
	// MaxGenerals bounds n for OM (SM has the smaller MaxSMGenerals).
	MaxGenerals = 1000
	// MaxMessages bounds the message slots of one OM run, MessageCount(n, m).
	MaxMessages = 50_000_000
	// MaxSMMessages bounds the message slots of one SM run. SM's cost
	// depends on what the traitors do (a traitor may relay every chain it
	// receives), so SM counts as it goes and stops with an error when a run
	// would send more.
	MaxSMMessages = 500_000
	// MaxTraceHops bounds the messages recorded when Config.Trace is set.
	MaxTraceHops = 200_000
)

// Config describes one run of OM or SM.
type Config struct {
	N         int   // number of generals, commander included, ≥ 2
	M         int   // the algorithm's parameter m (traitors tolerated), ≥ 0
	Commander int   // index of the commander in [0,N)
	Order     Value // the commander's order (what it sends if loyal)
	Traitors  []int // distinct indices in [0,N); may be more than M
	Strategy  Strategy
	Trace     bool // record every message in Result.Trace
}

// Validate reports whether c describes a run OM or SM accepts (without
// the size limits, which each algorithm checks against its own maxima).
// For lesson code that runs its own version of an algorithm on a Config.
func (c Config) Validate() error { return c.validate() }

func (c Config) validate() error {
	if c.N < 2 {
		return fmt.Errorf("byzantine: n=%d generals, need at least 2 (a commander and a lieutenant)", c.N)
	}
	if c.N > MaxGenerals {
		return fmt.Errorf("byzantine: n=%d generals, allowed at most %d (MaxGenerals)", c.N, MaxGenerals)
	}
	if c.M < 0 {
		return fmt.Errorf("byzantine: m=%d must be >= 0", c.M)
	}
	if c.Commander < 0 || c.Commander >= c.N {
		return fmt.Errorf("byzantine: commander %d not in [0,%d)", c.Commander, c.N)
	}
	if c.Order != Attack && c.Order != Retreat {
		return fmt.Errorf("byzantine: order %d is neither Attack nor Retreat", int(c.Order))
	}
	if len(c.Traitors) > c.N {
		return fmt.Errorf("byzantine: %d traitors listed, but there are only %d generals", len(c.Traitors), c.N)
	}
	seen := make([]bool, c.N)
	for _, t := range c.Traitors {
		if t < 0 || t >= c.N {
			return fmt.Errorf("byzantine: traitor %d not in [0,%d)", t, c.N)
		}
		if seen[t] {
			return fmt.Errorf("byzantine: traitor %d listed twice", t)
		}
		seen[t] = true
	}
	if len(c.Traitors) > 0 && c.Strategy == nil {
		return fmt.Errorf("byzantine: %d traitors but no Strategy (use Silent{}, Liar{}, TwoFaced{}, NewRandom or a Script)", len(c.Traitors))
	}
	if c.Strategy != nil {
		if v := reflect.ValueOf(c.Strategy); v.Kind() == reflect.Pointer && v.IsNil() {
			return fmt.Errorf("byzantine: Strategy is a nil %T", c.Strategy)
		}
		if r, ok := c.Strategy.(*Random); ok {
			if err := r.check(); err != nil {
				return err
			}
		}
	}
	return nil
}

// ask asks strategy st what a traitor sends. A panic in the strategy
// becomes an error that names it and the message it was asked about.
func ask(st Strategy, m Message) (v Value, ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("byzantine: strategy %T panicked when asked about message %d→%d (level %d, path %s): %v",
				st, m.From, m.To, m.Level, formatPath(m.Path), p)
		}
	}()
	v, ok = st.Send(m)
	return v, ok, nil
}

// checkProb reports whether p is a probability.
func checkProb(what string, p float64) error {
	if math.IsNaN(p) || p < 0 || p > 1 {
		return fmt.Errorf("byzantine: %s %v not in [0,1]", what, p)
	}
	return nil
}

func (c Config) loyalty() []bool {
	loyal := make([]bool, c.N)
	for i := range loyal {
		loyal[i] = !slices.Contains(c.Traitors, i)
	}
	return loyal
}

// Hop is one message of a traced run.
type Hop struct {
	Level   int   // recursion depth (OM) or round (SM); 0 = the commander's order
	Path    []int // chain of senders ending with From (SM: the signature chain)
	From    int
	To      int
	Value   Value // value sent (meaningless if !Sent)
	Sent    bool  // false: the traitor stayed silent
	Traitor bool  // the sender is a traitor
	Note    string
}

func (h Hop) String() string {
	v := h.Value.String()
	if !h.Sent {
		v = "(nothing)"
	}
	t := ""
	if h.Traitor {
		t = " traitor"
	}
	return fmt.Sprintf("L%d %v %d→%d %s%s%s", h.Level, h.Path, h.From, h.To, v, t, h.Note)
}
