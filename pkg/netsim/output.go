package netsim

// Output is one call of Context.Output: what a node did that the outside
// world sees.
type Output struct {
	Time  Time
	Node  NodeID
	Value any
}

// String formats o like its trace record: `12.000ms R output "a"`.
func (o Output) String() string {
	return Record{Time: o.Time, Op: OpOutput, Node: o.Node, Msg: o.Value}.String()
}

// Outputs lists the outputs of the run so far, in the order they
// happened. They are kept even with Config.NoTrace. The result is not
// changed by later events.
func (s *Sim) Outputs() []Output {
	return s.outputs[:len(s.outputs):len(s.outputs)]
}

func (s *Sim) output(node int32, v any) {
	if s.env != nil {
		s.env.Output(v)
		return
	}
	id := s.nodes[node].id
	s.outputs = append(s.outputs, Output{Time: s.now, Node: id, Value: v})
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpOutput, Node: id, Msg: v})
	}
}
