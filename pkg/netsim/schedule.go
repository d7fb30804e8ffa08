package netsim

import (
	"math"
	"strconv"
	"strings"
)

// Action is one scheduled change to the network: a crash, a partition, a
// link change... Build actions with Sim.At or ParseSchedule; String
// formats an action as a schedule line that ParseSchedule reads back.
type Action struct {
	At     Time // when the action happens
	verb   verb
	node   NodeID
	groups [][]NodeID
	from   NodeID
	to     NodeID
	both   bool // from<->to
	link   Link
	p      float64
	n      int
	delay  Delay
	fn     func()
	label  string
}

type verb uint8

const (
	vCrash verb = iota
	vRestart
	vPause
	vResume
	vPartition
	vCut
	vHeal
	vLink
	vLoss
	vDup
	vReorder
	vDelay
	vBandwidth
	vQueue
	vDo
)

var verbNames = [...]string{"crash", "restart", "pause", "resume", "partition", "cut", "heal",
	"link", "loss", "dup", "reorder", "delay", "bandwidth", "queue", "do"}

// Schedule is a list of actions, usually parsed from text. Its String
// method prints it back in the text format.
type Schedule []Action

// String formats a as one schedule line, e.g. "10ms partition A,B | C".
func (a Action) String() string {
	return formatDur(a.At) + " " + a.body()
}

// body is the action without its time, as written in OpChange records.
func (a Action) body() string {
	v := verbNames[a.verb]
	ends := func() string {
		arrow := "->"
		if a.both {
			arrow = "<->"
		}
		return string(a.from) + arrow + string(a.to)
	}
	ff := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	switch a.verb {
	case vCrash, vRestart, vPause, vResume:
		return v + " " + string(a.node)
	case vPartition:
		gs := make([]string, len(a.groups))
		for i, g := range a.groups {
			ids := make([]string, len(g))
			for j, id := range g {
				ids[j] = string(id)
			}
			gs[i] = strings.Join(ids, ",")
		}
		return v + " " + strings.Join(gs, " | ")
	case vCut:
		return v + " " + ends()
	case vHeal:
		return v
	case vLoss, vDup, vReorder, vBandwidth:
		return v + " " + ends() + " " + ff(a.p)
	case vQueue:
		return v + " " + ends() + " " + strconv.Itoa(a.n)
	case vDelay:
		return v + " " + ends() + " " + a.delay.String()
	case vLink:
		s := v + " " + ends()
		l := a.link
		if l.Loss != 0 {
			s += " loss=" + ff(l.Loss)
		}
		if l.Duplicate != 0 {
			s += " dup=" + ff(l.Duplicate)
		}
		if l.Reorder != 0 {
			s += " reorder=" + ff(l.Reorder)
		}
		if l.Delay != (Delay{}) {
			s += " delay=" + l.Delay.String()
		}
		if l.Bandwidth != 0 {
			s += " bandwidth=" + ff(l.Bandwidth)
		}
		if l.QueueLimit != 0 {
			s += " queue=" + strconv.Itoa(l.QueueLimit)
		}
		return s
	case vDo:
		return v + " " + a.label
	}
	return "?"
}

// String formats the schedule, one action per line.
func (s Schedule) String() string {
	var b strings.Builder
	for _, a := range s {
		b.WriteString(a.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// When schedules actions at one virtual time; get one from Sim.At. Each
// method checks its arguments and returns an error instead of scheduling
// a bad action. Actions at the same time run in the order scheduled,
// after events already queued for that time.
type When struct {
	s *Sim
	t Time
}

// At returns a scheduler for virtual time t (which must not be in the
// past when an action is added).
func (s *Sim) At(t Time) When { return When{s, t} }

// Crash stops node n: its timers are cancelled, messages that reach it
// are dropped (reason "crashed") and Handle is not called until Restart.
func (w When) Crash(n NodeID) error { return w.s.schedule(Action{At: w.t, verb: vCrash, node: n}) }

// Restart restarts node n with a Restart event (crashing it first if it
// is running).
func (w When) Restart(n NodeID) error { return w.s.schedule(Action{At: w.t, verb: vRestart, node: n}) }

// Pause freezes node n (think GC pause or a stopped VM): messages and
// timers for it are held, not lost, and handed over in order on Resume.
func (w When) Pause(n NodeID) error { return w.s.schedule(Action{At: w.t, verb: vPause, node: n}) }

// Resume unfreezes a paused node.
func (w When) Resume(n NodeID) error { return w.s.schedule(Action{At: w.t, verb: vResume, node: n}) }

// Partition splits the network into groups that cannot talk to each other
// (both directions). Nodes not listed form one more group together. It
// replaces all earlier partitions and cuts. Messages in flight across the
// partition are dropped when they arrive.
func (w When) Partition(groups ...[]NodeID) error {
	return w.s.schedule(Action{At: w.t, verb: vPartition, groups: groups})
}

// Cut blocks the one-way link from -> to (either may be Any). Heal
// removes it.
func (w When) Cut(from, to NodeID) error {
	return w.s.schedule(Action{At: w.t, verb: vCut, from: from, to: to})
}

// Heal removes every partition and cut.
func (w When) Heal() error { return w.s.schedule(Action{At: w.t, verb: vHeal}) }

// SetLink replaces the fault model of from -> to (either may be Any).
func (w When) SetLink(from, to NodeID, l Link) error {
	return w.s.schedule(Action{At: w.t, verb: vLink, from: from, to: to, link: l})
}

// Loss sets the loss probability of from -> to, keeping the rest of the
// link's fault model.
func (w When) Loss(from, to NodeID, p float64) error {
	return w.s.schedule(Action{At: w.t, verb: vLoss, from: from, to: to, p: p})
}

// Delay sets the delay distribution of from -> to, keeping the rest of
// the link's fault model.
func (w When) Delay(from, to NodeID, d Delay) error {
	return w.s.schedule(Action{At: w.t, verb: vDelay, from: from, to: to, delay: d})
}

// Do runs f at the scheduled time; label names it in the trace. f may
// call Sim methods such as SetLink or Crashed, but not run the Sim.
func (w When) Do(label string, f func()) error {
	return w.s.schedule(Action{At: w.t, verb: vDo, fn: f, label: label})
}

// Apply checks every action of sched and schedules them all, or none if
// any is invalid.
func (s *Sim) Apply(sched Schedule) error {
	if err := s.usable(); err != nil {
		return err
	}
	for i, a := range sched {
		if err := s.check(a); err != nil {
			return errorf("schedule action %d (%s): %v", i+1, a, trimPrefix(err))
		}
	}
	for _, a := range sched {
		s.add(a)
	}
	return nil
}

func (s *Sim) schedule(a Action) error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := s.check(a); err != nil {
		return err
	}
	s.add(a)
	return nil
}

func (s *Sim) add(a Action) {
	s.actions = append(s.actions, a)
	s.push(event{at: a.At, kind: evAction, id: uint64(len(s.actions) - 1)})
}

func (s *Sim) checkNode(n NodeID) error {
	if _, ok := s.index[n]; !ok {
		return errorf("unknown node %q; nodes are %s", n, s.nodeList())
	}
	return nil
}

func (s *Sim) checkSel(from, to NodeID) error {
	for _, n := range []NodeID{from, to} {
		if n != Any {
			if err := s.checkNode(n); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkProb(what string, p float64) error {
	if !(p >= 0 && p <= 1) {
		return errorf("%s probability %v not in [0,1]", what, p)
	}
	return nil
}

// check validates a against the nodes of s.
func (s *Sim) check(a Action) error {
	if a.At < s.now {
		return errorf("action at %s is in the past (now %s)", a.At, s.now)
	}
	switch a.verb {
	case vCrash, vRestart, vPause, vResume:
		return s.checkNode(a.node)
	case vPartition:
		seen := map[NodeID]bool{}
		for _, g := range a.groups {
			for _, n := range g {
				if err := s.checkNode(n); err != nil {
					return err
				}
				if seen[n] {
					return errorf("node %s is in two partition groups", n)
				}
				seen[n] = true
			}
		}
		return nil
	case vHeal:
		return nil
	case vDo:
		if a.fn == nil {
			return errorf("Do(%q): nil function", a.label)
		}
		return nil
	}
	if err := s.checkSel(a.from, a.to); err != nil {
		return err
	}
	switch a.verb {
	case vLink:
		return a.link.Validate()
	case vLoss:
		return checkProb("loss", a.p)
	case vDup:
		return checkProb("duplicate", a.p)
	case vReorder:
		return checkProb("reorder", a.p)
	case vDelay:
		return a.delay.Validate()
	case vBandwidth:
		return Link{Bandwidth: a.p}.Validate()
	case vQueue:
		return Link{QueueLimit: a.n}.Validate()
	}
	return nil
}

// apply carries out a scheduled action at its time.
func (s *Sim) apply(a *Action) {
	switch a.verb {
	case vCrash:
		s.crash(s.index[a.node])
		return
	case vRestart:
		s.restart(s.index[a.node])
		return
	case vPause:
		s.pause(s.index[a.node])
		return
	case vResume:
		s.resume(s.index[a.node])
		return
	case vDo:
		s.do(a)
	case vPartition:
		group := make([]int, len(s.nodes))
		for i := range group {
			group[i] = len(a.groups)
		}
		for g, ids := range a.groups {
			for _, id := range ids {
				group[s.index[id]] = g
			}
		}
		for f := range s.nodes {
			for t := range s.nodes {
				s.link(int32(f), int32(t)).cut = group[f] != group[t]
			}
		}
	case vHeal:
		for _, row := range s.links {
			for _, ls := range row {
				if ls != nil {
					ls.cut = false
				}
			}
		}
	case vCut:
		s.updateLinks(a.from, a.to, a.both, func(ls *linkState) { ls.cut = true })
	default:
		s.updateLinks(a.from, a.to, a.both, func(ls *linkState) {
			switch a.verb {
			case vLink:
				ls.Link = a.link
			case vLoss:
				ls.Loss = a.p
			case vDup:
				ls.Duplicate = a.p
			case vReorder:
				ls.Reorder = a.p
			case vDelay:
				ls.Delay = a.delay
			case vBandwidth:
				ls.Bandwidth = a.p
			case vQueue:
				ls.QueueLimit = a.n
			}
		})
	}
	if a.verb == vPartition || a.verb == vCut || a.verb == vHeal {
		s.cuts = 0
		for _, row := range s.links {
			for _, ls := range row {
				if ls != nil && ls.cut {
					s.cuts++
				}
			}
		}
	}
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpChange, Text: a.body()})
	}
}

// do runs the function of a Do action; a panic in it becomes the run's
// error (see catch).
func (s *Sim) do(a *Action) {
	s.user, s.userDo = inDo, a.label
	a.fn()
	s.user = inSim
}

// updateLinks applies f to every link matched by from/to (Any matches
// all nodes); with both it also applies f to the reverse links. Changing
// Any->Any also changes the default for nodes added later.
func (s *Sim) updateLinks(from, to NodeID, both bool, f func(*linkState)) {
	sel := func(n NodeID) []int32 {
		if n == Any {
			all := make([]int32, len(s.nodes))
			for i := range all {
				all[i] = int32(i)
			}
			return all
		}
		return []int32{s.index[n]}
	}
	for _, i := range sel(from) {
		for _, j := range sel(to) {
			f(s.link(i, j))
			if both {
				f(s.link(j, i))
			}
		}
	}
	if from == Any && to == Any {
		def := linkState{Link: s.cfg.DefaultLink}
		f(&def)
		s.cfg.DefaultLink = def.Link
	}
}

func (s *Sim) crash(i int32) {
	n := s.nodes[i]
	if n.crashed {
		return
	}
	n.crashed, n.paused = true, false
	n.epoch++
	n.timers.clear() // a crash cancels all pending timers
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpCrash, Node: n.id})
	}
	held := n.held
	n.held = nil
	for k := range held {
		if held[k].kind == evDeliver {
			s.drop(&held[k], n.id, DropCrashed)
		}
	}
}

func (s *Sim) restart(i int32) {
	n := s.nodes[i]
	s.crash(i)
	n.crashed = false
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpRestart, Node: n.id})
	}
	s.call(i, Event{Kind: Restart})
	s.user = inSim
}

func (s *Sim) pause(i int32) {
	n := s.nodes[i]
	if n.crashed || n.paused {
		return
	}
	n.paused = true
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpPause, Node: n.id})
	}
}

func (s *Sim) resume(i int32) {
	n := s.nodes[i]
	if !n.paused {
		return
	}
	n.paused = false
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpResume, Node: n.id})
	}
	held := n.held
	n.held = nil
	for _, e := range held {
		e.at = s.now
		s.push(e)
	}
}

// ParseSchedule reads a fault schedule, one action per line:
//
//	# comments and blank lines are ignored
//	10ms partition A,B | C       groups split by '|'; unlisted nodes form one more group
//	12ms cut A->B                one-way; A<->B cuts both ways; * is any node
//	50ms heal                    remove all partitions and cuts
//	20ms crash B                 also: restart B, pause B, resume B
//	30ms loss A->B 0.5           also: dup, reorder (probabilities)
//	30ms delay A<->B uniform(1ms,5ms)
//	30ms bandwidth *->C 1e6      bytes per second; 0 = unlimited
//	30ms queue A->B 10           queue limit in messages; 0 = unlimited
//	40ms link A->B loss=0.1 delay=exp(2ms)   replace the whole link
//
// Times are Go durations from the start of the run. Node names are only
// checked when the schedule is applied (Sim.Apply).
func ParseSchedule(text string) (Schedule, error) {
	var sched Schedule
	for i, line := range strings.Split(text, "\n") {
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		a, err := parseAction(line)
		if err != nil {
			return nil, errorf("schedule line %d %q: %v", i+1, strings.TrimSpace(line), trimPrefix(err))
		}
		sched = append(sched, a)
	}
	return sched, nil
}

func parseAction(line string) (Action, error) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return Action{}, errorf("want: <time> <action> ...")
	}
	t, err := ParseTime(f[0])
	if err != nil {
		return Action{}, err
	}
	a := Action{At: t}
	verbName, args := f[1], f[2:]
	v := -1
	for k, name := range verbNames {
		if name == verbName && verb(k) != vDo {
			v = k
		}
	}
	if v < 0 {
		return Action{}, errorf("unknown action %q: want crash, restart, pause, resume, partition, cut, heal, loss, dup, reorder, delay, bandwidth, queue or link", verbName)
	}
	a.verb = verb(v)
	nargs := func(n int, usage string) error {
		if len(args) != n {
			return errorf("%s wants %s", verbName, usage)
		}
		return nil
	}
	switch a.verb {
	case vCrash, vRestart, vPause, vResume:
		if err := nargs(1, "one node"); err != nil {
			return Action{}, err
		}
		a.node = NodeID(args[0])
		return a, validID(a.node)
	case vHeal:
		return a, nargs(0, "no arguments")
	case vPartition:
		rest := strings.Join(args, "")
		if rest == "" {
			return Action{}, errorf("partition wants groups such as A,B | C")
		}
		for _, g := range strings.Split(rest, "|") {
			var group []NodeID
			for _, id := range strings.Split(g, ",") {
				if err := validID(NodeID(id)); err != nil {
					return Action{}, err
				}
				group = append(group, NodeID(id))
			}
			a.groups = append(a.groups, group)
		}
		return a, nil
	}
	// Link actions: <ends> [value...]
	if len(args) == 0 {
		return Action{}, errorf("%s wants a link such as A->B, A<->B or *->B", verbName)
	}
	if a.from, a.to, a.both, err = parseEnds(args[0]); err != nil {
		return Action{}, err
	}
	args = args[1:]
	switch a.verb {
	case vCut:
		return a, nargs(0, "only a link")
	case vLoss, vDup, vReorder, vBandwidth:
		if err := nargs(1, "a link and a number"); err != nil {
			return Action{}, err
		}
		if a.p, err = parseNum(args[0]); err != nil {
			return Action{}, err
		}
		if a.verb == vBandwidth {
			return a, Link{Bandwidth: a.p}.Validate()
		}
		return a, checkProb(verbName, a.p)
	case vQueue:
		if err := nargs(1, "a link and a whole number"); err != nil {
			return Action{}, err
		}
		if a.n, err = strconv.Atoi(args[0]); err != nil {
			return Action{}, errorf("bad queue limit %q: want a whole number", args[0])
		}
		return a, Link{QueueLimit: a.n}.Validate()
	case vDelay:
		if len(args) == 0 {
			return Action{}, errorf("delay wants a link and a distribution such as uniform(1ms,5ms)")
		}
		a.delay, err = ParseDelay(strings.Join(args, ""))
		return a, err
	case vLink:
		for _, kv := range args {
			k, val, ok := strings.Cut(kv, "=")
			if !ok {
				return Action{}, errorf("link field %q: want key=value with key loss, dup, reorder, delay, bandwidth or queue", kv)
			}
			switch k {
			case "loss", "dup", "reorder", "bandwidth":
				x, err := parseNum(val)
				if err != nil {
					return Action{}, err
				}
				switch k {
				case "loss":
					a.link.Loss = x
				case "dup":
					a.link.Duplicate = x
				case "reorder":
					a.link.Reorder = x
				case "bandwidth":
					a.link.Bandwidth = x
				}
			case "delay":
				if a.link.Delay, err = ParseDelay(val); err != nil {
					return Action{}, err
				}
			case "queue":
				if a.link.QueueLimit, err = strconv.Atoi(val); err != nil {
					return Action{}, errorf("bad queue limit %q: want a whole number", val)
				}
			default:
				return Action{}, errorf("unknown link field %q: want loss, dup, reorder, delay, bandwidth or queue", k)
			}
		}
		return a, a.link.Validate()
	}
	return Action{}, errorf("unhandled action %q", verbName)
}

func parseNum(s string) (float64, error) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errorf("bad number %q", s)
	}
	return x, nil
}

// parseEnds reads "A->B", "A<->B", with * for any node.
func parseEnds(s string) (from, to NodeID, both bool, err error) {
	l, r, ok := strings.Cut(s, "<->")
	if ok {
		both = true
	} else if l, r, ok = strings.Cut(s, "->"); !ok {
		return "", "", false, errorf("bad link %q: want A->B, A<->B, *->B or A->*", s)
	}
	for _, id := range []string{l, r} {
		if id != string(Any) {
			if err := validID(NodeID(id)); err != nil {
				return "", "", false, err
			}
		}
	}
	return NodeID(l), NodeID(r), both, nil
}
