package mcheck

import (
	"fmt"
	"time"
)

// chunk is how many states the search expands before it sends the local
// steps they need to the machine in one batch.
const chunk = 256

// bfsRun is the state of one breadth-first search.
type bfsRun struct {
	e         *engine
	parentID  uint32
	depth     int // depth of the state being expanded
	probe     bool
	truncated bool   // a state beyond MaxDepth was left out
	limit     string // a resource limit stopped the search
	count     int    // transitions of the state being expanded
	stopAt    uint32 // the state that ended the search
	outcome   Outcome
	bad       int // violated invariant
	detail    error
	err       error
	stopped   bool
	early     bool     // a violation or the goal stopped the search before it explored everything
	pruned    []uint64 // bit per state: a prune held
	npruned   int
}

func (e *engine) bfs(root []uint32) (*Report, error) {
	b := &bfsRun{e: e, bad: -1}
	e.seen.add(root)
	e.parent = append(e.parent, 0)
	e.act = append(e.act, 0)
	e.levels = []int{0, 1}
	if b.judge(0, root, 0); b.stopped {
		return b.finish()
	}
	visit := b.visit
	var deferred []uint32
	maxDepth := 0
	for d := 0; ; d++ {
		lo, hi := e.levels[d], e.levels[d+1]
		if lo == hi {
			break
		}
		maxDepth = d
		b.depth = d
		b.probe = e.opt.MaxDepth > 0 && d >= e.opt.MaxDepth
		for s := lo; s < hi && !b.stopped; {
			next := min(s+chunk, hi)
			deferred = deferred[:0]
			for id := s; id < next && !b.stopped && !(b.probe && b.truncated); id++ {
				if !b.expand(uint32(id), visit) {
					deferred = append(deferred, uint32(id))
				}
			}
			for len(deferred) > 0 && !b.stopped {
				if err := e.resolve(); err != nil {
					return nil, err
				}
				again := deferred[:0]
				for _, id := range deferred {
					if !b.stopped && !b.expand(id, visit) {
						again = append(again, id)
					}
				}
				deferred = again
			}
			if e.w.abandoned.Load() {
				return nil, errAbandoned
			}
			if !b.stopped && time.Now().After(e.deadline) {
				b.limit = fmt.Sprintf("time limit %v (Options.MaxTime)", e.opt.MaxTime)
				b.stopped = true
			}
			s = next
		}
		if b.stopped || b.probe {
			break
		}
		e.levels = append(e.levels, e.seen.len())
	}
	if b.stopped {
		return b.finish()
	}
	if e.opt.Liveness != nil {
		expanded := e.seen.len()
		if b.truncated { // the last level was only probed
			expanded = e.levels[maxDepth]
		}
		if err := b.liveness(expanded); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

// expand visits the successors of state id; it returns false if some of
// their local steps must be computed first.
func (b *bfsRun) expand(id uint32, visit visitFn) bool {
	if b.isPruned(id) {
		return true
	}
	e := b.e
	b.parentID, b.count = id, 0
	e.requester = id
	complete, _ := e.successors(e.seen.get(id), false, visit)
	if complete {
		e.transitions += b.count
	}
	return complete
}

func (b *bfsRun) visit(a uint32, succ []uint32) bool {
	e := b.e
	b.count++
	if b.probe {
		if _, ok := e.seen.find(succ); !ok {
			b.truncated = true // the level's probing ends here
			return false
		}
		return true
	}
	if e.seen.len() >= e.opt.MaxStates {
		if _, ok := e.seen.find(succ); !ok {
			b.limit = fmt.Sprintf("state limit %d (Options.MaxStates)", e.opt.MaxStates)
			b.stopped = true
			return false
		}
		return true
	}
	id, added := e.seen.add(succ)
	if !added {
		return true
	}
	e.parent = append(e.parent, b.parentID)
	e.act = append(e.act, a)
	b.judge(id, succ, b.depth+1)
	return !b.stopped
}

// judge evaluates the properties on a new state.
func (b *bfsRun) judge(id uint32, w []uint32, depth int) {
	v, err := b.e.evaluate(w, depth)
	b.early = err != nil || v.bad >= 0 || v.goal
	switch {
	case err != nil:
		b.err, b.stopped = err, true
	case v.bad >= 0:
		b.outcome, b.bad, b.detail, b.stopAt, b.stopped = Violated, v.bad, v.detail, id, true
	case v.goal:
		b.outcome, b.stopAt, b.stopped = GoalReached, id, true
	case v.pruned:
		b.prune(id)
	}
}

// prune marks state id as not to be expanded.
func (b *bfsRun) prune(id uint32) {
	for int(id/64) >= len(b.pruned) {
		b.pruned = append(b.pruned, 0)
	}
	b.pruned[id/64] |= 1 << (id % 64)
	b.npruned++
}

func (b *bfsRun) isPruned(id uint32) bool {
	return int(id/64) < len(b.pruned) && b.pruned[id/64]&(1<<(id%64)) != 0
}

// liveness checks bounded liveness over the states [0, expanded), whose
// successors are all known: dist[s] is the length of the shortest
// fault-free continuation from s to the goal, computed backwards one
// step at a time.
func (b *bfsRun) liveness(expanded int) error {
	e := b.e
	l := e.opt.Liveness
	const inf = ^uint16(0)
	total := e.seen.len()
	dist := make([]uint16, total)
	for s := 0; s < total; s++ {
		if s%4096 == 0 && time.Now().After(e.deadline) {
			b.limit = fmt.Sprintf("time limit %v (Options.MaxTime) while checking liveness", e.opt.MaxTime)
			b.stopped = true
			return nil
		}
		ok, err := e.liveGoal(e.seen.get(uint32(s)), b.depthOf(uint32(s)))
		if err != nil {
			return err
		}
		if ok || b.isPruned(uint32(s)) {
			dist[s] = 0
		} else {
			dist[s] = inf
		}
	}
	for j := 1; j <= l.Within; j++ {
		changed := false
		for s := 0; s < expanded; s++ {
			if dist[s] != inf {
				continue
			}
			if s%4096 == 0 && time.Now().After(e.deadline) {
				b.limit = fmt.Sprintf("time limit %v (Options.MaxTime) while checking liveness", e.opt.MaxTime)
				b.stopped = true
				return nil
			}
			reach := false
			e.successors(e.seen.get(uint32(s)), true, func(_ uint32, succ []uint32) bool {
				if t, ok := e.seen.find(succ); ok && dist[t] < uint16(j) {
					reach = true
					return false
				}
				return true
			})
			if reach {
				dist[s] = uint16(j)
				changed = true
			}
		}
		e.pending, e.pendingKeys, e.pendingFrom = e.pending[:0], e.pendingKeys[:0], e.pendingFrom[:0]
		clear(e.pendingSet)
		if !changed {
			break
		}
	}
	judged := expanded
	if b.truncated {
		// Only states whose continuations of Within steps were all
		// explored can be judged.
		judged = 0
		for s := 0; s < expanded; s++ {
			if b.depthOf(uint32(s))+l.Within <= e.opt.MaxDepth {
				judged = s + 1
			}
		}
	}
	for s := 0; s < judged; s++ {
		if dist[s] == inf {
			b.outcome, b.stopAt, b.stopped = Violated, uint32(s), true
			b.bad = -2
			b.detail = fmt.Errorf("from this state no continuation of at most %d steps without new faults reaches goal %q", l.Within, l.Goal.Name)
			return nil
		}
	}
	return nil
}

// depthOf returns the depth of visited state s.
func (b *bfsRun) depthOf(s uint32) int {
	lv := b.e.levels
	lo, hi := 0, len(lv)-1
	for lo < hi { // the last level start <= s
		mid := (lo + hi + 1) / 2
		if lv[mid] <= int(s) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func (b *bfsRun) finish() (*Report, error) {
	e := b.e
	if b.err != nil {
		return nil, b.err
	}
	r := e.report(Passed, e.seen.len())
	r.Depth = b.depthOf(uint32(e.seen.len() - 1))
	r.Pruned = b.npruned
	r.Exhaustive = !b.truncated && b.limit == "" && !b.early
	if b.truncated {
		r.Limit = fmt.Sprintf("depth limit %d (Options.MaxDepth): longer schedules were not explored", e.opt.MaxDepth)
	}
	switch {
	case b.stopped && b.limit != "" && b.outcome != Violated && b.outcome != GoalReached:
		r.Outcome, r.Limit = LimitReached, b.limit
	case b.outcome == Violated:
		r.Outcome = Violated
		r.Schedule = e.path(b.stopAt)
		r.Detail = b.detail.Error()
		if b.bad >= 0 {
			r.Property, r.kind = e.opt.Invariants[b.bad].Name, "invariant"
		} else {
			l := e.opt.Liveness
			r.Property, r.kind = l.Goal.Name, fmt.Sprintf("liveness (within %d steps)", l.Within)
		}
	case b.outcome == GoalReached:
		r.Outcome, r.Property, r.kind = GoalReached, e.opt.Goal.Name, "goal"
		r.Schedule = e.path(b.stopAt)
	case e.opt.Goal != nil:
		r.Outcome, r.Property, r.kind = GoalNotReached, e.opt.Goal.Name, "goal"
	}
	return r, nil
}
