package replication

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Command is a client's request to the replicated key-value store: set Key
// to Value. Client and Seq name the request, so that a request the client
// sent twice (because a reply was lost) changes the store only once. The
// zero Command is a no-op, the entry a new leader appends to its log.
//
// With Once the command sets Key only if Key holds no value yet: the key
// is then a write-once register, and the first such command committed
// for it decides its value for good (lesson 14 records a transaction's
// outcome this way).
type Command struct {
	Client netsim.NodeID
	Seq    int
	Key    string
	Value  string
	Once   bool
}

// IsNoOp reports whether c is the zero Command.
func (c Command) IsNoOp() bool { return c == Command{} }

// String is "x=5 (c1#3)", "x=5 (c1#3, once)", or "no-op".
func (c Command) String() string {
	if c.IsNoOp() {
		return "no-op"
	}
	if c.Once {
		return fmt.Sprintf("%s=%s (%s#%d, once)", c.Key, c.Value, c.Client, c.Seq)
	}
	return fmt.Sprintf("%s=%s (%s#%d)", c.Key, c.Value, c.Client, c.Seq)
}

// MaxCommandBytes bounds an encoded command.
const MaxCommandBytes = 1024

type wireCommand struct {
	C string `json:"c"`
	S int    `json:"s"`
	K string `json:"k"`
	V string `json:"v"`
	O bool   `json:"o,omitempty"`
}

// EncodeCommand is the byte form of c that travels in etcd's log entries:
// empty for a no-op, JSON otherwise.
func EncodeCommand(c Command) []byte {
	if c.IsNoOp() {
		return nil
	}
	b, _ := json.Marshal(wireCommand{string(c.Client), c.Seq, c.Key, c.Value, c.Once}) // cannot fail on strings, ints and bools
	return b
}

// DecodeCommand reads what EncodeCommand wrote. Empty data is a no-op.
func DecodeCommand(data []byte) (Command, error) {
	if len(data) == 0 {
		return Command{}, nil
	}
	if len(data) > MaxCommandBytes {
		return Command{}, fmt.Errorf("replication: command of %d bytes, at most %d allowed", len(data), MaxCommandBytes)
	}
	var w wireCommand
	if err := json.Unmarshal(data, &w); err != nil {
		return Command{}, fmt.Errorf("replication: bad command %q: %v", data, err)
	}
	c := Command{Client: netsim.NodeID(w.C), Seq: w.S, Key: w.K, Value: w.V, Once: w.O}
	if c.IsNoOp() {
		return Command{}, fmt.Errorf("replication: command %q encodes a no-op, which must be empty", data)
	}
	return c, nil
}

// Entry is one slot of a Raft log: the term of the leader that created it
// and the command.
type Entry struct {
	Term int
	Cmd  Command
}

// String is "t2 x=5 (c1#3)".
func (e Entry) String() string { return "t" + strconv.Itoa(e.Term) + " " + e.Cmd.String() }

// Log is a Raft log. Raft numbers entries from 1: the entry at index i is
// l[i-1]. Index 0 is the empty prefix, whose term is 0.
type Log []Entry

// LastIndex is the index of the last entry (0 for an empty log).
func (l Log) LastIndex() int { return len(l) }

// Term is the term of the entry at index i, or 0 if there is none (i = 0
// or i beyond the end).
func (l Log) Term(i int) int {
	if i < 1 || i > len(l) {
		return 0
	}
	return l[i-1].Term
}

// LastTerm is the term of the last entry (0 for an empty log).
func (l Log) LastTerm() int { return l.Term(len(l)) }

// At returns the entry at index i and whether there is one.
func (l Log) At(i int) (Entry, bool) {
	if i < 1 || i > len(l) {
		return Entry{}, false
	}
	return l[i-1], true
}

// String lists the terms of the entries, as in the figures of the Raft
// paper: "1 1 2 3 3".
func (l Log) String() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(e.Term))
	}
	return b.String()
}
