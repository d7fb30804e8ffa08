package vclock

import (
	"fmt"
	"strconv"
	"strings"
)

// VC is a vector timestamp: VC[i] is the number of events of node i that
// the holder knows about. Entries beyond the end of a slice count as 0.
type VC []uint64

// Order is the outcome of comparing two vector timestamps.
type Order int

// The four possible outcomes of Compare(a, b).
const (
	Equal      Order = iota // a == b entry by entry
	Before                  // a < b: a ≤ b entry by entry and a ≠ b
	After                   // a > b: b < a
	Concurrent              // neither a ≤ b nor b ≤ a
)

func (o Order) String() string {
	switch o {
	case Equal:
		return "Equal"
	case Before:
		return "Before"
	case After:
		return "After"
	case Concurrent:
		return "Concurrent"
	}
	return fmt.Sprintf("Order(%d)", int(o))
}

// MarshalText writes the order by name ("Before"), so that it reads well
// in JSON.
func (o Order) MarshalText() ([]byte, error) {
	if o < Equal || o > Concurrent {
		return nil, fmt.Errorf("vclock: unknown order %d", int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText reads an order written by MarshalText.
func (o *Order) UnmarshalText(b []byte) error {
	for _, x := range []Order{Equal, Before, After, Concurrent} {
		if string(b) == x.String() {
			*o = x
			return nil
		}
	}
	return fmt.Errorf("vclock: unknown order %q, want Equal, Before, After or Concurrent", b)
}

// New returns the zero vector for n nodes. n must be in [1, MaxNodes].
func New(n int) (VC, error) {
	if n < 1 || n > MaxNodes {
		return nil, fmt.Errorf("vclock: number of nodes %d not in [1,%d]", n, MaxNodes)
	}
	return make(VC, n), nil
}

// MaxNodes bounds the vector length accepted by New, NewClock and Parse; a
// vector clock for more nodes than this is almost certainly a mistake.
const MaxNodes = 1 << 16

// Compare says how a relates to b. Missing entries count as 0.
func Compare(a, b VC) Order {
	less, greater := false, false
	n := min(len(a), len(b))
	x, y := a[:n], b[:n]
	for i, u := range x {
		v := y[i]
		if u < v {
			less = true
		} else if u > v {
			greater = true
		}
	}
	for _, u := range a[n:] {
		if u != 0 {
			greater = true
			break
		}
	}
	for _, v := range b[n:] {
		if v != 0 {
			less = true
			break
		}
	}
	switch {
	case less && greater:
		return Concurrent
	case less:
		return Before
	case greater:
		return After
	}
	return Equal
}

// Less reports whether a < b, that is Compare(a, b) == Before.
func Less(a, b VC) bool { return Compare(a, b) == Before }

// Merge sets dst to the entry-wise maximum of dst and src and returns it.
// Like append, it grows dst when src is longer, so use the result:
// v = vclock.Merge(v, w).
func Merge(dst, src VC) VC {
	if len(src) > len(dst) {
		dst = append(dst, make(VC, len(src)-len(dst))...)
	}
	d := dst[:len(src)]
	for i, s := range src {
		if s > d[i] {
			d[i] = s
		}
	}
	return dst
}

// Clone returns a copy of v that shares no memory with it.
func (v VC) Clone() VC {
	if v == nil {
		return nil
	}
	return append(VC(make([]uint64, 0, len(v))), v...)
}

// String formats v as "[1,0,2]", the form Parse reads.
func (v VC) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, x := range v {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(x, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// Labelled formats v with node names, in the style of the course notes:
// "[A(1), B(0), C(2)]". Missing names are shown as the node index.
func (v VC) Labelled(names []string) string {
	parts := make([]string, len(v))
	for i, x := range v {
		name := strconv.Itoa(i)
		if i < len(names) {
			name = names[i]
		}
		parts[i] = fmt.Sprintf("%s(%d)", name, x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Parse reads a vector written as "[1,0,2]" (spaces allowed around numbers
// and brackets). It accepts 1 to MaxNodes non-negative decimal entries.
func Parse(s string) (VC, error) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || t[0] != '[' || t[len(t)-1] != ']' {
		return nil, fmt.Errorf("vclock: cannot parse %q: want a bracketed list such as [1,0,2]", s)
	}
	body := t[1 : len(t)-1]
	if strings.TrimSpace(body) == "" {
		return nil, fmt.Errorf("vclock: cannot parse %q: a vector needs at least one entry", s)
	}
	if n := strings.Count(body, ",") + 1; n > MaxNodes {
		return nil, fmt.Errorf("vclock: cannot parse vector with %d entries: at most %d allowed", n, MaxNodes)
	}
	fields := strings.Split(body, ",")
	v := make(VC, len(fields))
	for i, f := range fields {
		f = strings.TrimSpace(f)
		x, err := strconv.ParseUint(f, 10, 64)
		if err != nil || f == "" || f[0] == '+' {
			return nil, fmt.Errorf("vclock: cannot parse %q: entry %d (%q) is not a non-negative integer below 2^64", s, i, f)
		}
		v[i] = x
	}
	return v, nil
}
