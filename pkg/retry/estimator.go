package retry

import (
	"fmt"
	"math"
)

// Estimator chooses how long to wait for a reply before declaring a timeout.
type Estimator interface {
	// Timeout is the time to wait for the next reply.
	Timeout() float64
	// Observe feeds a measured round-trip time.
	Observe(s Sample) error
	// Expired tells the estimator that a wait of Timeout() ran out.
	Expired()
}

// Sample is one measured round-trip time. Retransmitted marks a reply to a
// request that was sent more than once: it is ambiguous which copy the reply
// answers, so Karn's rule says not to use its RTT (Adaptive ignores it).
type Sample struct {
	RTT           float64
	Retransmitted bool
}

func (s Sample) check() error {
	if math.IsNaN(s.RTT) || math.IsInf(s.RTT, 0) || s.RTT < 0 {
		return fmt.Errorf("retry: RTT sample %v must be finite and >= 0", s.RTT)
	}
	return nil
}

// Fixed is an Estimator that always waits the same time and learns nothing.
// Build one with NewFixed; the zero Fixed waits 0 and Observe reports it.
type Fixed struct{ timeout float64 }

// NewFixed returns a fixed timeout; timeout must be finite and > 0.
func NewFixed(timeout float64) (*Fixed, error) {
	if math.IsNaN(timeout) || math.IsInf(timeout, 0) || timeout <= 0 {
		return nil, fmt.Errorf("retry: fixed timeout %v must be finite and > 0", timeout)
	}
	return &Fixed{timeout}, nil
}

// Timeout returns the fixed timeout.
func (f *Fixed) Timeout() float64 { return f.timeout }

// Observe checks the sample and otherwise ignores it.
func (f *Fixed) Observe(s Sample) error {
	if f.timeout == 0 {
		return fmt.Errorf("retry: zero Fixed, build one with NewFixed")
	}
	return s.check()
}

// Expired does nothing: a fixed timeout does not back off.
func (f *Fixed) Expired() {}

func (f *Fixed) String() string { return fmt.Sprintf("Fixed(%g)", f.timeout) }

// AdaptiveConfig parameterises Adaptive. Times are in the caller's unit
// (seconds, milliseconds, ...); Unit says which, so that defaults given in
// seconds by RFC 6298 can be converted. A zero field means:
//
//	Unit         no unit given: then Initial and Max must both be set
//	Initial      RFC 6298's 1 s (= Unit)
//	Min          no floor: RTO may go as low as the samples say
//	Max          RFC 6298's 60 s (= 60·Unit)
//	Granularity  an ideal clock (G = 0)
//	Alpha, Beta  RFC 6298's 1/8 and 1/4
//	K            RFC 6298's 4
//
// RFC 6298 itself also puts a floor of 1 s under RTO; RFC6298 returns that
// complete configuration for a given unit.
type AdaptiveConfig struct {
	Unit        float64 // how many of the caller's time units make one second: 1 for s, 1000 for ms
	Initial     float64 // RTO before the first sample
	Min         float64 // lower bound on RTO (RFC 6298: 1 s; Linux uses 0.2 s)
	Max         float64 // upper bound on RTO (RFC 6298: at least 60 s)
	Granularity float64 // clock granularity G
	Alpha       float64 // gain of SRTT
	Beta        float64 // gain of RTTVAR
	K           float64 // weight of RTTVAR in RTO
}

// RFC6298 returns the configuration of RFC 6298 in a unit of which unit
// make one second (1 for seconds, 1000 for milliseconds): initial RTO 1 s,
// minimum 1 s, maximum 60 s.
func RFC6298(unit float64) AdaptiveConfig {
	return AdaptiveConfig{Unit: unit, Initial: unit, Min: unit, Max: 60 * unit}
}

// Adaptive is the Jacobson/Karels retransmission-timeout estimator as
// specified by RFC 6298:
//
//	first sample R:   SRTT = R, RTTVAR = R/2
//	later samples R:  RTTVAR = (1-β)·RTTVAR + β·|SRTT - R|   (old SRTT)
//	                  SRTT   = (1-α)·SRTT + α·R
//	always:           RTO = clamp(SRTT + max(G, K·RTTVAR), Min, Max)
//
// with α = 1/8, β = 1/4, K = 4. Expired doubles RTO up to Max (RFC 6298
// §5.5, "back off the timer"). Karn's rule: samples marked Retransmitted are
// ignored, and the backed-off RTO is kept until a valid sample arrives, which
// recomputes RTO from SRTT and RTTVAR.
type Adaptive struct {
	cfg          AdaptiveConfig
	srtt, rttvar float64
	rto          float64
	samples      int
}

// NewAdaptive fills in the zero fields of cfg (see AdaptiveConfig),
// validates it (0 ≤ Min ≤ Initial ≤ Max, Initial > 0, Granularity ≥ 0,
// 0 < Alpha, Beta ≤ 1, K ≥ 0, all finite) and returns a fresh estimator.
func NewAdaptive(cfg AdaptiveConfig) (*Adaptive, error) {
	for _, f := range []struct {
		name string
		v    float64
	}{{"Unit", cfg.Unit}, {"Initial", cfg.Initial}, {"Min", cfg.Min}, {"Max", cfg.Max}, {"Granularity", cfg.Granularity}, {"Alpha", cfg.Alpha}, {"Beta", cfg.Beta}, {"K", cfg.K}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return nil, fmt.Errorf("retry: adaptive %s %v must be finite and >= 0", f.name, f.v)
		}
	}
	if cfg.Unit == 0 && (cfg.Initial == 0 || cfg.Max == 0) {
		return nil, fmt.Errorf("retry: adaptive config leaves Initial (%v) or Max (%v) to its default, given in seconds by RFC 6298, but has no Unit: "+
			"set Unit to how many of your time units make one second (1 for seconds, 1000 for milliseconds), or set both Initial and Max", cfg.Initial, cfg.Max)
	}
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&cfg.Initial, 1*cfg.Unit)
	def(&cfg.Max, 60*cfg.Unit)
	def(&cfg.Alpha, 1.0/8)
	def(&cfg.Beta, 1.0/4)
	def(&cfg.K, 4)
	if math.IsInf(cfg.Max, 0) {
		return nil, fmt.Errorf("retry: adaptive Max 60 s is 60·Unit = %v, too large: Unit %v is not a time unit", cfg.Max, cfg.Unit)
	}
	if cfg.Min > cfg.Max {
		return nil, fmt.Errorf("retry: adaptive Min %v must be <= Max %v", cfg.Min, cfg.Max)
	}
	if cfg.Initial < cfg.Min || cfg.Initial > cfg.Max {
		return nil, fmt.Errorf("retry: adaptive Initial %v must be in [Min %v, Max %v]", cfg.Initial, cfg.Min, cfg.Max)
	}
	if cfg.Alpha > 1 || cfg.Beta > 1 {
		return nil, fmt.Errorf("retry: adaptive gains Alpha %v and Beta %v must be in (0,1]", cfg.Alpha, cfg.Beta)
	}
	return &Adaptive{cfg: cfg, rto: cfg.Initial}, nil
}

// Timeout returns the current RTO.
func (a *Adaptive) Timeout() float64 { return a.rto }

// SRTT returns the smoothed round-trip time (0 before the first sample).
func (a *Adaptive) SRTT() float64 { return a.srtt }

// RTTVAR returns the round-trip time variation (0 before the first sample).
func (a *Adaptive) RTTVAR() float64 { return a.rttvar }

// Samples returns how many samples have been used (retransmitted ones are not).
func (a *Adaptive) Samples() int { return a.samples }

// Observe updates SRTT, RTTVAR and RTO from s, unless s is Retransmitted
// (Karn's rule), in which case it changes nothing.
func (a *Adaptive) Observe(s Sample) error {
	if a.cfg.Max == 0 {
		return fmt.Errorf("retry: zero Adaptive, build one with NewAdaptive")
	}
	if err := s.check(); err != nil {
		return err
	}
	if s.Retransmitted {
		return nil
	}
	r := s.RTT
	if a.samples == 0 {
		a.srtt, a.rttvar = r, r/2
	} else {
		a.rttvar = (1-a.cfg.Beta)*a.rttvar + a.cfg.Beta*math.Abs(a.srtt-r)
		a.srtt = (1-a.cfg.Alpha)*a.srtt + a.cfg.Alpha*r
	}
	a.samples++
	a.rto = min(a.cfg.Max, max(a.cfg.Min, a.srtt+max(a.cfg.Granularity, a.cfg.K*a.rttvar)))
	return nil
}

// Expired doubles RTO, up to Max.
func (a *Adaptive) Expired() { a.rto = min(a.cfg.Max, 2*a.rto) }

func (a *Adaptive) String() string {
	return fmt.Sprintf("Adaptive(SRTT=%.4g, RTTVAR=%.4g, RTO=%.4g, samples=%d)", a.srtt, a.rttvar, a.rto, a.samples)
}
