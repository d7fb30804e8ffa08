package etcdraft

import (
	"fmt"
	"strconv"
	"strings"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// Message is what an etcd raft node sends through netsim: one raftpb
// message, cloned when sent and again when delivered, as if it had been
// serialised. It prints compactly (the protobuf text form is deliberately
// unstable, so it must not appear in transcripts).
type Message struct{ M *pb.Message }

// String describes the message in the style of the course's own Raft
// messages: "MsgApp t2 prev=3/t1 entries=[2 2] commit=3".
func (m Message) String() string {
	x := m.M
	if x == nil {
		return "nil"
	}
	t := x.GetType()
	name := strings.TrimPrefix(t.String(), "MessageType_")
	switch t {
	case pb.MsgApp:
		s := fmt.Sprintf("%s t%d prev=%d/t%d", name, x.GetTerm(), x.GetIndex(), x.GetLogTerm())
		if len(x.GetEntries()) > 0 {
			terms := make([]string, len(x.GetEntries()))
			for i, e := range x.GetEntries() {
				terms[i] = strconv.FormatUint(e.GetTerm(), 10)
			}
			s += " entries=[" + strings.Join(terms, " ") + "]"
		}
		return s + fmt.Sprintf(" commit=%d", x.GetCommit())
	case pb.MsgAppResp:
		if x.GetReject() {
			return fmt.Sprintf("%s t%d refused index=%d hint=%d/t%d", name, x.GetTerm(), x.GetIndex(), x.GetRejectHint(), x.GetLogTerm())
		}
		return fmt.Sprintf("%s t%d ok index=%d", name, x.GetTerm(), x.GetIndex())
	case pb.MsgVote, pb.MsgPreVote:
		return fmt.Sprintf("%s t%d last=%d/t%d", name, x.GetTerm(), x.GetIndex(), x.GetLogTerm())
	case pb.MsgVoteResp, pb.MsgPreVoteResp:
		if x.GetReject() {
			return fmt.Sprintf("%s t%d refused", name, x.GetTerm())
		}
		return fmt.Sprintf("%s t%d granted", name, x.GetTerm())
	case pb.MsgHeartbeat:
		return fmt.Sprintf("%s t%d commit=%d", name, x.GetTerm(), x.GetCommit())
	case pb.MsgProp:
		return fmt.Sprintf("%s entries=%d", name, len(x.GetEntries()))
	}
	return fmt.Sprintf("%s t%d", name, x.GetTerm())
}

// Size is the message's size in bytes on the wire (for netsim links with
// a bandwidth).
func (m Message) Size() int { return proto.Size(m.M) }
