package netfailures

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
)

// Lesson holds the exercises of notebook 05.
var Lesson = exercise.NewLesson("05-network-failures-in-practice", "Network failures in practice")

// ---- Exercise 1: which device type dominates downtime? ----

// DeviceTypes are the device types of Exercise 1's inventory, in the order
// of its table.
var DeviceTypes = []string{"load balancer", "top-of-rack switch", "aggregation switch", "access router"}

// DeviceRow is one line of an operator's yearly failure summary.
type DeviceRow struct {
	Type         string
	Devices      int     // devices of this type in the network
	Failures     int     // failures in the year
	MedianRepair float64 // minutes
	MeanRepair   float64 // minutes
}

// Inventory is Exercise 1's data: a made-up operator's year, shaped like
// the study (load balancers fail often and are repaired fast; switches
// and routers fail rarely each, but there are many switches, and hardware
// repairs take long).
type Inventory struct{ Rows []DeviceRow }

// Table is the inventory as a header and rows (for show.Table).
func (inv Inventory) Table() (header []string, rows [][]string) {
	for _, r := range inv.Rows {
		rows = append(rows, []string{r.Type, fmt.Sprint(r.Devices), fmt.Sprint(r.Failures),
			fmt.Sprintf("%.0f", r.MedianRepair), fmt.Sprintf("%.0f", r.MeanRepair)})
	}
	return []string{"device type", "devices", "failures in the year", "median repair (min)", "mean repair (min)"}, rows
}

// argmax returns the index of the largest score (the first on ties) and
// whether it is the only one within 10% of the top, so that a reading of
// the table is never a near-tie.
func argmax(rows []DeviceRow, score func(DeviceRow) float64) (int, bool) {
	best := 0
	for i, r := range rows {
		if score(r) > score(rows[best]) {
			best = i
		}
	}
	for i, r := range rows {
		if i != best && score(r) > 0.9*score(rows[best]) {
			return best, false
		}
	}
	return best, true
}

// Readings of the inventory: the right one and the tempting ones.
var (
	byDowntime   = func(r DeviceRow) float64 { return float64(r.Failures) * r.MeanRepair }
	byFailures   = func(r DeviceRow) float64 { return float64(r.Failures) }
	byMedianTime = func(r DeviceRow) float64 { return float64(r.Failures) * r.MedianRepair }
	byRepair     = func(r DeviceRow) float64 { return r.MeanRepair }
	byRate       = func(r DeviceRow) float64 { return float64(r.Failures) / float64(r.Devices) }
)

// newInventory draws inventories until the tempting readings (most
// failures, failures × median, longest repairs, most failures per device)
// all point elsewhere than the downtime, each clearly (bounded; a handful
// of draws in practice).
func newInventory(rng *rand.Rand) Inventory {
	var inv Inventory
	for range 10000 {
		inv = Inventory{}
		for _, typ := range DeviceTypes {
			var r DeviceRow
			r.Type = typ
			switch typ {
			case "load balancer": // many short, software faults
				r.Devices = 40 + 10*rng.IntN(20)
				r.Failures = r.Devices * (2 + rng.IntN(4))
				r.MedianRepair = float64(2 + rng.IntN(4))
				r.MeanRepair = r.MedianRepair * (1.5 + rng.Float64()*2)
			case "top-of-rack switch": // many devices, each reliable
				r.Devices = 2000 + 500*rng.IntN(20)
				r.Failures = r.Devices * (2 + rng.IntN(8)) / 100
				r.MedianRepair = float64(5 + rng.IntN(20))
				r.MeanRepair = r.MedianRepair * (2 + rng.Float64()*6)
			case "aggregation switch":
				r.Devices = 100 + 20*rng.IntN(20)
				r.Failures = r.Devices * (5 + rng.IntN(30)) / 100
				r.MedianRepair = float64(10 + rng.IntN(40))
				r.MeanRepair = r.MedianRepair * (2 + rng.Float64()*6)
			default: // access routers: few, long hardware repairs
				r.Devices = 10 + 2*rng.IntN(20)
				r.Failures = r.Devices * (10 + rng.IntN(60)) / 100
				r.MedianRepair = float64(30 + rng.IntN(120))
				r.MeanRepair = r.MedianRepair * (2 + rng.Float64()*8)
			}
			r.Failures = max(r.Failures, 1)
			r.MeanRepair = math.Round(r.MeanRepair)
			inv.Rows = append(inv.Rows, r)
		}
		win, clear := argmax(inv.Rows, byDowntime)
		if !clear {
			continue
		}
		ok := true
		for _, f := range []func(DeviceRow) float64{byFailures, byMedianTime, byRepair, byRate} {
			if i, _ := argmax(inv.Rows, f); i == win {
				ok = false
			}
		}
		if ok {
			return inv
		}
	}
	return inv // not reached in practice; the tests check the variants they try
}

// CanonicalDevice maps a student's name for a device type to one of
// DeviceTypes ("" if it is none): case, plurals, hyphens and the study's
// abbreviations (LB, ToR, AggS, AccR) are accepted.
func CanonicalDevice(name string) string {
	k := strings.ToLower(strings.TrimSpace(name))
	k = strings.NewReplacer("-", " ", "_", " ").Replace(k)
	k = strings.Join(strings.Fields(k), " ")
	k = strings.TrimSuffix(strings.TrimSuffix(k, "es"), "s")
	switch k {
	case "load balancer", "lb", "load balance":
		return "load balancer"
	case "top of rack switch", "top of rack", "tor", "tor switch":
		return "top-of-rack switch"
	case "aggregation switch", "aggregation", "agg", "agg switch":
		return "aggregation switch"
	case "access router", "accr", "ar", "router":
		return "access router"
	}
	return ""
}

// Exercise1 asks which device type accounts for the most downtime in the
// student's inventory.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[Inventory, string]{
	Params: func(v exercise.Variant) Inventory { return newInventory(v.Rand()) },
	Describe: func(inv Inventory) string {
		return "a year of failures of one operator's network devices, summarised per device type in the table below"
	},
	Judge: func(inv Inventory, answer string) exercise.Verdict {
		got := CanonicalDevice(answer)
		if strings.TrimSpace(answer) == "" {
			return exercise.Wrong("no device type is named yet", "answer with a device type as the first column of the table writes it")
		}
		if got == "" {
			return exercise.Wrong(fmt.Sprintf("%q is not a device type of the table", answer),
				"answer with a device type as the first column of the table writes it")
		}
		win, _ := argmax(inv.Rows, byDowntime)
		if got == inv.Rows[win].Type {
			return exercise.Right()
		}
		for _, m := range []struct {
			by        func(DeviceRow) float64
			why, hint string
		}{
			{byFailures, "that type fails most often, but most of its failures are short",
				"the downtime of a type adds up the repair times of all its failures"},
			{byMedianTime, "that is the largest if every repair took the median time",
				"a sum of repair times is the number of repairs times their mean, not their median"},
			{byRepair, "that type's repairs take longest, but it fails rarely",
				"the downtime of a type adds up the repair times of all its failures"},
			{byRate, "that type fails most often per device; the question is about the downtime of each type in total",
				"the downtime of a type adds up the repair times of all its failures"},
		} {
			if i, _ := argmax(inv.Rows, m.by); inv.Rows[i].Type == got {
				return exercise.Wrong(m.why, m.hint)
			}
		}
		return exercise.Wrong("another type accounts for more downtime",
			"the downtime of a type adds up the repair times of all its failures")
	},
})

// ---- Exercise 2: what a second path buys ----

// PathPair is Exercise 2's set-up: each of two paths fails once every
// MTBFDays days on average, a repair takes MTTR minutes on average, and a
// share Common of each path's failures takes both paths down at once (the
// model of section 4).
type PathPair struct {
	MTBFDays float64
	MTTR     float64 // mean, minutes
	Common   float64
}

// Redundancy is Exercise 2's answer, in minutes of downtime per year
// (365 days).
type Redundancy struct {
	One, Independent, Correlated float64
}

// Config is the simulation of the set-up (log-normal repairs with σ = 1
// and the given mean, two paths, 2000 years), for checking an answer by
// running it.
func (p PathPair) Config() Config {
	const sigma = 1.0
	return Config{Paths: 2, MTBF: p.MTBFDays * 24 * 60, RepairMedian: p.MTTR / math.Exp(sigma*sigma/2), RepairSigma: sigma,
		Common: p.Common, Horizon: 2000 * minutesPerYear, Seed: 1}
}

// reference computes the three downtimes from the closed forms:
// unavailability U = M/(MTBF+M) for one path, U² for two independent ones,
// and with a common share c: a common-mode process of rate c/MTBF plus two
// independent ones of rate (1−c)/MTBF, the pair down when the common one
// is or both independent ones are.
func (p PathPair) reference() Redundancy {
	mtbf := p.MTBFDays * 24 * 60
	unavail := func(rate float64) float64 { return rate * p.MTTR / (1 + rate*p.MTTR) }
	u := unavail(1 / mtbf)
	uc, ui := unavail(p.Common/mtbf), unavail((1-p.Common)/mtbf)
	corr := 1 - (1-uc)*(1-ui*ui)
	return Redundancy{One: u * minutesPerYear, Independent: u * u * minutesPerYear, Correlated: corr * minutesPerYear}
}

// Exercise2 asks for the downtime of one path, two independent paths and
// two paths that share a part of their failures.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[PathPair, Redundancy]{
	Params: func(v exercise.Variant) PathPair {
		return PathPair{
			MTBFDays: exercise.Pick(v, 30.0, 20, 30, 45, 60, 90),
			MTTR:     exercise.Pick(v, 15.0, 8, 10, 12, 20, 30, 45),
			Common:   exercise.Pick(v, 0.3, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6),
		}
	},
	Describe: func(p PathPair) string {
		return fmt.Sprintf("each path fails once every %s days on average; a repair takes %s minutes on average; a share %s of each path's failures takes both paths down at once",
			exercise.Format(p.MTBFDays), exercise.Format(p.MTTR), exercise.Format(p.Common))
	},
	Judge: func(p PathPair, a Redundancy) exercise.Verdict {
		want := p.reference()
		var wrong, why []string
		hint := ""
		if !exercise.Near(a.One, want.One, 0.01, 0) {
			wrong = append(wrong, "One")
			why = append(why, "One is "+exercise.Direction(a.One, want.One, 0.01, 0))
			hint = "one path is down a fraction MTTR/(MTBF + MTTR) of the time; convert MTBF to minutes and the fraction to minutes per year"
		}
		if !exercise.Near(a.Independent, want.Independent, 0.05, 0) {
			wrong = append(wrong, "Independent")
			why = append(why, "Independent is "+exercise.Direction(a.Independent, want.Independent, 0.05, 0))
			if hint == "" {
				hint = "two independent paths are both down a fraction (unavailability of one)² of the time"
			}
		}
		if !exercise.Near(a.Correlated, want.Correlated, 0.05, 0) {
			wrong = append(wrong, "Correlated")
			switch {
			case exercise.Near(a.Correlated, want.Independent, 0.05, 0):
				why = append(why, "Correlated treats the paths as independent")
			case exercise.Near(a.Correlated, want.One, 0.02, 0):
				why = append(why, "Correlated says the second path buys nothing, but it does cover the failures the paths do not share")
			case exercise.Near(a.Correlated, (1-p.Common)*want.One, 0.05, 0):
				why = append(why, "Correlated is the downtime the second path removes, not what is left")
			default:
				why = append(why, "Correlated is "+exercise.Direction(a.Correlated, want.Correlated, 0.05, 0))
			}
			if hint == "" {
				hint = "both paths are down during every common-mode failure, and (rarely) when independent failures of both overlap; which of the two dominates?"
			}
		}
		if len(wrong) == 0 {
			return exercise.Right()
		}
		return exercise.WrongParts(wrong, strings.Join(why, "; "), hint)
	},
})

// ---- Exercise 3: how many paths for a target? ----

// PathTarget is Exercise 3's set-up: each path is down a fraction Unavail
// of the time; a share Common of that down time comes from failures that
// take every path down at once; the service must be available a fraction
// 1 − 10^(−Nines) of the time ("five nines": 99.999%).
type PathTarget struct {
	Unavail float64
	Common  float64
	Nines   int
}

// PathsNeeded is Exercise 3's answer: the fewest paths that reach the
// target when paths fail independently, and when they share the common
// failures (−1 if no number of paths does).
type PathsNeeded struct {
	Independent, Correlated int
}

// maxPaths bounds the search for enough paths.
const maxPaths = 64

// downWith is the service's unavailability with k paths: down during a
// common failure, or when all k are down independently.
func (p PathTarget) downWith(k int) float64 {
	return p.Common*p.Unavail + math.Pow((1-p.Common)*p.Unavail, float64(k))
}

func (p PathTarget) target() float64 { return math.Pow(10, -float64(p.Nines)) }

// reference is the fewest paths for each case (−1: impossible).
func (p PathTarget) reference() PathsNeeded {
	out := PathsNeeded{-1, -1}
	for k := maxPaths; k >= 1; k-- {
		if math.Pow(p.Unavail, float64(k)) <= p.target() {
			out.Independent = k
		}
		if p.downWith(k) <= p.target() {
			out.Correlated = k
		}
	}
	return out
}

// clear reports whether no count of paths lands within 20% of the target
// (so rounding or a slightly different model cannot change the answer).
func (p PathTarget) clear() bool {
	t := p.target()
	for k := 1; k <= maxPaths; k++ {
		for _, u := range []float64{math.Pow(p.Unavail, float64(k)), p.downWith(k)} {
			if u > t/1.2 && u < t*1.2 {
				return false
			}
		}
	}
	return p.Common*p.Unavail < t/1.2 || p.Common*p.Unavail > t*1.2
}

// Exercise3 asks how many paths reach an availability target, without and
// with common-mode failures.
var Exercise3 = exercise.NewValue(Lesson, "Exercise 3", exercise.ValueSpec[PathTarget, PathsNeeded]{
	Params: func(v exercise.Variant) PathTarget {
		if v.Example() {
			return PathTarget{Unavail: 0.01, Common: 0.05, Nines: 5}
		}
		var p PathTarget
		for range 1000 {
			p = PathTarget{
				Unavail: exercise.Pick(v, 0.01, 0.02, 0.01, 0.005, 0.002, 0.001),
				Common:  exercise.Pick(v, 0.05, 0.0001, 0.0002, 0.0005, 0.001, 0.01, 0.05, 0.2),
				Nines:   exercise.Pick(v, 5, 4, 5, 6),
			}
			if p.clear() && p.reference().Independent >= 2 && p.reference().Correlated <= 8 {
				break
			}
		}
		return p
	},
	Describe: func(p PathTarget) string {
		return fmt.Sprintf("each path is down %s%% of the time; a share %s of that down time comes from failures that take every path down at once; target: available %s of the time",
			exercise.Format(100*p.Unavail), exercise.Format(p.Common), nines(p.Nines))
	},
	Judge: func(p PathTarget, a PathsNeeded) exercise.Verdict {
		want := p.reference()
		var wrong, why []string
		hint := ""
		check := func(part string, got, w int) {
			if got == w {
				return
			}
			wrong = append(wrong, part)
			switch {
			case got < 1 && got != -1:
				why = append(why, part+": give a number of paths (1 or more), or −1 if no number of paths reaches the target")
			case w == -1:
				why = append(why, part+": that many paths are still down more often than the target allows")
				hint = "first ask whether any number of paths can reach the target: which failures does another path not help against?"
			case got == -1:
				why = append(why, part+": some number of paths does reach the target")
			case got < w:
				why = append(why, part+": with that many paths the service is still down more often than the target allows")
			default:
				why = append(why, part+": fewer paths already reach the target")
			}
			if hint == "" {
				hint = "compare the fraction of time all paths are down with 1 − target, for 1, 2, 3, … paths"
			}
		}
		check("Independent", a.Independent, want.Independent)
		check("Correlated", a.Correlated, want.Correlated)
		if len(wrong) == 0 {
			return exercise.Right()
		}
		return exercise.WrongParts(wrong, strings.Join(why, "; "), hint)
	},
})

// nines writes 1 − 10^−n as a percentage: 4 → "99.99%".
func nines(n int) string {
	if n <= 2 {
		return exercise.Format(100*(1-math.Pow(10, -float64(n)))) + "%"
	}
	return "99." + strings.Repeat("9", n-2) + "%"
}
