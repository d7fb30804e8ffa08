package transactions

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// State is where a participant is in the transaction.
type State int

// The states of a participant.
const (
	// Working: it has done its part of the transaction and holds its
	// locks, but has not voted. It may still abort on its own.
	Working State = iota
	// Prepared: it voted yes and wrote that to its log. It holds its
	// locks and must not decide alone: the coordinator may have decided
	// either way.
	Prepared
	// Committed: it learned the outcome commit, applied its writes and
	// released its locks.
	Committed
	// Aborted: it voted no, aborted before voting, or learned the outcome
	// abort; its locks are released.
	Aborted
)

var stateNames = [...]string{"working", "prepared", "committed", "aborted"}

func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// MarshalText writes the state's name, so that states read well in JSON.
func (s State) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(stateNames) {
		return nil, fmt.Errorf("transactions: no state %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a state's name.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if string(b) == n {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("transactions: unknown state %q (want working, prepared, committed or aborted)", b)
}

// Decided reports whether the state is final (committed or aborted).
func (s State) Decided() bool { return s == Committed || s == Aborted }

// Outcome is a transaction's outcome, as far as someone knows it.
type Outcome string

// Outcomes.
const (
	Unknown Outcome = "unknown"
	Commit  Outcome = "commit"
	Abort   Outcome = "abort"
)

// Decided reports whether o is Commit or Abort.
func (o Outcome) Decided() bool { return o == Commit || o == Abort }

// outcomeOf is the outcome a decided state stands for.
func outcomeOf(s State) Outcome {
	switch s {
	case Committed:
		return Commit
	case Aborted:
		return Abort
	}
	return Unknown
}

// Vote is what a participant voted.
type Vote string

// Votes.
const (
	NotVoted Vote = ""
	Yes      Vote = "yes"
	No       Vote = "no"
)

// Tx names the one transaction of a run.
const Tx = "T1"

// Messages of two-phase commit. Each prints compactly in transcripts.
type (
	// Prepare asks a participant to vote on transaction Tx.
	Prepare struct{ Tx string }
	// VoteMsg is a participant's vote.
	VoteMsg struct {
		Tx  string
		Yes bool
	}
	// Decision tells a participant the outcome.
	Decision struct {
		Tx      string
		Outcome Outcome
	}
	// Ack confirms a Decision; the coordinator resends until it has one
	// from every participant.
	Ack struct{ Tx string }
	// Query is a prepared participant asking for the outcome: the
	// coordinator, and with cooperative termination the other
	// participants too.
	Query struct{ Tx string }
	// StateReply answers a participant's Query: the state the replying
	// participant was in when the query arrived (a participant that had
	// not voted aborts before it replies, so that the transaction cannot
	// commit any more).
	StateReply struct {
		Tx    string
		State State
	}
)

func (m Prepare) String() string { return "Prepare " + m.Tx }
func (m VoteMsg) String() string {
	if m.Yes {
		return "Vote " + m.Tx + " yes"
	}
	return "Vote " + m.Tx + " no"
}
func (m Decision) String() string   { return "Decision " + m.Tx + " " + string(m.Outcome) }
func (m Ack) String() string        { return "Ack " + m.Tx }
func (m Query) String() string      { return "Query " + m.Tx }
func (m StateReply) String() string { return "State " + m.Tx + " " + m.State.String() }

// Coordinator is the netsim ID of the coordinator.
const Coordinator netsim.NodeID = "co"

// ParticipantName is the netsim ID of participant i (1-based): "p1".
func ParticipantName(i int) netsim.NodeID { return netsim.NodeID(fmt.Sprintf("p%d", i)) }

// ReplicaName is the netsim ID of replica i (1-based) of the Raft group
// that records the decision under RaftDecision: "r1".
func ReplicaName(i int) netsim.NodeID { return netsim.NodeID(fmt.Sprintf("r%d", i)) }
