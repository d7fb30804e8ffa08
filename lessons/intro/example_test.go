package intro_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/intro"
	"github.com/dslessons/course/pkg/netsim"
)

// Three independent replicas that are each up 99% of the time.
func ExampleAvailability() {
	a, err := intro.Availability(0.99, 3)
	fmt.Printf("%.6f %v\n", a, err)
	// Output: 0.999999 <nil>
}

// A little-endian 300 read as big-endian and as varint.
func ExampleEncoding_Decode() {
	wire := intro.LittleEndian.Encode([]uint32{300})
	be, _ := intro.BigEndian.Decode(wire)
	vi, _ := intro.Varint.Decode(wire)
	fmt.Printf("% x -> %v %v\n", wire, be, vi)
	// Output: 2c 01 00 00 -> [738263040] [44 1 0 0]
}

// Twenty keys at 10ms one way: chatty versus batched.
func ExampleFetch() {
	c, _ := intro.Fetch(intro.Chatty, intro.Keys(20), 10*netsim.Millisecond)
	b, _ := intro.Fetch(intro.Batched, intro.Keys(20), 10*netsim.Millisecond)
	fmt.Println(c.RoundTrips, c.Total, b.RoundTrips, b.Total)
	// Output: 20 400.000ms 1 20.000ms
}
