package totalorder

import (
	"strconv"

	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/mcheck"
)

// Data is a broadcast: the sender's index in the member list, its Lamport
// timestamp and the payload.
type Data struct {
	From    int
	TS      lamport.Timestamp
	Payload string
}

// String shows a broadcast as payload@timestamp: "A1@1".
func (d Data) String() string { return d.Payload + "@" + strconv.FormatUint(uint64(d.TS), 10) }

// Ack tells the other members that node From has received a broadcast;
// TS is From's Lamport timestamp at sending it.
type Ack struct {
	From int
	TS   lamport.Timestamp
}

// String shows an acknowledgement as ack@timestamp: "ack@2".
func (a Ack) String() string { return "ack@" + strconv.FormatUint(uint64(a.TS), 10) }

// Broadcast is the tag of the timers the lab sets for a node's broadcasts:
// when one fires, the node's application asks it to broadcast Payload.
type Broadcast struct{ Payload string }

// String shows the request: "broadcast A1".
func (b Broadcast) String() string { return "broadcast " + b.Payload }

// Packet is what the FIFO layer sends on the link from one node to
// another: the node's message Msg and its number Seq on that link (0, 1,
// 2, ...).
type Packet struct {
	Seq int
	Msg any
}

// String shows the message and its number on the link: "A1@1 #0".
func (p Packet) String() string { return mcheck.Text(p.Msg) + " #" + strconv.Itoa(p.Seq) }
