package intro

import (
	"fmt"
	"math"
)

// Snippets are the code fragments of the exercise "which fallacy does
// this code assume?", labelled A, B and C.
var Snippets = [3]string{
	`// A: show the names of a user's 200 friends
for _, id := range friendIDs {
	name, _ := users.GetName(ctx, id) // one RPC to the user service per friend
	names = append(names, name)
}`,
	`// B: hand an order to the warehouse
conn.Write(encode(order)) // no acknowledgement is expected
db.MarkShipped(order.ID)  // ... so the order counts as shipped`,
	`// C: send a counter to a peer
buf := make([]byte, 8)
binary.NativeEndian.PutUint64(buf, count) // this machine's byte order
conn.Write(buf)`,
}

var snippetAnswers = [3]Fallacy{ZeroLatency, ReliableNetwork, HomogeneousNetwork}

var snippetHints = [3]string{
	"each call waits for a round trip to another machine",
	"what if the write is lost, or the warehouse crashes before reading it?",
	"the peer may be built for a CPU with the other byte order",
}

// CheckWhichFallacy checks the exercise "which fallacy does this code
// assume?": one Fallacy per snippet in Snippets.
func CheckWhichFallacy(a, b, c Fallacy) error {
	got := [3]Fallacy{a, b, c}
	var wrong []string
	for i, f := range got {
		if f != snippetAnswers[i] {
			wrong = append(wrong, fmt.Sprintf("snippet %c: got %q (hint: %s)", 'A'+i, f, snippetHints[i]))
		}
	}
	if len(wrong) == 0 {
		return nil
	}
	s := fmt.Sprintf("%d of 3 wrong: ", len(wrong))
	for i, w := range wrong {
		if i > 0 {
			s += "; "
		}
		s += w
	}
	return fmt.Errorf("%s. Pick from intro.ReliableNetwork, ZeroLatency, InfiniteBandwidth, SecureNetwork, FixedTopology, OneAdministrator, ZeroTransportCost, HomogeneousNetwork", s)
}

// CheckHeartbeats checks the exercise "how many heartbeat messages per
// second do 50 nodes send, all-to-all, once a second each?".
func CheckHeartbeats(perSecond float64) error {
	const n = 50
	want := float64(n * (n - 1))
	if math.Abs(perSecond-want) < 0.5 {
		return nil
	}
	hint := "hint: each of the n nodes sends one message to each of the n-1 others"
	if math.Abs(perSecond-n*n) < 0.5 {
		hint = "hint: a node does not send a heartbeat to itself"
	} else if math.Abs(perSecond-n*(n-1)/2) < 0.5 {
		hint = "hint: heartbeats are one-way; A→B and B→A are two messages"
	}
	return fmt.Errorf("expected %.0f, got %v. %s", want, perSecond, hint)
}
