package truth

import (
	"fmt"

	"github.com/dslessons/course/pkg/table"
	"github.com/dslessons/course/pkg/twogenerals"
)

// LastMessageResult is the exhaustive analysis of the careful ack chain
// with K messages.
type LastMessageResult struct {
	K        int
	Analysis twogenerals.Analysis
}

// LastMessage analyses twogenerals.Chain(k).
func LastMessage(k int) (LastMessageResult, error) {
	an, err := twogenerals.Analyse(twogenerals.Chain(k))
	if err != nil {
		return LastMessageResult{}, err
	}
	return LastMessageResult{k, an}, nil
}

// Header and Rows give the chain "all delivered → drop the last delivered
// message → ..." as a table.
func (r LastMessageResult) Header() []string {
	return []string{"pattern", "dropped", "sender", "sender's view unchanged", "A", "B", "agree"}
}

// Rows gives one row per link of the chain.
func (r LastMessageResult) Rows() [][]string {
	var rows [][]string
	for _, l := range r.Analysis.Chain {
		dropped, sender, same := "-", "-", "-"
		if l.Dropped >= 0 {
			dropped, sender, same = fmt.Sprint(l.Dropped), l.Sender.String(), fmt.Sprint(l.SenderViewSame)
		}
		rows = append(rows, []string{l.Pattern.String(), dropped, sender, same, l.A.String(), l.B.String(), fmt.Sprint(l.A == l.B)})
	}
	return rows
}

func (r LastMessageResult) String() string {
	return fmt.Sprintf("%s\ndisagreeing patterns: %v\n", r.Analysis, r.Analysis.Disagreements) + table.String(r.Header(), r.Rows())
}

// EveryResult summarises the check of every valid deterministic protocol
// with K messages.
type EveryResult struct {
	K              int
	Protocols      int  // valid protocols enumerated
	AllCanDisagree bool // every one has a disagreeing pattern
	// FewestDisagreements is the smallest number of disagreeing patterns
	// any protocol has (out of 2^K), and Best one protocol achieving it.
	FewestDisagreements int
	Best                string
}

func (r EveryResult) String() string {
	noun := "valid protocols"
	if r.Protocols == 1 {
		noun = "valid protocol"
	}
	return fmt.Sprintf("k=%d: %d %s, all can disagree: %t, fewest disagreeing patterns: %d of %d",
		r.K, r.Protocols, noun, r.AllCanDisagree, r.FewestDisagreements, 1<<r.K)
}

// EveryProtocol enumerates every valid deterministic k-message protocol
// (k ≤ 4) and checks each against all 2^k delivery patterns.
func EveryProtocol(k int) (EveryResult, error) {
	res := EveryResult{K: k, AllCanDisagree: true, FewestDisagreements: 1 << k}
	var ferr error
	err := twogenerals.EveryRule(k, func(b twogenerals.Bounded) bool {
		an, err := twogenerals.Analyse(b)
		if err != nil {
			ferr = err
			return false
		}
		res.Protocols++
		d := len(an.Disagreements)
		if d == 0 {
			res.AllCanDisagree = false
		}
		if d < res.FewestDisagreements {
			res.FewestDisagreements, res.Best = d, b.Name
		}
		return true
	})
	if err != nil {
		return EveryResult{}, err
	}
	return res, ferr
}
