package vclock_test

import (
	"fmt"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/vclock"
)

func ExampleClock() {
	a, _ := vclock.NewClock(3, 0)
	b, _ := vclock.NewClock(3, 1)
	a.Local()
	msg := a.Send()
	bl := b.Local()
	recv, _ := b.Receive(msg)
	fmt.Println(msg, bl, recv)
	fmt.Println(vclock.Compare(msg, recv), vclock.Compare(msg, bl))
	// Output:
	// [2,0,0] [0,1,0] [2,2,0]
	// Before Concurrent
}

func ExampleParse() {
	v, err := vclock.Parse("[1, 0, 2]")
	fmt.Println(v, err)
	_, err = vclock.Parse("[1,-1]")
	fmt.Println(err)
	// Output:
	// [1,0,2] <nil>
	// vclock: cannot parse "[1,-1]": entry 1 ("-1") is not a non-negative integer below 2^64
}

func ExampleReplay() {
	b := history.NewBuilder("A", "B", "C", "D")
	m := b.Send("A", "C", "E1")
	b.Receive(m, "E2")
	m = b.Send("C", "A", "E3")
	b.Receive(m, "E4")
	m = b.Send("B", "D", "E5")
	b.Receive(m, "E6")
	h, _ := b.Build()
	run, _ := vclock.Replay(h)
	for e := range h.Events {
		fmt.Println(h.Name(e), run.Label(e))
	}
	fmt.Println("E4 vs E6:", run.Compare(3, 5))
	// Output:
	// E1 [A(1), B(0), C(0), D(0)]
	// E2 [A(1), B(0), C(1), D(0)]
	// E3 [A(1), B(0), C(2), D(0)]
	// E4 [A(2), B(0), C(2), D(0)]
	// E5 [A(0), B(1), C(0), D(0)]
	// E6 [A(0), B(1), C(0), D(1)]
	// E4 vs E6: Concurrent
}
