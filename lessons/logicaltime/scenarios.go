package logicaltime

import (
	"fmt"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// SyllabusExample is the four-node execution of the course notes: A and C
// exchange a request and a reply (E1–E4) while B sends one message to D
// (E5, E6). Nothing links the two conversations.
func SyllabusExample() (*history.History, error) {
	b := history.NewBuilder("A", "B", "C", "D")
	m1 := b.Send("A", "C", "E1")
	b.Receive(m1, "E2")
	m2 := b.Send("C", "A", "E3")
	b.Receive(m2, "E4")
	m3 := b.Send("B", "D", "E5")
	b.Receive(m3, "E6")
	return b.Build()
}

// RandomConfig is the default shape of the lesson's random executions.
var RandomConfig = history.RandomConfig{Nodes: 4, Events: 24, SendProb: 0.45}

// RandomHistory returns the lesson's random execution for seed: four nodes,
// 24 events, sends with probability 0.45, events named a1, a2, …, b1, … by
// node and position.
func RandomHistory(seed uint64) (*history.History, error) {
	cfg := RandomConfig
	cfg.Seed = seed
	h, err := history.Random(cfg)
	if err != nil {
		return nil, err
	}
	return NameEvents(h), nil
}

// StampLabels returns "name:LT" labels for a space-time diagram.
func StampLabels(r *lamport.Run) []string {
	out := make([]string, len(r.Stamps))
	for e, t := range r.Stamps {
		out[e] = fmt.Sprintf("%s:%d", r.History.Name(e), t)
	}
	return out
}

// Diagram draws r's history with every event labelled by its Lamport
// timestamp, highlighting the given events.
func Diagram(r *lamport.Run, title string, highlight ...int) (*plot.Plot, error) {
	if r == nil {
		return nil, fmt.Errorf("logicaltime: nil run")
	}
	return plots.SpaceTime(r.History, plots.SpaceTimeOptions{Title: title, Labels: StampLabels(r), Highlight: highlight})
}

// Evolution plots every node's Lamport counter after each event of r.
func Evolution(r *lamport.Run, title string) (*plot.Plot, error) {
	if r == nil {
		return nil, fmt.Errorf("logicaltime: nil run")
	}
	vals := make([][]float64, len(r.After))
	for e, row := range r.After {
		vals[e] = make([]float64, len(row))
		for n, v := range row {
			vals[e][n] = float64(v)
		}
	}
	return plots.Evolution(r.History.Nodes, vals, plots.EvolutionOptions{Title: title, XLabel: "event index (position in the execution)", YLabel: "Lamport counter"})
}

// PairReport explains how two events relate: their timestamps, the order of
// the timestamps, and the happens-before relation computed from the event
// graph.
func PairReport(r *lamport.Run, a, b string) (string, error) {
	if r == nil {
		return "", fmt.Errorf("logicaltime: nil run")
	}
	ea, err := r.History.EventByLabel(a)
	if err != nil {
		return "", fmt.Errorf("logicaltime: %w", err)
	}
	eb, err := r.History.EventByLabel(b)
	if err != nil {
		return "", fmt.Errorf("logicaltime: %w", err)
	}
	return fmt.Sprintf("LT(%s) = %d, LT(%s) = %d; happens-before says: %s %s %s",
		a, r.Stamps[ea], b, r.Stamps[eb], a, r.History.Relate(ea, eb), b), nil
}

// NameEvents gives every unlabelled event of h a label "a1", "a2", … for
// node A, "b1", … for node B and so on, so that exercises can refer to
// events by name.
func NameEvents(h *history.History) *history.History {
	c := *h
	c.Events = append([]history.Event(nil), h.Events...)
	count := make([]int, len(h.Nodes))
	for i, ev := range c.Events {
		count[ev.Node]++
		if ev.Label == "" {
			name := h.Nodes[ev.Node]
			if len(name) == 1 && name[0] >= 'A' && name[0] <= 'Z' {
				name = string(rune(name[0] - 'A' + 'a'))
			}
			c.Events[i].Label = fmt.Sprintf("%s%d", name, count[ev.Node])
		}
	}
	return rebuild(&c)
}

// rebuild returns a fresh copy of h (dropping cached relations).
func rebuild(h *history.History) *history.History {
	return &history.History{Nodes: h.Nodes, Events: h.Events, Messages: h.Messages}
}
