package labkit

import (
	"fmt"
	"time"
)

// TryLimit bounds the real time of a lab's try-it run. A run of correct
// nodes takes milliseconds; a handler that loops for ever would otherwise
// keep the cell busy until the student interrupts the kernel.
const TryLimit = 10 * time.Second

// Bounded runs f and returns its result, or an error once limit has
// passed without one (f's goroutine is then left running: the notebook
// cell's program ends with it). A panic in f becomes an error. lab names
// the lab in errors.
func Bounded[T any](lab string, limit time.Duration, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				var zero T
				done <- result{zero, fmt.Errorf("%s: the run panicked: %v", lab, p)}
			}
		}()
		v, err := f()
		done <- result{v, err}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		var zero T
		return zero, fmt.Errorf("%s: the run did not finish within %v of real time: does one of your handlers loop for ever?", lab, limit)
	}
}
