package retry

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Outcome is how a retry loop ended.
type Outcome int

// The ways Run can end.
const (
	// Succeeded: an attempt returned a nil error.
	Succeeded Outcome = iota
	// Exhausted: MaxAttempts attempts all failed.
	Exhausted
	// DeadlineExceeded: sleeping before the next attempt would pass the deadline.
	DeadlineExceeded
	// Aborted: an attempt returned an error wrapped with Permanent.
	Aborted
)

func (o Outcome) String() string {
	switch o {
	case Succeeded:
		return "Succeeded"
	case Exhausted:
		return "Exhausted"
	case DeadlineExceeded:
		return "DeadlineExceeded"
	case Aborted:
		return "Aborted"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return "permanent: " + p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying: Run stops with Aborted when an
// attempt returns it. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err (or an error it wraps) was made by Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// MaxLoopAttempts bounds Loop.MaxAttempts: Run records every attempt, so
// the bound is also a bound on its memory.
const MaxLoopAttempts = 100_000

// Loop configures Run.
type Loop struct {
	Policy      Policy  // back-off between attempts
	MaxAttempts int     // attempts in total, including the first; in [1, MaxLoopAttempts]
	Deadline    float64 // virtual-time budget from the start; 0 means none
}

// Op performs one attempt that starts at virtual time now (attempt counts
// from 0). It reports how much virtual time the attempt took and its error;
// nil means success. An Op must not sleep: time passes only in the numbers.
type Op func(attempt int, now float64) (took float64, err error)

// Step records one attempt of a Run.
type Step struct {
	Attempt    int
	Start, End float64 // virtual time of the attempt
	Err        error   // nil on success
	Sleep      float64 // back-off slept after this attempt (0 for the last)
}

// Result is the outcome of Run.
type Result struct {
	Outcome  Outcome
	Attempts int     // attempts made
	Elapsed  float64 // virtual time from start to the end of the last attempt
	Slept    float64 // part of Elapsed spent backing off
	Err      error   // error of the last attempt; nil when Succeeded
	Steps    []Step
}

func (r Result) String() string {
	s := fmt.Sprintf("%v after %d attempt(s), elapsed %g (slept %g)", r.Outcome, r.Attempts, r.Elapsed, r.Slept)
	if r.Err != nil {
		s += ": " + r.Err.Error()
	}
	return s
}

// Run calls op until it succeeds, returns a Permanent error, MaxAttempts are
// used up, or the next back-off would cross the Deadline. Between attempts it
// advances virtual time by the policy's delay; it never sleeps for real.
// start is the virtual time of the first attempt. The returned error is
// non-nil only for invalid arguments or an Op that panics or reports an
// invalid duration, never for the operation failing: that is reported in
// Result.Outcome and Result.Err.
func Run(l Loop, start float64, rng *rand.Rand, op Op) (Result, error) {
	if err := l.Policy.check(0); err != nil {
		return Result{}, err
	}
	if l.MaxAttempts < 1 || l.MaxAttempts > MaxLoopAttempts {
		return Result{}, fmt.Errorf("retry: MaxAttempts %d not in [1,%d]", l.MaxAttempts, MaxLoopAttempts)
	}
	if math.IsNaN(l.Deadline) || math.IsInf(l.Deadline, 0) || l.Deadline < 0 {
		return Result{}, fmt.Errorf("retry: Deadline %v must be finite and >= 0 (0 means none)", l.Deadline)
	}
	if math.IsNaN(start) || math.IsInf(start, 0) {
		return Result{}, fmt.Errorf("retry: start time %v must be finite", start)
	}
	if op == nil {
		return Result{}, errors.New("retry: nil Op")
	}
	if rng == nil && l.Policy.strategy != Exponential {
		return Result{}, fmt.Errorf("retry: %v needs a random source, got nil *rand.Rand", l.Policy.strategy)
	}
	var res Result
	now, prev := start, 0.0
	for attempt := 0; ; attempt++ {
		took, err, perr := call(op, attempt, now)
		if perr != nil {
			return res, perr
		}
		if math.IsNaN(took) || math.IsInf(took, 0) || took < 0 {
			return res, fmt.Errorf("retry: attempt %d reported duration %v, want finite and >= 0", attempt, took)
		}
		if math.IsInf(now+took, 0) {
			return res, fmt.Errorf("retry: attempt %d at time %g took %g: virtual time overflows", attempt, now, took)
		}
		step := Step{Attempt: attempt, Start: now, End: now + took, Err: err}
		now += took
		res.Attempts++
		res.Err = err
		res.Elapsed = now - start
		switch {
		case err == nil:
			res.Outcome = Succeeded
		case IsPermanent(err):
			res.Outcome = Aborted
		case res.Attempts >= l.MaxAttempts:
			res.Outcome = Exhausted
		default:
			d, derr := l.Policy.Delay(attempt, prev, rng)
			if derr != nil {
				return res, derr
			}
			if l.Deadline > 0 && now+d-start > l.Deadline {
				res.Outcome = DeadlineExceeded
				break // leaves the switch: record the step and return
			}
			step.Sleep, prev = d, d
			res.Steps = append(res.Steps, step)
			res.Slept += d
			now += d
			continue
		}
		res.Steps = append(res.Steps, step)
		return res, nil
	}
}

// call runs one attempt; a panic in op becomes an error that names it.
func call(op Op, attempt int, now float64) (took float64, err, panicked error) {
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Errorf("retry: Op panicked in attempt %d at time %g: %v", attempt, now, p)
		}
	}()
	took, err = op(attempt, now)
	return took, err, nil
}
