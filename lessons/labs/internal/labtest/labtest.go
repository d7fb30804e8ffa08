// Package labtest holds what the labs' tests share: reading the answer
// sections of a solutions file (to check that a lab's reference answer in
// its tests is the solution the grader uses), and a benchmark of a lab's
// searches.
package labtest

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/exercise"
)

// marker is a section line of a solutions file ("//== answer: Lab") or,
// as gofmt writes it, of a Go file ("// == answer: Lab", "// == end").
var marker = regexp.MustCompile(`(?m)^//\s*==\s*(answer: .*|end)$`)

// Sections returns the answer sections of the file at path by name ("Lab",
// "Lab #2"), each trimmed; a section ends at the next marker.
func Sections(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	locs := marker.FindAllSubmatchIndex(b, -1)
	for i, l := range locs {
		name := string(b[l[2]:l[3]])
		if name == "end" {
			continue
		}
		end := len(b)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		name = strings.TrimPrefix(name, "answer: ")
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("labtest: %s: two sections %q", path, name)
		}
		out[name] = strings.TrimSpace(string(b[l[1]:end]))
	}
	return out, nil
}

// SameAnswers fails t unless the solutions file and the Go file hold the
// same answer sections (at least one).
func SameAnswers(t *testing.T, solutions, goFile string) {
	t.Helper()
	sol, err := Sections(solutions)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Sections(goFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(sol) == 0 || len(sol) != len(ref) {
		t.Fatalf("%d answer sections in %s, %d in %s", len(sol), solutions, len(ref), goFile)
	}
	for name, code := range sol {
		if ref[name] != code {
			t.Errorf("answer %q differs between %s and %s", name, solutions, goFile)
		}
	}
}

// cpu returns the CPU time this process has used.
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Bench runs one sub-benchmark per scenario of lab (the visible ones and
// the hidden ones of seed 1), searching it with answer, and reports the
// states the search visits, its speed per CPU second and its memory per
// state.
func Bench[F, S any](b *testing.B, lab *exercise.Model[F, S], answer F) {
	for _, sc := range lab.Scenarios(true, 1) {
		b.Run(sc.Name, func(b *testing.B) {
			states, perState := 0, 0.0
			c0 := cpu()
			for i := 0; i < b.N; i++ {
				_, r, err := lab.Search(answer, sc)
				if err != nil {
					b.Fatal(err)
				}
				states, perState = r.States, r.BytesPerState
			}
			if c := cpu() - c0; c > 0 {
				b.ReportMetric(float64(states*b.N)/c.Seconds(), "states/cpu-s")
			}
			b.ReportMetric(float64(states), "states")
			b.ReportMetric(perState, "B/state")
		})
	}
}
