package netsim

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Delay is a probability distribution of one-way message delay
// (propagation time). Build one with Const, Uniform, Normal, Exponential,
// Pareto or LogNormal, or parse one with ParseDelay. The zero Delay is a
// constant zero delay.
//
// Delay is a small comparable value. Constructors do not fail; the
// parameters are checked by Validate, which New, SetLink and the schedule
// call for you, so a bad delay is reported as an error, never a panic.
type Delay struct {
	kind delayKind
	a, b Time    // meaning depends on kind
	f    float64 // shape (pareto) or sigma (lognormal)
}

type delayKind uint8

const (
	delayConst delayKind = iota
	delayUniform
	delayNormal
	delayExp
	delayPareto
	delayLogNormal
)

// maxDelay bounds every parameter and sample (about 36 years), so that
// now+delay never overflows Time.
const maxDelay Time = 1 << 60

// Const is a fixed delay d.
func Const(d Time) Delay { return Delay{kind: delayConst, a: d} }

// Uniform is a delay drawn uniformly from [lo, hi].
func Uniform(lo, hi Time) Delay { return Delay{kind: delayUniform, a: lo, b: hi} }

// Normal is a normal delay with the given mean and standard deviation,
// truncated at zero (negative draws are redrawn).
func Normal(mean, stddev Time) Delay { return Delay{kind: delayNormal, a: mean, b: stddev} }

// Exponential is an exponentially distributed delay with the given mean
// (memoryless; the classic model of queueing and service times).
func Exponential(mean Time) Delay { return Delay{kind: delayExp, a: mean} }

// Pareto is a long-tailed delay: at least min, with tail index alpha
// (P(X > x) = (min/x)^alpha). The smaller alpha, the heavier the tail;
// for alpha <= 1 the mean is infinite. Samples are capped at about 36
// years of virtual time.
func Pareto(min Time, alpha float64) Delay { return Delay{kind: delayPareto, a: min, f: alpha} }

// LogNormal is a long-tailed delay median*exp(sigma*Z), Z standard normal:
// half of the samples are below median, and sigma sets the spread.
func LogNormal(median Time, sigma float64) Delay {
	return Delay{kind: delayLogNormal, a: median, f: sigma}
}

// Validate reports whether the parameters make sense: all times in
// [0, 2^60ns], lo <= hi, alpha > 0, sigma >= 0, no NaN or Inf.
func (d Delay) Validate() error {
	inRange := func(what string, t Time) error {
		if t < 0 || t > maxDelay {
			return errorf("delay %s %s out of range: want 0 <= %s <= %s", what, formatDur(t), what, formatDur(maxDelay))
		}
		return nil
	}
	finite := func(what string, f float64) error {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return errorf("%s %v is not a finite number", what, f)
		}
		return nil
	}
	switch d.kind {
	case delayConst:
		return inRange("constant", d.a)
	case delayUniform:
		if err := inRange("lower bound", d.a); err != nil {
			return err
		}
		if err := inRange("upper bound", d.b); err != nil {
			return err
		}
		if d.a > d.b {
			return errorf("uniform delay bounds %s > %s: want lo <= hi", formatDur(d.a), formatDur(d.b))
		}
	case delayNormal:
		if err := inRange("mean", d.a); err != nil {
			return err
		}
		return inRange("standard deviation", d.b)
	case delayExp:
		return inRange("mean", d.a)
	case delayPareto:
		if err := inRange("minimum", d.a); err != nil {
			return err
		}
		if err := finite("pareto alpha", d.f); err != nil {
			return err
		}
		if d.f <= 0 {
			return errorf("pareto alpha %v not > 0", d.f)
		}
	case delayLogNormal:
		if err := inRange("median", d.a); err != nil {
			return err
		}
		if err := finite("lognormal sigma", d.f); err != nil {
			return err
		}
		if d.f < 0 || d.f > 100 {
			return errorf("lognormal sigma %v not in [0,100]", d.f)
		}
	default:
		return errorf("unknown delay kind %d", d.kind)
	}
	return nil
}

// Sample draws one delay from r. It never returns a negative value, even
// for a Delay that fails Validate. With a nil r it draws nothing and
// returns the distribution's typical value: the constant, the middle of a
// uniform, the mean of a normal or exponential, the minimum of a Pareto,
// the median of a lognormal.
func (d Delay) Sample(r *rand.Rand) Time {
	if r == nil {
		switch d.kind {
		case delayUniform:
			return clampDelay(d.a/2 + d.b/2)
		case delayConst, delayNormal, delayExp, delayPareto, delayLogNormal:
			return clampDelay(d.a)
		}
		return 0
	}
	var x float64
	switch d.kind {
	case delayConst:
		return clampDelay(d.a)
	case delayUniform:
		if d.b <= d.a {
			return clampDelay(d.a)
		}
		return clampDelay(d.a + Time(r.Int64N(int64(d.b-d.a)+1)))
	case delayNormal:
		x = -1
		for range 64 {
			if x = float64(d.a) + float64(d.b)*r.NormFloat64(); x >= 0 {
				break
			}
		}
	case delayExp:
		x = float64(d.a) * r.ExpFloat64()
	case delayPareto:
		x = float64(d.a) / math.Pow(1-r.Float64(), 1/d.f)
	case delayLogNormal:
		x = float64(d.a) * math.Exp(d.f*r.NormFloat64())
	}
	switch {
	case !(x >= 0): // negative or NaN
		return 0
	case x >= float64(maxDelay):
		return maxDelay
	}
	return Time(x)
}

func clampDelay(t Time) Time { return min(max(t, 0), maxDelay) }

// String formats d in the syntax ParseDelay reads: "const(1ms)",
// "uniform(1ms,5ms)", "normal(10ms,2ms)", "exp(5ms)", "pareto(1ms,1.5)",
// "lognormal(10ms,0.5)".
func (d Delay) String() string {
	ff := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	switch d.kind {
	case delayConst:
		return "const(" + formatDur(d.a) + ")"
	case delayUniform:
		return "uniform(" + formatDur(d.a) + "," + formatDur(d.b) + ")"
	case delayNormal:
		return "normal(" + formatDur(d.a) + "," + formatDur(d.b) + ")"
	case delayExp:
		return "exp(" + formatDur(d.a) + ")"
	case delayPareto:
		return "pareto(" + formatDur(d.a) + "," + ff(d.f) + ")"
	case delayLogNormal:
		return "lognormal(" + formatDur(d.a) + "," + ff(d.f) + ")"
	}
	return "invalid-delay"
}

// ParseDelay reads a delay written as by Delay.String. A bare duration
// ("5ms") means const(5ms). Spaces are ignored. The result is validated.
func ParseDelay(s string) (Delay, error) {
	src := s
	s = strings.ReplaceAll(s, " ", "")
	open := strings.IndexByte(s, '(')
	if open < 0 {
		t, err := ParseTime(s)
		if err != nil {
			return Delay{}, errorf("bad delay %q: want a duration or one of const(d), uniform(lo,hi), normal(mean,sd), exp(mean), pareto(min,alpha), lognormal(median,sigma)", src)
		}
		return Const(t), nil
	}
	if !strings.HasSuffix(s, ")") {
		return Delay{}, errorf("bad delay %q: missing ')'", src)
	}
	name, args := s[:open], strings.Split(s[open+1:len(s)-1], ",")
	want := map[string]int{"const": 1, "uniform": 2, "normal": 2, "exp": 1, "pareto": 2, "lognormal": 2}
	n, ok := want[name]
	if !ok {
		return Delay{}, errorf("unknown delay distribution %q in %q: want const, uniform, normal, exp, pareto or lognormal", name, src)
	}
	if len(args) != n {
		return Delay{}, errorf("delay %q: %s takes %d argument(s), got %d", src, name, n, len(args))
	}
	t0, err := ParseTime(args[0])
	if err != nil {
		return Delay{}, errorf("delay %q: %v", src, trimPrefix(err))
	}
	var d Delay
	switch name {
	case "const":
		d = Const(t0)
	case "exp":
		d = Exponential(t0)
	case "uniform", "normal":
		t1, err := ParseTime(args[1])
		if err != nil {
			return Delay{}, errorf("delay %q: %v", src, trimPrefix(err))
		}
		if name == "uniform" {
			d = Uniform(t0, t1)
		} else {
			d = Normal(t0, t1)
		}
	case "pareto", "lognormal":
		f, err := strconv.ParseFloat(args[1], 64)
		if err != nil {
			return Delay{}, errorf("delay %q: bad number %q", src, args[1])
		}
		if name == "pareto" {
			d = Pareto(t0, f)
		} else {
			d = LogNormal(t0, f)
		}
	}
	if err := d.Validate(); err != nil {
		return Delay{}, err
	}
	return d, nil
}
