package clocksync_test

import (
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/clocksync"
)

func ExampleExchange() {
	ms := time.Millisecond
	// The server is 50 ms ahead; the request takes 16 ms, the reply 4 ms.
	e := clocksync.Exchange{T1: 100 * ms, T2: 166 * ms, T3: 167 * ms, T4: 121 * ms}
	fmt.Println("offset", e.Offset(), "delay", e.Delay(), "bound ±", e.ErrorBound())
	// Output:
	// offset 56ms delay 20ms bound ± 10ms
}

func ExampleBerkeley() {
	r, _ := clocksync.Berkeley([]time.Duration{0, 25 * time.Minute, -10 * time.Minute}, time.Hour)
	fmt.Println(r)
	// Output:
	// average offset 5m0s; clock 0 adjust 5m0s; clock 1 adjust -20m0s; clock 2 adjust 15m0s
}
