package voting

import (
	"fmt"
	"strings"
)

// A replicated register on read and write quorums, small enough to follow
// by hand: each replica keeps the newest write it has stored, a write
// stores a version on the replicas it reaches, and a read collects the
// replies of the replicas it asks. It shows what R + W > N does and does
// not guarantee.

// Reply is what one replica answers a read: the write it holds. Writes are
// ordered by Version, then by Writer (a tie-break between two writers that
// picked the same version number, as Lamport timestamps break ties by node).
type Reply struct {
	Replica int
	Version int
	Writer  int
	Value   string
}

func (r Reply) String() string {
	return fmt.Sprintf("r%d:v%d.%d=%q", r.Replica, r.Version, r.Writer, r.Value)
}

// Newer reports whether a holds a newer write than b.
func Newer(a, b Reply) bool {
	if a.Version != b.Version {
		return a.Version > b.Version
	}
	return a.Writer > b.Writer
}

// Newest returns the reply holding the newest write (the first such reply
// if several hold it); the zero Reply for none. It is the read rule of a
// quorum-replicated register.
func Newest(replies []Reply) Reply {
	var best Reply
	for i, r := range replies {
		if i == 0 || Newer(r, best) {
			best = r
		}
	}
	return best
}

// MostCommon returns a reply holding the value most replies hold (the
// newest such reply on a tie): the read rule that intersection does not
// support.
func MostCommon(replies []Reply) Reply {
	count := map[string]int{}
	for _, r := range replies {
		count[r.Value]++
	}
	var best Reply
	for i, r := range replies {
		if i == 0 || count[r.Value] > count[best.Value] || count[r.Value] == count[best.Value] && Newer(r, best) {
			best = r
		}
	}
	return best
}

// MaxReplicas bounds a Register.
const MaxReplicas = 15

// Register is a register replicated on N replicas, each holding the newest
// write it has stored (initially version 0, value "").
type Register struct {
	held []Reply
}

// NewRegister returns a register of n replicas, 1 ≤ n ≤ MaxReplicas.
func NewRegister(n int) (*Register, error) {
	if n < 1 || n > MaxReplicas {
		return nil, fmt.Errorf("voting: %d replicas, allowed [1,%d]", n, MaxReplicas)
	}
	r := &Register{held: make([]Reply, n)}
	for i := range r.held {
		r.held[i].Replica = i
	}
	return r, nil
}

// N is the number of replicas.
func (r *Register) N() int { return len(r.held) }

func (r *Register) check(replicas []int) error {
	if len(replicas) == 0 {
		return fmt.Errorf("voting: no replicas given")
	}
	seen := make([]bool, len(r.held))
	for _, i := range replicas {
		if i < 0 || i >= len(r.held) {
			return fmt.Errorf("voting: replica %d not in [0,%d)", i, len(r.held))
		}
		if seen[i] {
			return fmt.Errorf("voting: replica %d listed twice", i)
		}
		seen[i] = true
	}
	return nil
}

// Write stores value as version (version ≥ 1) by writer on the given
// replicas. A replica that holds a newer write keeps it.
func (r *Register) Write(replicas []int, version, writer int, value string) error {
	if r == nil || r.held == nil {
		return fmt.Errorf("voting: zero Register: use NewRegister")
	}
	if err := r.check(replicas); err != nil {
		return err
	}
	if version < 1 {
		return fmt.Errorf("voting: version %d must be >= 1 (0 is the initial value)", version)
	}
	w := Reply{Version: version, Writer: writer, Value: value}
	for _, i := range replicas {
		w.Replica = i
		if Newer(w, r.held[i]) {
			r.held[i] = w
		}
	}
	return nil
}

// Read returns the replies of the given replicas, in the order given.
func (r *Register) Read(replicas []int) ([]Reply, error) {
	if r == nil || r.held == nil {
		return nil, fmt.Errorf("voting: zero Register: use NewRegister")
	}
	if err := r.check(replicas); err != nil {
		return nil, err
	}
	out := make([]Reply, len(replicas))
	for k, i := range replicas {
		out[k] = r.held[i]
	}
	return out, nil
}

// Replies formats replies one per replica: "r0 v1.0 x=1".
func Replies(replies []Reply) string {
	parts := make([]string, len(replies))
	for i, r := range replies {
		parts[i] = fmt.Sprintf("r%d v%d.%d %s", r.Replica, r.Version, r.Writer, r.Value)
	}
	return strings.Join(parts, " | ")
}

// QuorumStep is one step of a register scenario: a write or a read.
type QuorumStep struct {
	What     string // "write" or "read"
	Replicas []int
	Version  int    // write
	Writer   int    // write
	Value    string // write
}

// StaleRead is the scenario of notebook 11 (N = 5, W = 3, R = 3): two
// acknowledged writes, then a read whose quorum meets the second write's
// in one replica only.
func StaleRead() []QuorumStep {
	return []QuorumStep{
		{What: "write", Replicas: []int{0, 1, 2}, Version: 1, Writer: 0, Value: "x=1"},
		{What: "write", Replicas: []int{2, 3, 4}, Version: 2, Writer: 0, Value: "x=2"},
		{What: "read", Replicas: []int{0, 1, 2}},
	}
}

// NewThenOld continues StaleRead with a write still in progress that has
// reached one replica, and two reads one after the other: the first sees
// the new value, the second, later, the old one.
func NewThenOld() []QuorumStep {
	return append(StaleRead(),
		QuorumStep{What: "write", Replicas: []int{4}, Version: 3, Writer: 1, Value: "x=3"},
		QuorumStep{What: "read", Replicas: []int{2, 3, 4}},
		QuorumStep{What: "read", Replicas: []int{0, 1, 2}},
	)
}

// StepResult is a step of a scenario as it ran: for a read, its replies
// and what the two read rules return.
type StepResult struct {
	Step        QuorumStep
	Replies     []Reply
	Newest      Reply
	MostCommon  Reply
	Description string
}

// RunRegister runs a scenario on a register of n replicas.
func RunRegister(n int, steps []QuorumStep) ([]StepResult, error) {
	reg, err := NewRegister(n)
	if err != nil {
		return nil, err
	}
	var out []StepResult
	for i, s := range steps {
		res := StepResult{Step: s}
		switch s.What {
		case "write":
			if err := reg.Write(s.Replicas, s.Version, s.Writer, s.Value); err != nil {
				return nil, fmt.Errorf("voting: step %d: %w", i+1, err)
			}
			res.Description = fmt.Sprintf("write %s as version %d.%d on replicas %v", s.Value, s.Version, s.Writer, s.Replicas)
		case "read":
			rs, err := reg.Read(s.Replicas)
			if err != nil {
				return nil, fmt.Errorf("voting: step %d: %w", i+1, err)
			}
			res.Replies, res.Newest, res.MostCommon = rs, Newest(rs), MostCommon(rs)
			res.Description = fmt.Sprintf("read replicas %v: %s → newest %s, most common %s", s.Replicas, Replies(rs), res.Newest.Value, res.MostCommon.Value)
		default:
			return nil, fmt.Errorf("voting: step %d: %q is neither write nor read", i+1, s.What)
		}
		out = append(out, res)
	}
	return out, nil
}

// RegisterRows gives a scenario's steps as a table.
func RegisterRows(results []StepResult) (header []string, rows [][]string) {
	header = []string{"step", "what", "replicas", "replies (replica, version.writer, value)", "newest", "most common"}
	for i, r := range results {
		reps := make([]string, len(r.Step.Replicas))
		for k, x := range r.Step.Replicas {
			reps[k] = fmt.Sprint(x)
		}
		row := []string{fmt.Sprint(i + 1), r.Step.What, strings.Join(reps, ", "), "", "", ""}
		if r.Step.What == "write" {
			row[1] = fmt.Sprintf("write %s (version %d.%d)", r.Step.Value, r.Step.Version, r.Step.Writer)
		} else {
			row[3], row[4], row[5] = Replies(r.Replies), r.Newest.Value, r.MostCommon.Value
		}
		rows = append(rows, row)
	}
	return header, rows
}
