package replication

import (
	"github.com/dslessons/course/lessons/voting"
	"github.com/dslessons/course/pkg/netsim"
)

// Role is what a replica believes it is: lesson 11's roles.
type Role = voting.Role

// Roles of a Raft replica.
const (
	Follower  = voting.Follower
	Candidate = voting.Candidate
	Leader    = voting.Leader
)

// Status is what the safety checker and the plots read from a replica
// after each of its steps.
type Status struct {
	Term   int
	Role   Role
	Leader netsim.NodeID // the leader it knows of ("" if none)
	// Log is the replica's log. It is shared, not copied: read it before
	// the replica's next step and do not modify it.
	Log    Log
	Commit int // commit index
	// Applied lists the entries applied to the state machine since the
	// replica last (re)started, in index order (shared, read-only).
	Applied []Entry
	KV      *KV // the state machine (nil before the replica starts)
}

// Replica is a member of a replicated state machine running on netsim: a
// node that the checker can inspect. Its Handle must accept Submit (from a
// client; answer with Result when applied as leader, or Redirect) and
// Campaign besides its own protocol messages.
type Replica interface {
	netsim.Node
	Status() Status
}

// Implementation builds the replicas of a cluster: the course's Raft
// (Course) or etcd's (Etcd).
type Implementation interface {
	Name() string
	// Check reports whether the implementation can run cfg (cfg itself
	// is already valid).
	Check(cfg *Config) error
	// NewReplica builds member self of members.
	NewReplica(cfg *Config, self netsim.NodeID, members []netsim.NodeID) (Replica, error)
}
