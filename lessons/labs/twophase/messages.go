package twophase

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// Outcome is a decision: what a node reports with ctx.Output when it
// decides.
type Outcome string

// The two decisions.
const (
	Commit Outcome = "commit"
	Abort  Outcome = "abort"
)

func (o Outcome) String() string { return string(o) }

// Messages of two-phase commit. Each prints compactly in transcripts.
type (
	// Prepare asks a participant to vote (coordinator to participant).
	Prepare struct{}
	// Vote is a participant's vote: yes if it can commit and has made
	// its part of the work durable (participant to coordinator).
	Vote struct{ Yes bool }
	// Decision tells a participant the outcome (coordinator to
	// participant).
	Decision struct{ Outcome Outcome }
	// Query asks the coordinator for the outcome (a prepared participant
	// that is still waiting for it).
	Query struct{}
	// Ack confirms a Decision (participant to coordinator), for a
	// coordinator that sends its decision again until everyone confirmed
	// it. Optional: a design in which participants ask needs none.
	Ack struct{}
)

func (Prepare) String() string { return "Prepare" }
func (v Vote) String() string {
	if v.Yes {
		return "Vote yes"
	}
	return "Vote no"
}
func (d Decision) String() string { return "Decision " + string(d.Outcome) }
func (Query) String() string      { return "Query" }
func (Ack) String() string        { return "Ack" }

// voted is the lab's record of a participant's vote: the lab watches the
// Vote messages a participant sends and reports the first one, and every
// change, as an output of that participant (validity is a property of
// the votes). Students cannot make one: the type is unexported.
type voted struct{ Yes bool }

func (v voted) String() string {
	if v.Yes {
		return "voted yes"
	}
	return "voted no"
}

// Coordinator is the coordinator's node ID.
const Coordinator netsim.NodeID = "co"

// ParticipantID returns the ID of participant i (1-based): "p1", "p2", ...
func ParticipantID(i int) netsim.NodeID { return netsim.NodeID(fmt.Sprintf("p%d", i)) }

// Name is the short label of the lab's messages and outputs in diagrams:
// "P" for Prepare, "yes"/"no" for votes, "C"/"A" for a Decision to
// commit or abort, "Q" for Query, "ack"; an output by its text ("commit",
// "voted yes"). It returns "" for other values.
func Name(v any) string {
	switch m := v.(type) {
	case Prepare:
		return "P"
	case Vote:
		if m.Yes {
			return "yes"
		}
		return "no"
	case Decision:
		switch m.Outcome {
		case Commit:
			return "C"
		case Abort:
			return "A"
		}
		return "D?"
	case Query:
		return "Q"
	case Ack:
		return "ack"
	case Outcome:
		return string(m)
	case voted:
		return m.String()
	}
	return ""
}
