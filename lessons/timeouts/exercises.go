package timeouts

import (
	"fmt"
	"math"

	"github.com/dslessons/course/pkg/retry"
)

// near accepts an answer within tol of the expected value.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// CheckMM1Mean checks the mean time in system of an M/M/1 queue with
// service rate mu and arrival rate lambda (same time unit).
func CheckMM1Mean(mu, lambda, answer float64) error {
	if !(mu > 0 && lambda >= 0 && lambda < mu) {
		return fmt.Errorf("timeouts: want 0 <= lambda (%v) < mu (%v)", lambda, mu)
	}
	if want := 1 / (mu - lambda); !near(answer, want, 0.01*want) {
		return fmt.Errorf("expected %.6g, got %g; hint: the mean time in system is 1/(μ-λ): it counts only the spare capacity", want, answer)
	}
	return nil
}

// CheckExpFalseTimeouts checks the false-timeout rate of a timeout t when
// RTTs are exponential with the given mean: P(RTT > t) = exp(-t/mean).
func CheckExpFalseTimeouts(mean, t, answer float64) error {
	if !(mean > 0 && t >= 0) {
		return fmt.Errorf("timeouts: want mean (%v) > 0 and timeout (%v) >= 0", mean, t)
	}
	if want := math.Exp(-t / mean); !near(answer, want, 0.0005) {
		return fmt.Errorf("expected %.4f (±0.0005), got %g; hint: a false timeout is a reply later than t, and for an exponential P(X > t) = exp(-t/mean)", want, answer)
	}
	return nil
}

// CheckTimeoutForRate checks the timeout that gives false-timeout rate p
// for exponential RTTs with the given mean: t = mean·ln(1/p).
func CheckTimeoutForRate(mean, p, answer float64) error {
	if !(mean > 0 && p > 0 && p < 1) {
		return fmt.Errorf("timeouts: want mean (%v) > 0 and 0 < p (%v) < 1", mean, p)
	}
	if want := mean * math.Log(1/p); math.Abs(answer-want) > 0.01*want {
		return fmt.Errorf("expected about %.2f ms, got %g; hint: solve exp(-t/mean) = p for t", want, answer)
	}
	return nil
}

// CheckRTO checks a hand computation of RFC 6298's RTO after the given RTT
// samples (ms), with min 1 ms and max 60 s so the bounds do not interfere.
func CheckRTO(samples []float64, answer float64) error {
	if len(samples) == 0 {
		return fmt.Errorf("timeouts: no samples")
	}
	a, err := retry.NewAdaptive(retry.AdaptiveConfig{Initial: 1000, Min: 1, Max: 60000})
	if err != nil {
		return err
	}
	for _, s := range samples {
		if err := a.Observe(retry.Sample{RTT: s}); err != nil {
			return err
		}
	}
	if want := a.Timeout(); !near(answer, want, 0.01) {
		return fmt.Errorf("expected RTO %g ms, got %g; hint: first sample R: SRTT=R, RTTVAR=R/2; then RTTVAR=¾RTTVAR+¼|SRTT-R| (old SRTT) before SRTT=⅞SRTT+⅛R; RTO=SRTT+4·RTTVAR", want, answer)
	}
	return nil
}
