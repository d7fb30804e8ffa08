package byzantine

import (
	"io"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/table"
)

func formatPath(p []int) string {
	s := make([]string, len(p))
	for i, v := range p {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, "→")
}

// TraceTable gives a trace as a table, one row per message, in the order
// the messages were sent.
func TraceTable(hops []Hop) (header []string, rows [][]string) {
	header = []string{"level", "path", "from", "to", "value", "sender"}
	rows = make([][]string, len(hops))
	for i, h := range hops {
		v := h.Value.String()
		if !h.Sent {
			v = "-"
		}
		who := "loyal"
		if h.Traitor {
			who = "traitor"
		}
		rows[i] = []string{strconv.Itoa(h.Level), formatPath(h.Path), strconv.Itoa(h.From), strconv.Itoa(h.To), v, who + h.Note}
	}
	return header, rows
}

// WriteTable prints TraceTable as aligned text (see pkg/table).
func WriteTable(w io.Writer, hops []Hop) error {
	header, rows := TraceTable(hops)
	return table.Write(w, header, rows)
}

// LevelCounts returns how many messages were sent at each level of a trace.
func LevelCounts(hops []Hop) []int {
	var c []int
	for _, h := range hops {
		for len(c) <= h.Level {
			c = append(c, 0)
		}
		c[h.Level]++
	}
	return c
}
