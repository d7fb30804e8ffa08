package byzantine

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

func formatPath(p []int) string {
	s := make([]string, len(p))
	for i, v := range p {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, "→")
}

// WriteTable prints a trace as an aligned table, one message per line, in
// the order the messages were sent.
func WriteTable(w io.Writer, hops []Hop) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "level\tpath\tfrom\tto\tvalue\tsender")
	for _, h := range hops {
		v := h.Value.String()
		if !h.Sent {
			v = "-"
		}
		who := "loyal"
		if h.Traitor {
			who = "traitor"
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%s\t%s%s\n", h.Level, formatPath(h.Path), h.From, h.To, v, who, h.Note)
	}
	return tw.Flush()
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
