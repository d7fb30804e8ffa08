package vectorclocks

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/vclock"
)

// StampRows lists r's vector timestamps one node per row, in the order of
// that node's events ("a1 [1,0,0,0]  a2 [2,0,1,0]  …"): a readable
// companion to a crowded space-time diagram.
func StampRows(r *vclock.Run) (header []string, rows [][]string, err error) {
	if r == nil || r.History == nil {
		return nil, nil, fmt.Errorf("vectorclocks: nil run")
	}
	h := r.History
	if len(r.Stamps) != len(h.Events) {
		return nil, nil, fmt.Errorf("vectorclocks: run has %d timestamps for %d events", len(r.Stamps), len(h.Events))
	}
	per := make([][]string, len(h.Nodes))
	for e, ev := range h.Events {
		per[ev.Node] = append(per[ev.Node], fmt.Sprintf("%s %v", h.Name(e), r.Stamps[e]))
	}
	for n, name := range h.Nodes {
		rows = append(rows, []string{name, strings.Join(per[n], "  ")})
	}
	return []string{"node", "events with their vector timestamps"}, rows, nil
}
