package ordering_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/ordering"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/vclock"
)

func ExampleHoldBack() {
	var h ordering.HoldBack
	for _, seq := range []int{2, 1, 4, 4, 3} {
		d, dup := h.Add(seq, fmt.Sprintf("m%d", seq))
		fmt.Println(seq, d, dup)
	}
	// Output:
	// 2 [] false
	// 1 [m1 m2] false
	// 4 [] false
	// 4 [] true
	// 3 [m3 m4] false
}

func ExampleDeliverable() {
	// B (index 1) had delivered A's first message when it sent this one.
	msg := vclock.VC{1, 1, 0}
	fmt.Println(ordering.Deliverable(msg, vclock.VC{0, 0, 0}, 1)) // A's message is missing here
	fmt.Println(ordering.Deliverable(msg, vclock.VC{1, 0, 0}, 1))
	// Output:
	// false
	// true
}

func ExampleTOBReady() {
	head := ordering.TOBData{From: 0, TS: 3, Payload: "A2"}
	// Node 2 has heard up to timestamp 5 from A, but only 2 from B.
	fmt.Println(ordering.TOBReady(head, []lamport.Timestamp{5, 2, 0}, 2))
	fmt.Println(ordering.TOBReady(head, []lamport.Timestamp{5, 3, 0}, 2))
	// Output:
	// false
	// true
}

func ExampleRunTOB() {
	r, err := ordering.RunTOB(ordering.DefaultTOB())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Agree(), r.Broadcasts(), r.Stats.Sent)
	// Output:
	// true 12 72
}
