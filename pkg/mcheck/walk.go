package mcheck

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// move is an action described independently of the IDs a particular run
// gave timers, so that it can be replayed after earlier actions were
// removed (shrinking).
type move struct {
	kind  ActionKind
	node  int
	env   uint32 // message actions
	tag   ValueID
	after netsim.Time // Fire: the timer's tag and delay
}

func (e *engine) toMove(w []uint32, a uint32) move {
	kind, node, arg := unpackAct(a)
	mv := move{kind: kind, node: node}
	switch kind {
	case Deliver, Drop, Lose, Duplicate:
		mv.env = arg
	case Fire:
		for _, t := range e.locals[w[2*node]&^crashedBit].timers {
			if uint32(t.ID) == arg {
				mv.tag, mv.after = t.Tag, t.After
			}
		}
	}
	return mv
}

// walkRun holds the candidate transitions of the current state.
type walkRun struct {
	e     *engine
	acts  []uint32
	succs []uint32 // flat, width per successor
}

func (wr *walkRun) collect(a uint32, succ []uint32) bool {
	wr.acts = append(wr.acts, a)
	wr.succs = append(wr.succs, succ...)
	return true
}

// candidates fills wr with every transition of w, computing missing
// local steps first.
func (wr *walkRun) candidates(w []uint32) error {
	for {
		wr.acts, wr.succs = wr.acts[:0], wr.succs[:0]
		if complete, _ := wr.e.successors(w, false, wr.collect); complete {
			return nil
		}
		if err := wr.e.resolve(); err != nil {
			return err
		}
	}
}

// walks runs seeded random walks from root; the first walk that breaks
// an invariant (or reaches the goal) is shrunk and reported.
func (e *engine) walks(root []uint32) (*Report, error) {
	wr := &walkRun{e: e}
	e.seen.add(root)
	v, err := e.evaluate(root, 0)
	if err != nil {
		return nil, err
	}
	if v.bad >= 0 || v.goal {
		return e.walkReport(0, nil, v.bad, v.detail, v.goal)
	}
	rootPruned := v.pruned
	steps := 0
	cur := make([]uint32, e.width)
	var path []move
	for k := 0; k < e.opt.Walks; k++ {
		rng := rand.New(rand.NewPCG(e.opt.Seed, uint64(k)))
		copy(cur, root)
		path = path[:0]
		for d := 0; d < e.opt.MaxDepth && !rootPruned; d++ {
			if err := wr.candidates(cur); err != nil {
				return nil, e.walkError(err, path)
			}
			if len(wr.acts) == 0 {
				break
			}
			i := rng.IntN(len(wr.acts))
			path = append(path, e.toMove(cur, wr.acts[i]))
			copy(cur, wr.succs[i*e.width:(i+1)*e.width])
			steps++
			e.transitions++
			v, err := e.evaluate(cur, d+1)
			if err != nil {
				return nil, err
			}
			if v.bad >= 0 || v.goal {
				return e.walkReport(k+1, path, v.bad, v.detail, v.goal)
			}
			if v.pruned { // the walk ends here
				break
			}
		}
		if e.w.abandoned.Load() {
			return nil, errAbandoned
		}
		if time.Now().After(e.deadline) {
			r := e.report(LimitReached, steps)
			r.Walks, r.Limit = k+1, fmt.Sprintf("time limit %v (Options.MaxTime) after %d walks", e.opt.MaxTime, k+1)
			return r, nil
		}
	}
	r := e.report(LimitReached, steps)
	r.Walks = e.opt.Walks
	r.Limit = fmt.Sprintf("%d random walks of up to %d steps (seed %d) found no violation", e.opt.Walks, e.opt.MaxDepth, e.opt.Seed)
	if e.opt.Goal != nil {
		r.Outcome, r.Property, r.kind = GoalNotReached, e.opt.Goal.Name, "goal"
		r.Limit = fmt.Sprintf("%d random walks of up to %d steps (seed %d) did not reach it", e.opt.Walks, e.opt.MaxDepth, e.opt.Seed)
	}
	return r, nil
}

// walkError gives a NodeError met during a walk the walk's schedule.
func (e *engine) walkError(err error, path []move) error {
	var ne *NodeError
	if !errors.As(err, &ne) {
		return err
	}
	wr := &walkRun{e: e}
	cur := append([]uint32(nil), e.seen.get(0)...)
	tuples := [][]uint32{cur}
	var acts []uint32
	for _, mv := range path {
		if wr.candidates(cur) != nil {
			return ne
		}
		for i, a := range wr.acts {
			if e.toMove(cur, a) == mv {
				acts = append(acts, a)
				cur = append([]uint32(nil), wr.succs[i*e.width:(i+1)*e.width]...)
				tuples = append(tuples, cur)
				break
			}
		}
	}
	ne.Schedule = e.schedule(tuples, acts)
	return ne
}

// walkReport shrinks the failing walk and reports it.
func (e *engine) walkReport(walk int, path []move, bad int, detail error, goal bool) (*Report, error) {
	target := bad // the invariant to break again, or -1 for the goal
	wr := &walkRun{e: e}
	path, err := e.shrink(wr, path, target)
	if err != nil {
		return nil, err
	}
	tuples, acts, detail2, _, err := e.replay(wr, path, target)
	if err != nil {
		return nil, err
	}
	if detail2 != nil {
		detail = detail2
	}
	r := e.report(Violated, e.transitions)
	r.States, r.Walks, r.Depth = e.transitions, walk, len(path)
	r.Schedule = e.schedule(tuples, acts)
	if goal {
		r.Outcome, r.Property, r.kind = GoalReached, e.opt.Goal.Name, "goal"
	} else {
		r.Property, r.kind, r.Detail = e.opt.Invariants[bad].Name, "invariant", detail.Error()
	}
	return r, nil
}

// replay plays moves from the initial state. ok reports whether every
// move was possible and the target (invariant index, or -1 for the goal)
// failed; the schedule is then cut where it did.
func (e *engine) replay(wr *walkRun, moves []move, target int) (tuples [][]uint32, acts []uint32, detail error, ok bool, err error) {
	cur := append([]uint32(nil), e.seen.get(0)...)
	tuples = append(tuples, cur)
	for d, mv := range moves {
		if err := wr.candidates(cur); err != nil {
			return nil, nil, nil, false, err
		}
		found := -1
		for i, a := range wr.acts {
			if e.toMove(cur, a) == mv {
				found = i
				break
			}
		}
		if found < 0 {
			return tuples, acts, nil, false, nil
		}
		acts = append(acts, wr.acts[found])
		cur = append([]uint32(nil), wr.succs[found*e.width:(found+1)*e.width]...)
		tuples = append(tuples, cur)
		v, err := e.evaluate(cur, d+1)
		if err != nil {
			return nil, nil, nil, false, err
		}
		if (target >= 0 && v.bad == target) || (target < 0 && v.goal) {
			return tuples, acts, v.detail, true, nil
		}
		if v.pruned {
			return tuples, acts, nil, false, nil
		}
	}
	return tuples, acts, nil, false, nil
}

// shrink reduces a failing schedule by delta debugging (Zeller and
// Hildebrandt, 2002): it removes ever smaller chunks of moves while the
// rest still breaks the target, ending with no single move removable.
func (e *engine) shrink(wr *walkRun, moves []move, target int) ([]move, error) {
	test := func(c []move) ([]move, bool, error) {
		_, acts, _, ok, err := e.replay(wr, c, target)
		if err != nil || !ok {
			return nil, false, err
		}
		return c[:len(acts)], true, nil
	}
	cut, ok, err := test(moves)
	if err != nil {
		return nil, err
	}
	if !ok {
		return moves, nil // cannot happen for a deterministic machine
	}
	moves = cut
	n := 2
	for len(moves) >= 2 {
		size := (len(moves) + n - 1) / n
		reduced := false
		for start := 0; start < len(moves); start += size {
			c := append(append([]move(nil), moves[:start]...), moves[min(start+size, len(moves)):]...)
			short, ok, err := test(c)
			if err != nil {
				return nil, err
			}
			if ok {
				moves, reduced = short, true
				n = max(n-1, 2)
				break
			}
		}
		if !reduced {
			if n >= len(moves) {
				break
			}
			n = min(2*n, len(moves))
		}
		if time.Now().After(e.deadline) {
			break
		}
	}
	return moves, nil
}
