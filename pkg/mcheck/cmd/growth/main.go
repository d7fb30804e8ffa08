// Command growth prints how the model checker's state space grows with
// the number of messages and the fault budgets, on the first lab's
// scenario (exactly-once delivery over a link that reorders, loses and
// duplicates), and how fast the search runs:
//
//	go run ./pkg/mcheck/cmd/growth            # up to 4 messages
//	go run ./pkg/mcheck/cmd/growth -max 5     # larger (slower)
//
// Every search is exhaustive and passes (the protocol is correct). The
// state counts are exact and the same on every machine; the speed
// columns are per CPU second of this process.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/mcheck/internal/cputime"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
	"github.com/dslessons/course/pkg/table"
)

func main() {
	maxMsgs := flag.Int("max", 4, "largest number of messages (1-6)")
	flag.Parse()
	if *maxMsgs < 1 || *maxMsgs > 6 {
		fmt.Fprintln(os.Stderr, "growth: -max must be in [1, 6]")
		os.Exit(2)
	}
	budgets := []mcheck.Faults{{}, {Loss: 1}, {Duplicate: 1}, {Loss: 1, Duplicate: 1}, {Loss: 2, Duplicate: 1}, {Loss: 2, Duplicate: 2}, {Loss: 3, Duplicate: 2}}
	header := []string{"messages", "loss", "dup", "states", "transitions", "depth", "states/cpu-s", "bytes/state"}
	var rows [][]string
	for n := 1; n <= *maxMsgs; n++ {
		for _, f := range budgets {
			msgs := p.Messages(n)
			opt := mcheck.Options{Invariants: []mcheck.Invariant{p.InOrderOnce(msgs)}, Faults: f, MaxStates: 50_000_000}
			cpu0 := cputime.Now()
			r, err := mcheck.Check(p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{}), opt)
			cpu := cputime.Now() - cpu0
			if err != nil {
				fmt.Fprintln(os.Stderr, "growth:", err)
				os.Exit(1)
			}
			if r.Outcome != mcheck.Passed || !r.Exhaustive {
				fmt.Fprintf(os.Stderr, "growth: %d messages, %+v: %v\n", n, f, r)
				os.Exit(1)
			}
			speed := "-"
			if cpu > 0 {
				speed = strconv.Itoa(int(float64(r.States) / cpu.Seconds()))
			}
			rows = append(rows, []string{strconv.Itoa(n), strconv.Itoa(f.Loss), strconv.Itoa(f.Duplicate),
				strconv.Itoa(r.States), strconv.Itoa(r.Transitions), strconv.Itoa(r.Depth), speed,
				strconv.Itoa(int(r.BytesPerState))})
		}
	}
	if err := table.Write(os.Stdout, header, rows); err != nil {
		fmt.Fprintln(os.Stderr, "growth:", err)
		os.Exit(1)
	}
}
