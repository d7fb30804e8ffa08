package intro

import (
	"fmt"
	"slices"
)

// Fallacy is one of the eight fallacies of distributed computing: false
// assumptions that programmers new to distributed systems make. The list
// grew at Sun Microsystems in three steps (see Origin): Bill Joy and Tom
// Lyon named the first four around 1991, L. Peter Deutsch added three in
// 1994, and James Gosling the eighth around 1997.
type Fallacy int

// The eight fallacies, in the usual order. NoFallacy is the zero value.
const (
	NoFallacy Fallacy = iota
	ReliableNetwork
	ZeroLatency
	InfiniteBandwidth
	SecureNetwork
	FixedTopology
	OneAdministrator
	ZeroTransportCost
	HomogeneousNetwork
)

var fallacyNames = [...]string{
	"no fallacy",
	"the network is reliable",
	"latency is zero",
	"bandwidth is infinite",
	"the network is secure",
	"topology doesn't change",
	"there is one administrator",
	"transport cost is zero",
	"the network is homogeneous",
}

func (f Fallacy) String() string {
	if f >= 0 && int(f) < len(fallacyNames) {
		return fallacyNames[f]
	}
	return fmt.Sprintf("Fallacy(%d)", int(f))
}

// GoName is the name of f's constant in this package ("ReliableNetwork"),
// as a student types it in an answer.
func (f Fallacy) GoName() string {
	names := [...]string{"NoFallacy", "ReliableNetwork", "ZeroLatency", "InfiniteBandwidth", "SecureNetwork",
		"FixedTopology", "OneAdministrator", "ZeroTransportCost", "HomogeneousNetwork"}
	if f >= 0 && int(f) < len(names) {
		return names[f]
	}
	return f.String()
}

// Fallacies lists the eight fallacies in order.
func Fallacies() []Fallacy {
	return []Fallacy{ReliableNetwork, ZeroLatency, InfiniteBandwidth, SecureNetwork,
		FixedTopology, OneAdministrator, ZeroTransportCost, HomogeneousNetwork}
}

// Origin is who first put a fallacy on the list, and about when.
type Origin struct {
	By    string
	Year  int  // the year the list with this fallacy is dated to
	Circa bool // the date is approximate
}

func (o Origin) String() string {
	if o.Circa {
		return fmt.Sprintf("%s, c. %d", o.By, o.Year)
	}
	return fmt.Sprintf("%s, %d", o.By, o.Year)
}

// Origin returns who added f to the list: the first four are Bill Joy and
// Tom Lyon's "fallacies of networked computing" (c. 1991); Peter Deutsch's
// list of 1994 added the next three (topology, administrator, transport
// cost); James Gosling added the eighth (homogeneity) c. 1997. The account
// follows A. Rotem-Gal-Oz, "Fallacies of Distributed Computing Explained"
// (2006).
func (f Fallacy) Origin() (Origin, bool) {
	switch f {
	case ReliableNetwork, ZeroLatency, InfiniteBandwidth, SecureNetwork:
		return Origin{"Bill Joy and Tom Lyon", 1991, true}, true
	case FixedTopology, OneAdministrator, ZeroTransportCost:
		return Origin{"L. Peter Deutsch", 1994, false}, true
	case HomogeneousNetwork:
		return Origin{"James Gosling", 1997, true}, true
	}
	return Origin{}, false
}

// DeutschSeven is the list as Deutsch wrote it in 1994: Joy and Lyon's
// four and his own three, without homogeneity.
func DeutschSeven() []Fallacy {
	var out []Fallacy
	for _, f := range Fallacies() {
		if f != HomogeneousNetwork {
			out = append(out, f)
		}
	}
	return out
}

// NotesFallacies is the seven-item list of the course notes, which credit
// all seven to Deutsch: it leaves out "there is one administrator" (one of
// Deutsch's) and includes Gosling's "the network is homogeneous".
func NotesFallacies() []Fallacy {
	return []Fallacy{ReliableNetwork, ZeroLatency, InfiniteBandwidth, SecureNetwork,
		FixedTopology, ZeroTransportCost, HomogeneousNetwork}
}

// FallacyHistoryTable lists the eight fallacies with who added each to the
// list, in order.
func FallacyHistoryTable() (header []string, rows [][]string) {
	header = []string{"#", "fallacy", "first listed by", "in Deutsch's seven (1994)", "in the course notes' seven"}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	deutsch, notes := DeutschSeven(), NotesFallacies()
	for i, f := range Fallacies() {
		o, _ := f.Origin()
		rows = append(rows, []string{fmt.Sprint(i + 1), f.String(), o.String(), yes(slices.Contains(deutsch, f)), yes(slices.Contains(notes, f))})
	}
	return header, rows
}

// pct formats a fraction as a percentage with one decimal.
func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
