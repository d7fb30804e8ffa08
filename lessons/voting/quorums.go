package voting

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/quorum"
	"github.com/dslessons/course/pkg/table"
)

// RWCell is one (R, W) configuration.
type RWCell struct {
	R, W       int
	Rule       bool                // R + W > N
	Exhaustive quorum.Intersection // read quorums vs write quorums
}

// RWGrid is every (R, W) for N replicas.
type RWGrid struct {
	N     int
	Cells []RWCell // by R, then W
}

// ReadWriteGrid checks every R, W in 1..n.
func ReadWriteGrid(n int) (RWGrid, error) {
	if n < 1 || n > 12 {
		return RWGrid{}, fmt.Errorf("voting: read/write grid of %d replicas, allowed [1,12]", n)
	}
	g := RWGrid{N: n}
	for r := 1; r <= n; r++ {
		for w := 1; w <= n; w++ {
			rw, err := quorum.NewReadWrite(n, r, w)
			if err != nil {
				return RWGrid{}, err
			}
			chk, err := quorum.Check(rw.Read(), rw.Write())
			if err != nil {
				return RWGrid{}, err
			}
			g.Cells = append(g.Cells, RWCell{R: r, W: w, Rule: rw.ReadsSeeWrites(), Exhaustive: chk})
		}
	}
	return g, nil
}

// Header and Rows give the grid as a table.
func (g RWGrid) Header() []string {
	return []string{"R", "W", "R+W>N", "exhaustive check"}
}

// Rows gives one row per (R, W).
func (g RWGrid) Rows() [][]string {
	var rows [][]string
	for _, c := range g.Cells {
		rows = append(rows, []string{fmt.Sprint(c.R), fmt.Sprint(c.W), fmt.Sprint(c.Rule), c.Exhaustive.String()})
	}
	return rows
}

// Agree reports whether the rule and the exhaustive check agree on every cell.
func (g RWGrid) Agree() bool {
	for _, c := range g.Cells {
		if c.Rule != c.Exhaustive.OK {
			return false
		}
	}
	return true
}

func (g RWGrid) String() string {
	return fmt.Sprintf("N=%d\n", g.N) + table.String(g.Header(), g.Rows())
}

// WeightedRow is one threshold of a weighted system.
type WeightedRow struct {
	Threshold  int
	Rule       bool // 2·threshold > total
	Exhaustive quorum.Intersection
	Minimal    []quorum.Set // the minimal quorums, in increasing order
}

// WeightedResult lists every threshold for one set of weights.
type WeightedResult struct {
	Weights    []int
	Total      int
	Thresholds []WeightedRow
}

// WeightedTable checks every threshold 1..total for the weights.
func WeightedTable(weights []int) (WeightedResult, error) {
	w0, err := quorum.Weighted(weights, 1)
	if err != nil {
		return WeightedResult{}, err
	}
	if len(weights) > 12 {
		return WeightedResult{}, fmt.Errorf("voting: %d weights, allowed at most 12", len(weights))
	}
	res := WeightedResult{Weights: append([]int(nil), weights...), Total: w0.Total()}
	for t := 1; t <= res.Total; t++ {
		w, err := quorum.Weighted(weights, t)
		if err != nil {
			return WeightedResult{}, err
		}
		chk, err := quorum.Check(w, w)
		if err != nil {
			return WeightedResult{}, err
		}
		res.Thresholds = append(res.Thresholds, WeightedRow{Threshold: t, Rule: w.Intersecting(), Exhaustive: chk, Minimal: MinimalQuorums(w)})
	}
	return res, nil
}

// MinimalQuorums lists the quorums of sys from which no node can be removed.
func MinimalQuorums(sys quorum.System) []quorum.Set {
	var out []quorum.Set
	full := quorum.Full(sys.N())
	for s := quorum.Set(0); s <= full; s++ {
		if !sys.IsQuorum(s) {
			continue
		}
		minimal := true // monotone systems: checking single removals is enough
		for _, i := range s.Members() {
			if sys.IsQuorum(s &^ quorum.SetOf(i)) {
				minimal = false
			}
		}
		if minimal {
			out = append(out, s)
		}
	}
	return out
}

// Header and Rows give the result as a table.
func (r WeightedResult) Header() []string {
	return []string{"threshold", "2t > total", "exhaustive check", "minimal quorums"}
}

// Rows gives one row per threshold.
func (r WeightedResult) Rows() [][]string {
	var rows [][]string
	for _, w := range r.Thresholds {
		var qs []string
		for _, q := range w.Minimal {
			qs = append(qs, q.String())
		}
		rows = append(rows, []string{fmt.Sprint(w.Threshold), fmt.Sprint(w.Rule), w.Exhaustive.String(), strings.Join(qs, " ")})
	}
	return rows
}

// Caption names the weights and their total.
func (r WeightedResult) Caption() string {
	return fmt.Sprintf("weights %v (total %d)", r.Weights, r.Total)
}

func (r WeightedResult) String() string {
	return r.Caption() + "\n" + table.String(r.Header(), r.Rows())
}

// TallyCase is a named set of ballots.
type TallyCase struct {
	Name    string
	System  quorum.System
	Ballots []quorum.Ballot
	Tally   quorum.Tally
}

// Tallies counts a few illustrative elections among 5 nodes (majority
// quorums) and one with non-intersecting quorums (any 2 of 4).
func Tallies() ([]TallyCase, error) {
	maj, err := quorum.Majority(5)
	if err != nil {
		return nil, err
	}
	two, err := quorum.AnyK(4, 2)
	if err != nil {
		return nil, err
	}
	b := func(pairs ...int) []quorum.Ballot {
		var out []quorum.Ballot
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, quorum.Ballot{Voter: pairs[i], Candidate: pairs[i+1]})
		}
		return out
	}
	cases := []TallyCase{
		{Name: "3 of 5 vote for node 1", System: maj, Ballots: b(0, 1, 1, 1, 3, 1, 2, 2)},
		{Name: "2–2, node 4 has not voted", System: maj, Ballots: b(0, 0, 1, 0, 2, 2, 3, 2)},
		{Name: "2–2–1: split vote", System: maj, Ballots: b(0, 0, 1, 0, 2, 2, 3, 2, 4, 4)},
		{Name: "any 2 of 4 is a quorum: two leaders", System: two, Ballots: b(0, 0, 1, 0, 2, 2, 3, 2)},
	}
	for i := range cases {
		t, err := quorum.Count(cases[i].System, cases[i].Ballots)
		if err != nil {
			return nil, err
		}
		cases[i].Tally = t
	}
	return cases, nil
}

// TallyRows gives the cases as a table: name, ballots, outcome, winners.
func TallyRows(cases []TallyCase) (header []string, rows [][]string) {
	header = []string{"election", "system", "votes (voter→candidate)", "outcome", "winners"}
	for _, c := range cases {
		var vs []string
		for _, b := range c.Ballots {
			vs = append(vs, fmt.Sprintf("%d→%d", b.Voter, b.Candidate))
		}
		rows = append(rows, []string{c.Name, fmt.Sprint(c.System), strings.Join(vs, " "), c.Tally.Outcome.String(), fmt.Sprint(c.Tally.Winners)})
	}
	return header, rows
}
