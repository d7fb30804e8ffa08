package replication

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// Messages of the course's Raft. Each prints compactly in the netsim
// transcript.
type (
	// RequestVote asks for a vote in Term; LastIndex and LastTerm describe
	// the end of the candidate's log, for the election restriction.
	RequestVote struct{ Term, LastIndex, LastTerm int }
	// Vote answers a RequestVote.
	Vote struct {
		Term    int
		Granted bool
	}
	// AppendEntries carries the leader's entries after PrevIndex (whose
	// term is PrevTerm) and its commit index. With no entries it is a
	// heartbeat.
	AppendEntries struct {
		Term                int
		PrevIndex, PrevTerm int
		Entries             []Entry
		Commit              int
	}
	// AppendReply answers an AppendEntries. If Success, the follower's log
	// agrees with the leader's up to Match; otherwise LastIndex is the
	// length of the follower's log, a hint for where to retry.
	AppendReply struct {
		Term      int
		Success   bool
		Match     int
		LastIndex int
	}
)

func (m RequestVote) String() string {
	return fmt.Sprintf("RequestVote t%d last=%d/t%d", m.Term, m.LastIndex, m.LastTerm)
}

func (m Vote) String() string {
	if m.Granted {
		return fmt.Sprintf("Vote t%d granted", m.Term)
	}
	return fmt.Sprintf("Vote t%d refused", m.Term)
}

func (m AppendEntries) String() string {
	s := fmt.Sprintf("AppendEntries t%d prev=%d/t%d", m.Term, m.PrevIndex, m.PrevTerm)
	if len(m.Entries) > 0 {
		s += " entries=[" + Log(m.Entries).String() + "]"
	}
	return s + fmt.Sprintf(" commit=%d", m.Commit)
}

func (m AppendReply) String() string {
	if m.Success {
		return fmt.Sprintf("AppendReply t%d ok match=%d", m.Term, m.Match)
	}
	return fmt.Sprintf("AppendReply t%d refused last=%d", m.Term, m.LastIndex)
}

// Size approximates the bytes of an AppendEntries on the wire, for links
// with a bandwidth.
func (m AppendEntries) Size() int {
	n := 32
	for _, e := range m.Entries {
		n += 16 + len(e.Cmd.Client) + len(e.Cmd.Key) + len(e.Cmd.Value)
	}
	return n
}

// Messages between clients and replicas, the same for both implementations.
type (
	// Submit asks a replica to replicate and apply Cmd. Only the leader
	// accepts; others answer with a Redirect.
	Submit struct{ Cmd Command }
	// Redirect says "I am not the leader; try Leader" ("" if unknown).
	Redirect struct {
		Seq    int
		Leader netsim.NodeID
	}
	// Result tells the client that its command Seq was committed and
	// applied, at log index Index. For a write-once command, Value is the
	// key's value: the client's own, or that of the command that came first.
	Result struct {
		Seq, Index int
		Value      string
	}
	// Campaign makes a replica start an election now (etcd's
	// RawNode.Campaign). Scripted scenarios use it to choose who runs.
	Campaign struct{}
)

func (m Submit) String() string { return "Submit " + m.Cmd.String() }

func (m Redirect) String() string {
	if m.Leader == "" {
		return fmt.Sprintf("Redirect #%d (leader unknown)", m.Seq)
	}
	return fmt.Sprintf("Redirect #%d to %s", m.Seq, m.Leader)
}

func (m Result) String() string {
	if m.Value != "" {
		return fmt.Sprintf("Result #%d at %d: %s", m.Seq, m.Index, m.Value)
	}
	return fmt.Sprintf("Result #%d at %d", m.Seq, m.Index)
}
func (m Campaign) String() string { return "Campaign" }
