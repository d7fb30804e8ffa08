package netfailures

import (
	"fmt"
	"strings"
)

// Citation is the study the figures come from.
const Citation = "P. Gill, N. Jain, N. Nagappan. Understanding Network Failures in Data Centers: " +
	"Measurement, Analysis, and Implications. ACM SIGCOMM 2011, pp. 350-361. doi:10.1145/2018436.2018477"

// Figure is one number from the study, as the course cites it. Relation
// says how the value should be read: "≈" (rounded) or ">" (a lower bound).
type Figure struct {
	Key      string // short identifier used by code
	What     string
	Relation string
	Value    float64
	Unit     string
}

func (f Figure) String() string {
	return fmt.Sprintf("%-46s %s %g %s", f.What, f.Relation, f.Value, f.Unit)
}

// Figures returns the study's headline numbers as the syllabus cites them
// (rounded; no more precision than the sources give). They describe one
// professionally run data centre operator's network over about a year; a
// public cloud or another operator will differ.
func Figures() FigureTable {
	return FigureTable{
		{"devices_per_day", "network devices failing", "≈", 5, "per day"},
		{"links_per_day", "network links failing", "≈", 41, "per day"},
		{"median_repair", "median time to repair a failure", "≈", 5, "minutes"},
		{"lb_failure_per_year", "load balancers failing at least once a year", ">", 20, "% probability"},
		{"redundancy_effectiveness", "redundancy: reduction of median traffic impact", "≈", 40, "%"},
	}
}

// FigureTable is a list of Figures with a printable form.
type FigureTable []Figure

// Get returns the figure with the given key.
func (t FigureTable) Get(key string) (Figure, error) {
	for _, f := range t {
		if f.Key == key {
			return f, nil
		}
	}
	keys := make([]string, len(t))
	for i, f := range t {
		keys[i] = f.Key
	}
	return Figure{}, fmt.Errorf("netfailures: no figure %q, have %s", key, strings.Join(keys, ", "))
}

// Table is the figures as a header and rows (for show.Table); the source
// goes under it.
func (t FigureTable) Table() (header []string, rows [][]string) {
	for _, f := range t {
		rows = append(rows, []string{f.What, f.Relation + " " + fmt.Sprint(f.Value), f.Unit})
	}
	return []string{"figure", "value", "unit"}, rows
}

func (t FigureTable) String() string {
	var b strings.Builder
	for _, f := range t {
		b.WriteString(f.String())
		b.WriteString("\n")
	}
	b.WriteString("Source: " + Citation + "\n")
	return b.String()
}
