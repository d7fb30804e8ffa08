package intro

import "fmt"

// Fallacy is one of the eight fallacies of distributed computing: false
// assumptions that programmers new to distributed systems make (Deutsch
// 1994, seven of them; Gosling added "the network is homogeneous").
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

// Fallacies lists the eight fallacies in order.
func Fallacies() []Fallacy {
	return []Fallacy{ReliableNetwork, ZeroLatency, InfiniteBandwidth, SecureNetwork,
		FixedTopology, OneAdministrator, ZeroTransportCost, HomogeneousNetwork}
}

// pct formats a fraction as a percentage with one decimal.
func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
