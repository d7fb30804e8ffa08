package netsim

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// Op is the kind of a trace record.
type Op uint8

// Trace record kinds.
const (
	OpSend        Op = iota // a node sent a message
	OpDeliver               // a message reached its destination
	OpDrop                  // a message was dropped; see Record.Reason
	OpDuplicate             // the network made a second copy of a message
	OpSetTimer              // a node set a timer
	OpTimer                 // a timer fired
	OpCancelTimer           // a node cancelled a pending timer
	OpStart                 // a node started
	OpRestart               // a crashed node started again
	OpCrash                 // a node crashed
	OpPause                 // a node was paused
	OpResume                // a paused node resumed
	OpNote                  // a node called Context.Logf
	OpChange                // a scheduled network change (partition, heal, link change)
	OpOutput                // a node called Context.Output; Msg is the value
)

var opNames = [...]string{"send", "deliver", "drop", "duplicate", "set-timer", "timer", "cancel-timer",
	"start", "restart", "crash", "pause", "resume", "note", "change", "output"}

func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// DropReason says why a message was dropped.
type DropReason uint8

// Reasons for OpDrop records.
const (
	NotDropped    DropReason = iota
	DropLoss                 // random loss on the link (Link.Loss)
	DropPartition            // a partition or cut separates sender and receiver
	DropCrashed              // the receiver was crashed when the message arrived
	DropQueue                // the link queue was full (Link.QueueLimit)
	numDropReasons
)

var reasonNames = [...]string{"", "loss", "partition", "crashed", "queue"}

func (r DropReason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "DropReason(" + strconv.Itoa(int(r)) + ")"
}

// Record is one line of the trace.
//
// Node is where the event happened: the sender for OpSend, OpDuplicate
// and drops decided at send time (loss, partition, queue); the receiver
// for OpDeliver and drops decided on arrival (crashed receiver, a
// partition that started while the message was in flight); the node
// itself for timer and lifecycle records; empty for OpChange.
type Record struct {
	Time   Time
	Op     Op
	Node   NodeID
	From   NodeID     // message records: sender
	To     NodeID     // message records: receiver
	ID     uint64     // message number (#n) or timer ID (tN)
	Msg    any        // message, timer tag, or output value
	Reason DropReason // OpDrop only
	Sent   Time       // OpDeliver and OpDrop: when the message was sent
	Due    Time       // OpSetTimer: when the timer will fire
	Text   string     // OpNote: the note; OpChange: the change in schedule syntax
}

// String formats r as one transcript line, for example
//
//	12.000ms A->B deliver #3 "ping"
//	12.000ms A->B drop #4 "ping" (loss)
//	15.000ms A set-timer t2 "election" due 165.000ms
//	20.000ms B crash
//	30.000ms partition A,B | C
//	31.000ms B output "a"
func (r Record) String() string {
	return string(r.appendTo(make([]byte, 0, 64)))
}

func (r Record) appendTo(b []byte) []byte {
	b = r.Time.appendTo(b)
	b = append(b, ' ')
	switch r.Op {
	case OpSend, OpDeliver, OpDrop, OpDuplicate:
		b = append(b, r.From...)
		b = append(b, "->"...)
		b = append(b, r.To...)
		b = append(b, ' ')
		b = append(b, r.Op.String()...)
		b = append(b, " #"...)
		b = strconv.AppendUint(b, r.ID, 10)
		b = appendMsg(b, r.Msg)
		if r.Op == OpDrop {
			b = append(b, " ("...)
			b = append(b, r.Reason.String()...)
			b = append(b, ')')
		}
	case OpSetTimer, OpTimer, OpCancelTimer:
		b = append(b, r.Node...)
		b = append(b, ' ')
		b = append(b, r.Op.String()...)
		b = append(b, " t"...)
		b = strconv.AppendUint(b, r.ID, 10)
		b = appendMsg(b, r.Msg)
		if r.Op == OpSetTimer {
			b = append(b, " due "...)
			b = r.Due.appendTo(b)
		}
	case OpNote:
		b = append(b, r.Node...)
		b = append(b, " note "...)
		b = append(b, r.Text...)
	case OpOutput:
		b = append(b, r.Node...)
		b = append(b, " output"...)
		b = appendMsg(b, r.Msg)
	case OpChange:
		b = append(b, r.Text...)
	default:
		b = append(b, r.Node...)
		b = append(b, ' ')
		b = append(b, r.Op.String()...)
	}
	return b
}

// appendMsg appends " " and a short rendering of msg: strings quoted,
// Stringers via String, other values with %v; nothing for nil.
func appendMsg(b []byte, msg any) []byte {
	if msg == nil {
		return b
	}
	b = append(b, ' ')
	switch m := msg.(type) {
	case string:
		return strconv.AppendQuote(b, m)
	case fmt.Stringer:
		return append(b, m.String()...)
	case int:
		return strconv.AppendInt(b, int64(m), 10)
	}
	return fmt.Appendf(b, "%v", msg)
}

// Trace is the list of records of a run, in the order they happened.
type Trace []Record

// WriteTo writes one line per record (see Record.String).
func (t Trace) WriteTo(w io.Writer) (int64, error) {
	if w == nil {
		return 0, errorf("Trace.WriteTo: nil writer")
	}
	bw := bufio.NewWriter(w)
	var n int64
	buf := make([]byte, 0, 128)
	for _, r := range t {
		buf = r.appendTo(buf[:0])
		buf = append(buf, '\n')
		m, err := bw.Write(buf)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}

// String returns the whole transcript, one record per line.
func (t Trace) String() string {
	var b []byte
	for _, r := range t {
		b = r.appendTo(b)
		b = append(b, '\n')
	}
	return string(b)
}

// Head returns the transcript of the first max records, one per line,
// and a last line "..." if more follow; max <= 0 means every record.
func (t Trace) Head(max int) string {
	if max > 0 && len(t) > max {
		return t[:max].String() + "...\n"
	}
	return t.String()
}

// ArrivingAfter returns the messages sent at or before at that arrive
// after it, delivered or dropped on arrival: those in flight at at, which
// a diagram of the run up to at cannot show arriving.
func (t Trace) ArrivingAfter(at Time) map[uint64]bool {
	late := map[uint64]bool{}
	for _, r := range t {
		if (r.Op == OpDeliver || r.Op == OpDrop && r.Node == r.To) && r.Time > at && r.Sent <= at {
			late[r.ID] = true
		}
	}
	return late
}

// Filter returns the records for which keep returns true; a nil keep
// keeps none.
func (t Trace) Filter(keep func(Record) bool) Trace {
	var out Trace
	if keep == nil {
		return out
	}
	for _, r := range t {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}
