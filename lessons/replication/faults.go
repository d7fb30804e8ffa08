package replication

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

type stepKind int

const (
	stepCrash stepKind = iota
	stepCrashLeader
	stepRestart
	stepRestartAll
	stepIsolateLeader
	stepPartition
	stepHeal
	stepLinks
)

// Step is a fault injected at a time. Some name their target by role
// ("the leader"), resolved when the step happens.
type Step struct {
	At        netsim.Time
	kind      stepKind
	node      netsim.NodeID
	groups    [][]netsim.NodeID
	followers int
	clients   []netsim.NodeID
	link      netsim.Link
}

// Crash crashes a replica (or client): it stops, its volatile state is
// lost, its log, term and vote stay on disk.
func Crash(at netsim.Time, node netsim.NodeID) Step { return Step{At: at, kind: stepCrash, node: node} }

// CrashLeader crashes whichever live replica leads the highest term at
// that moment (nothing if none does).
func CrashLeader(at netsim.Time) Step { return Step{At: at, kind: stepCrashLeader} }

// Restart restarts a crashed replica or client (nothing if it is running).
func Restart(at netsim.Time, node netsim.NodeID) Step {
	return Step{At: at, kind: stepRestart, node: node}
}

// RestartAll restarts every crashed replica.
func RestartAll(at netsim.Time) Step { return Step{At: at, kind: stepRestartAll} }

// IsolateLeader partitions the network: the current leader, the next
// followers replicas after it (n3 is followed by n4, n5, n1...) and the
// given clients on one side, everyone else on the other.
func IsolateLeader(at netsim.Time, followers int, clients ...netsim.NodeID) Step {
	return Step{At: at, kind: stepIsolateLeader, followers: followers, clients: clients}
}

// Partition splits the network into groups (nodes not listed form one
// more group), replacing earlier partitions.
func Partition(at netsim.Time, groups ...[]netsim.NodeID) Step {
	return Step{At: at, kind: stepPartition, groups: groups}
}

// Heal removes every partition.
func Heal(at netsim.Time) Step { return Step{At: at, kind: stepHeal} }

// SetLinks gives every link the fault model l.
func SetLinks(at netsim.Time, l netsim.Link) Step { return Step{At: at, kind: stepLinks, link: l} }

// String describes the step: "1s isolate the leader with 1 follower and c2".
func (s Step) String() string {
	t := fmt.Sprint(s.At.Duration())
	switch s.kind {
	case stepCrash:
		return t + " crash " + string(s.node)
	case stepCrashLeader:
		return t + " crash the leader"
	case stepRestart:
		return t + " restart " + string(s.node)
	case stepRestartAll:
		return t + " restart every crashed replica"
	case stepIsolateLeader:
		txt := fmt.Sprintf("%s isolate the leader with %d follower(s)", t, s.followers)
		if len(s.clients) > 0 {
			txt += " and " + ids(s.clients, ",")
		}
		return txt
	case stepPartition:
		gs := make([]string, len(s.groups))
		for i, g := range s.groups {
			gs[i] = ids(g, ",")
		}
		return t + " partition " + strings.Join(gs, " | ")
	case stepHeal:
		return t + " heal"
	case stepLinks:
		return fmt.Sprintf("%s links loss=%g dup=%g reorder=%g delay=%v", t, s.link.Loss, s.link.Duplicate, s.link.Reorder, s.link.Delay)
	}
	return t + " ?"
}

func ids(l []netsim.NodeID, sep string) string {
	s := make([]string, len(l))
	for i, id := range l {
		s[i] = string(id)
	}
	return strings.Join(s, sep)
}

func (s Step) check(c *Config) error {
	if s.At < 0 || s.At > c.End {
		return fmt.Errorf("replication: step %q not in [0, end %v]", s, c.End)
	}
	known := append(c.members(), c.clients()...)
	known = append(known, Director)
	checkID := func(id netsim.NodeID) error {
		if !slices.Contains(known, id) {
			return fmt.Errorf("replication: step %q names unknown node %q; nodes are %s", s, id, ids(known, " "))
		}
		return nil
	}
	switch s.kind {
	case stepCrash, stepRestart:
		return checkID(s.node)
	case stepIsolateLeader:
		if s.followers < 0 || s.followers >= c.Nodes {
			return fmt.Errorf("replication: step %q: followers %d not in [0,%d]", s, s.followers, c.Nodes-1)
		}
		for _, id := range s.clients {
			if err := checkID(id); err != nil {
				return err
			}
		}
	case stepPartition:
		for _, g := range s.groups {
			for _, id := range g {
				if err := checkID(id); err != nil {
					return err
				}
			}
		}
	case stepLinks:
		if err := s.link.Validate(); err != nil {
			return fmt.Errorf("replication: step %q: %v", s, strings.TrimPrefix(err.Error(), "netsim: "))
		}
	case stepCrashLeader, stepRestartAll, stepHeal:
	default:
		return fmt.Errorf("replication: unknown step kind %d (build steps with Crash, Heal, ...)", s.kind)
	}
	return nil
}

// do carries out step s now.
func (rn *runner) do(s Step) error {
	now := rn.sim.Now()
	at := rn.sim.At(now)
	switch s.kind {
	case stepCrash:
		rn.fault(now, "crash "+string(s.node))
		return at.Crash(s.node)
	case stepCrashLeader:
		l := rn.leader()
		if l < 0 {
			rn.fault(now, "no leader to crash")
			return nil
		}
		id := rn.run.Members[l]
		rn.fault(now, fmt.Sprintf("crash %s (leader of term %d)", id, rn.reps[l].Status().Term))
		return at.Crash(id)
	case stepRestart:
		if !rn.sim.Crashed(s.node) {
			return nil // netsim would crash it first
		}
		rn.fault(now, "restart "+string(s.node))
		return at.Restart(s.node)
	case stepRestartAll:
		for _, id := range rn.run.Members {
			if rn.sim.Crashed(id) {
				rn.fault(now, "restart "+string(id))
				if err := at.Restart(id); err != nil {
					return err
				}
			}
		}
	case stepIsolateLeader:
		l := rn.leader()
		if l < 0 {
			l = 0
		}
		var side []netsim.NodeID
		for k := 0; k <= s.followers; k++ {
			side = append(side, rn.run.Members[(l+k)%len(rn.run.Members)])
		}
		rn.run.Isolated = append([]netsim.NodeID(nil), side...)
		side = append(side, s.clients...)
		rn.fault(now, fmt.Sprintf("partition %s | the rest", ids(side, ",")))
		return at.Partition(side)
	case stepPartition:
		rn.fault(now, strings.TrimPrefix(s.String(), fmt.Sprint(s.At.Duration())+" "))
		return at.Partition(s.groups...)
	case stepHeal:
		rn.fault(now, "heal the network")
		return at.Heal()
	case stepLinks:
		rn.fault(now, strings.TrimPrefix(s.String(), fmt.Sprint(s.At.Duration())+" "))
		return at.SetLink(netsim.Any, netsim.Any, s.link)
	}
	return nil
}
