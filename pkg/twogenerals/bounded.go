package twogenerals

import (
	"fmt"
	"slices"
	"strings"
)

// General names one of the two generals.
type General int

// A sends the even-numbered messages (0, 2, ...), B the odd ones.
const (
	A General = iota
	B
)

func (g General) String() string {
	if g == A {
		return "A"
	}
	if g == B {
		return "B"
	}
	return fmt.Sprintf("General(%d)", int(g))
}

// Other returns the other general.
func (g General) Other() General { return 1 - g }

// Decision is a general's final choice.
type Decision int

// Retreat is the default: a general who knows nothing does not attack.
const (
	Retreat Decision = iota
	Attack
)

func (d Decision) String() string {
	if d == Attack {
		return "Attack"
	}
	return "Retreat"
}

// MaxBoundedMessages bounds k in Bounded, Views and EveryRule (2^k
// patterns, and a view's length grows like 1.6^k).
const MaxBoundedMessages = 12

// MaxPatternLen is the most messages a Pattern describes (Bits has 32
// bits); a longer Len is read as MaxPatternLen.
const MaxPatternLen = 32

// SenderOf returns who sends message i in a bounded protocol.
func SenderOf(i int) General {
	if i%2 == 0 {
		return A
	}
	return B
}

// Pattern says which of the Len messages were delivered: bit i of Bits is
// set iff message i arrived.
type Pattern struct {
	Bits uint32
	Len  int
}

// Delivered reports whether message i arrived.
func (p Pattern) Delivered(i int) bool { return i >= 0 && i < MaxPatternLen && p.Bits>>uint(i)&1 == 1 }

// len is Len within [0, MaxPatternLen].
func (p Pattern) len() int { return min(max(p.Len, 0), MaxPatternLen) }

// Without returns p with message i lost.
func (p Pattern) Without(i int) Pattern { return Pattern{p.Bits &^ (1 << uint(i)), p.Len} }

// LastDelivered returns the index of the last delivered message, or -1.
func (p Pattern) LastDelivered() int {
	for i := p.len() - 1; i >= 0; i-- {
		if p.Delivered(i) {
			return i
		}
	}
	return -1
}

// String writes one character per message, message 0 first: '1' delivered,
// '0' lost.
func (p Pattern) String() string {
	var b strings.Builder
	for i := range p.len() {
		if p.Delivered(i) {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

// View is everything a general has seen, in a canonical text form: for each
// message addressed to it, in order, "x" if it was lost or "(" + the
// sender's view when it sent it + ")" if it arrived. Two runs in which a
// general has the same View are indistinguishable to that general.
type View string

// ViewOf returns g's view after messages 0..upto-1 under pattern p (at
// most MaxPatternLen messages; g must be A or B, or the view is empty). It
// builds both generals' views message by message, so its cost is the
// length of the views, not the number of ways to reach them.
func ViewOf(g General, p Pattern, upto int) View {
	if g != A && g != B {
		return ""
	}
	var views [2][]byte
	for i := 0; i < min(upto, p.len()); i++ {
		s := SenderOf(i)
		r := s.Other()
		if p.Delivered(i) {
			v := append(append([]byte{'('}, views[s]...), ')')
			views[r] = append(views[r], v...)
		} else {
			views[r] = append(views[r], 'x')
		}
	}
	return View(views[g])
}

// Received counts the messages that arrived at the general whose view this is.
func (v View) Received() int {
	depth, n := 0, 0
	for _, c := range v {
		switch c {
		case '(':
			if depth == 0 {
				n++
			}
			depth++
		case ')':
			depth--
		}
	}
	return n
}

// Bounded is a deterministic protocol of Messages single messages,
// alternating A→B, B→A, ..., whose generals decide with DecideA and DecideB
// from their final views.
type Bounded struct {
	Name     string
	Messages int
	DecideA  func(View) Decision
	DecideB  func(View) Decision
}

func (b Bounded) validate() error {
	if b.Messages < 1 || b.Messages > MaxBoundedMessages {
		return fmt.Errorf("twogenerals: bounded protocol %q has %d messages, allowed [1,%d]", b.Name, b.Messages, MaxBoundedMessages)
	}
	if b.DecideA == nil || b.DecideB == nil {
		return fmt.Errorf("twogenerals: bounded protocol %q needs both DecideA and DecideB", b.Name)
	}
	return nil
}

// Decide runs b on pattern p and returns both decisions. A missing
// decision function decides Retreat.
func (b Bounded) Decide(p Pattern) (a, bb Decision) {
	a, bb = Retreat, Retreat
	if b.DecideA != nil {
		a = b.DecideA(ViewOf(A, p, p.Len))
	}
	if b.DecideB != nil {
		bb = b.DecideB(ViewOf(B, p, p.Len))
	}
	return a, bb
}

// PatternResult is what happened under one delivery pattern.
type PatternResult struct {
	Pattern Pattern
	A, B    Decision
}

// Agree reports whether both generals made the same decision.
func (r PatternResult) Agree() bool { return r.A == r.B }

func (r PatternResult) String() string {
	s := "agree"
	if !r.Agree() {
		s = "DISAGREE"
	}
	return fmt.Sprintf("%s A=%s B=%s %s", r.Pattern, r.A, r.B, s)
}

// ChainLink is one step of the "last message" argument: starting from Full
// (everything delivered) the last delivered message, Dropped, sent by
// Sender, is lost in Pattern. SenderViewSame records that the sender's view
// (and hence its decision) is the same as in the previous link.
type ChainLink struct {
	Pattern        Pattern
	Dropped        int // -1 for the first link
	Sender         General
	SenderViewSame bool
	A, B           Decision
}

func (l ChainLink) String() string {
	if l.Dropped < 0 {
		return fmt.Sprintf("%s all delivered            A=%s B=%s", l.Pattern, l.A, l.B)
	}
	return fmt.Sprintf("%s drop msg %d (from %s, view same: %t) A=%s B=%s", l.Pattern, l.Dropped, l.Sender, l.SenderViewSame, l.A, l.B)
}

// Analysis is the exhaustive check of one bounded protocol.
type Analysis struct {
	Protocol string
	Results  []PatternResult // all 2^k patterns, in increasing Bits order
	// Disagreements lists the patterns on which exactly one general attacks.
	Disagreements []Pattern
	// Nontrivial: both attack when every message is delivered.
	Nontrivial bool
	// Informed: B retreats when it received nothing (it does not know the plan).
	Informed bool
	// Chain is the "last message" walk from all delivered to none delivered.
	Chain []ChainLink
	// FirstSplit is the index in Chain of the first link where the generals disagree, or -1.
	FirstSplit int
}

// Valid reports whether the protocol is a real attempt at the problem
// (nontrivial and informed); the impossibility result says every valid
// protocol has at least one disagreement.
func (a Analysis) Valid() bool { return a.Nontrivial && a.Informed }

func (a Analysis) String() string {
	return fmt.Sprintf("%s: %d patterns, %d disagree, valid=%t", a.Protocol, len(a.Results), len(a.Disagreements), a.Valid())
}

// Analyse enumerates every delivery pattern of b. A decision function
// that panics makes it return an error naming the protocol.
func Analyse(b Bounded) (an Analysis, err error) {
	if err := b.validate(); err != nil {
		return Analysis{}, err
	}
	defer func() {
		if p := recover(); p != nil {
			an, err = Analysis{}, fmt.Errorf("twogenerals: a decision function of protocol %q panicked: %v", b.Name, p)
		}
	}()
	k := b.Messages
	an = Analysis{Protocol: b.Name, FirstSplit: -1}
	for bits := uint32(0); bits < 1<<uint(k); bits++ {
		p := Pattern{bits, k}
		da, db := b.Decide(p)
		r := PatternResult{p, da, db}
		an.Results = append(an.Results, r)
		if !r.Agree() {
			an.Disagreements = append(an.Disagreements, p)
		}
	}
	full := Pattern{1<<uint(k) - 1, k}
	fa, fb := b.Decide(full)
	an.Nontrivial = fa == Attack && fb == Attack
	an.Informed = b.DecideB(ViewOf(B, Pattern{0, k}, k)) == Retreat

	p := full
	an.Chain = append(an.Chain, ChainLink{Pattern: p, Dropped: -1, A: fa, B: fb})
	for {
		i := p.LastDelivered()
		if i < 0 {
			break
		}
		s := SenderOf(i)
		q := p.Without(i)
		da, db := b.Decide(q)
		an.Chain = append(an.Chain, ChainLink{
			Pattern: q, Dropped: i, Sender: s,
			SenderViewSame: ViewOf(s, p, k) == ViewOf(s, q, k),
			A:              da, B: db,
		})
		p = q
	}
	for i, l := range an.Chain {
		if l.A != l.B {
			an.FirstSplit = i
			break
		}
	}
	return an, nil
}

// Chain is the careful acknowledgement protocol with k messages: each
// general attacks iff its view is exactly the view it would have had if
// every message were delivered (every message to it arrived and each one
// says that everything before it arrived too). For k outside [1,
// MaxBoundedMessages] it returns a protocol that always retreats, which
// Analyse rejects.
func Chain(k int) Bounded {
	name := fmt.Sprintf("chain(%d)", k)
	if k < 1 || k > MaxBoundedMessages {
		retreat := func(View) Decision { return Retreat }
		return Bounded{Name: name, Messages: k, DecideA: retreat, DecideB: retreat}
	}
	full := Pattern{1<<uint(k) - 1, k}
	wantA, wantB := ViewOf(A, full, k), ViewOf(B, full, k)
	is := func(want View) func(View) Decision {
		return func(v View) Decision {
			if v == want {
				return Attack
			}
			return Retreat
		}
	}
	return Bounded{Name: name, Messages: k, DecideA: is(wantA), DecideB: is(wantB)}
}

// Threshold is the protocol where A attacks iff it received at least ta
// messages and B iff it received at least tb.
func Threshold(k, ta, tb int) Bounded {
	th := func(t int) func(View) Decision {
		return func(v View) Decision {
			if v.Received() >= t {
				return Attack
			}
			return Retreat
		}
	}
	return Bounded{Name: fmt.Sprintf("threshold(k=%d,a>=%d,b>=%d)", k, ta, tb), Messages: k, DecideA: th(ta), DecideB: th(tb)}
}

// Views returns the distinct final views general g (A or B) can have in a
// k-message protocol, sorted; k must be in [1, MaxBoundedMessages].
func Views(g General, k int) ([]View, error) {
	if g != A && g != B {
		return nil, fmt.Errorf("twogenerals: general %v is neither A nor B", g)
	}
	if k < 1 || k > MaxBoundedMessages {
		return nil, fmt.Errorf("twogenerals: views of a %d-message protocol: messages not in [1,%d] (there are 2^k delivery patterns)", k, MaxBoundedMessages)
	}
	seen := map[View]bool{}
	for bits := uint32(0); bits < 1<<uint(k); bits++ {
		seen[ViewOf(g, Pattern{bits, k}, k)] = true
	}
	vs := make([]View, 0, len(seen))
	for v := range seen {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs, nil
}

// MaxRuleBits bounds EveryRule: it enumerates 2^(|views of A|+|views of B|)
// decision tables.
const MaxRuleBits = 22

// EveryRule calls yield with every valid deterministic k-message protocol:
// every pair of decision tables (view → decision) for A and B such that
// both attack when all messages arrive and B retreats when it received
// nothing. It stops early if yield returns false; if yield panics,
// EveryRule returns an error.
func EveryRule(k int, yield func(Bounded) bool) (err error) {
	if k < 1 || k > MaxBoundedMessages {
		return fmt.Errorf("twogenerals: messages %d not in [1,%d]", k, MaxBoundedMessages)
	}
	if yield == nil {
		return fmt.Errorf("twogenerals: EveryRule needs a function to call with each protocol, got nil")
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("twogenerals: the function EveryRule called panicked: %v", p)
		}
	}()
	va, err := Views(A, k)
	if err != nil {
		return err
	}
	vb, err := Views(B, k)
	if err != nil {
		return err
	}
	if len(va)+len(vb) > MaxRuleBits {
		return fmt.Errorf("twogenerals: %d messages give %d+%d views, more than %d table bits; use fewer messages", k, len(va), len(vb), MaxRuleBits)
	}
	full := Pattern{1<<uint(k) - 1, k}
	fullA, fullB := ViewOf(A, full, k), ViewOf(B, full, k)
	emptyB := ViewOf(B, Pattern{0, k}, k)
	idx := func(vs []View, v View) int { i, _ := slices.BinarySearch(vs, v); return i }
	ia, ib, ie := idx(va, fullA), idx(vb, fullB), idx(vb, emptyB)
	for ta := uint64(0); ta < 1<<uint(len(va)); ta++ {
		if ta>>uint(ia)&1 == 0 {
			continue
		}
		for tb := uint64(0); tb < 1<<uint(len(vb)); tb++ {
			if tb>>uint(ib)&1 == 0 || tb>>uint(ie)&1 == 1 {
				continue
			}
			tA, tB := ta, tb
			b := Bounded{
				Name:     fmt.Sprintf("table(k=%d,A=%#x,B=%#x)", k, tA, tB),
				Messages: k,
				DecideA:  func(v View) Decision { return Decision(tA >> uint(idx(va, v)) & 1) },
				DecideB:  func(v View) Decision { return Decision(tB >> uint(idx(vb, v)) & 1) },
			}
			if !yield(b) {
				return nil
			}
		}
	}
	return nil
}
