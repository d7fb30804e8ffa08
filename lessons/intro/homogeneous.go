package intro

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Encoding is how a node writes unsigned integers on the wire.
type Encoding int

// Three encodings a node might use for a uint32.
const (
	LittleEndian Encoding = iota // 4 bytes, least significant first (x86, ARM memory order)
	BigEndian                    // 4 bytes, most significant first ("network byte order")
	Varint                       // 1–5 bytes, 7 bits per byte, as in Protocol Buffers and encoding/binary
)

func (e Encoding) String() string {
	switch e {
	case LittleEndian:
		return "fixed 4-byte little-endian"
	case BigEndian:
		return "fixed 4-byte big-endian"
	case Varint:
		return "varint"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Encode appends the encodings of vs to a new byte slice.
func (e Encoding) Encode(vs []uint32) []byte {
	var b []byte
	for _, v := range vs {
		switch e {
		case LittleEndian:
			b = binary.LittleEndian.AppendUint32(b, v)
		case BigEndian:
			b = binary.BigEndian.AppendUint32(b, v)
		default:
			b = binary.AppendUvarint(b, uint64(v))
		}
	}
	return b
}

// Decode reads as many values as b holds. A trailing fragment that is
// too short is reported as an error, along with the values read so far.
func (e Encoding) Decode(b []byte) ([]uint64, error) {
	var vs []uint64
	for len(b) > 0 {
		switch e {
		case LittleEndian, BigEndian:
			if len(b) < 4 {
				return vs, fmt.Errorf("intro: %d stray bytes at the end", len(b))
			}
			if e == LittleEndian {
				vs = append(vs, uint64(binary.LittleEndian.Uint32(b)))
			} else {
				vs = append(vs, uint64(binary.BigEndian.Uint32(b)))
			}
			b = b[4:]
		default:
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return vs, fmt.Errorf("intro: truncated varint")
			}
			vs = append(vs, v)
			b = b[n:]
		}
	}
	return vs, nil
}

// HomogeneityRow is what one receiver made of one value.
type HomogeneityRow struct {
	Sent     uint32
	Wire     []byte
	Receiver Encoding
	Got      []uint64 // what the receiver decoded from the message
	Err      error    // decoding error, if any
}

// Correct reports whether the receiver read exactly the value sent.
func (r HomogeneityRow) Correct() bool {
	return r.Err == nil && len(r.Got) == 1 && r.Got[0] == uint64(r.Sent)
}

// RunHomogeneity has a sender that writes each value in its own
// encoding send it, one value per message, over the simulator to one
// receiver per encoding in receivers; each decodes with its own.
func RunHomogeneity(sender Encoding, receivers []Encoding, vals []uint32) ([]HomogeneityRow, error) {
	if len(receivers) == 0 || len(vals) == 0 {
		return nil, fmt.Errorf("intro: need at least one receiver and one value")
	}
	for _, e := range append([]Encoding{sender}, receivers...) {
		if e < LittleEndian || e > Varint {
			return nil, fmt.Errorf("intro: unknown encoding %d; want LittleEndian, BigEndian or Varint", int(e))
		}
	}
	sim, err := netsim.New(netsim.Config{DefaultLink: netsim.Link{Delay: netsim.Const(netsim.Millisecond)}})
	if err != nil {
		return nil, err
	}
	rows := make([][]HomogeneityRow, len(receivers))
	err = sim.AddNode("sender", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start {
			for _, v := range vals {
				for i := range receivers {
					ctx.Send(netsim.NodeID(fmt.Sprintf("r%d", i)), sender.Encode([]uint32{v}))
				}
			}
		}
	}))
	if err != nil {
		return nil, err
	}
	for i, enc := range receivers {
		err := sim.AddNode(netsim.NodeID(fmt.Sprintf("r%d", i)), netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind == netsim.Receive {
				b := ev.Msg.([]byte)
				got, err := enc.Decode(b)
				rows[i] = append(rows[i], HomogeneityRow{Sent: vals[len(rows[i])], Wire: b, Receiver: enc, Got: got, Err: err})
			}
		}))
		if err != nil {
			return nil, err
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, err
	}
	var out []HomogeneityRow
	for v := range vals {
		for i := range receivers {
			out = append(out, rows[i][v])
		}
	}
	return out, nil
}

// HomogeneityTable formats rows as a table.
func HomogeneityTable(rows []HomogeneityRow) (header []string, out [][]string) {
	header = []string{"value sent", "bytes on the wire", "receiver decodes as", "receiver reads", "correct"}
	for _, r := range rows {
		var got []string
		for _, g := range r.Got {
			got = append(got, fmt.Sprint(g))
		}
		read := strings.Join(got, ", ")
		if r.Err != nil {
			read += " (" + strings.TrimPrefix(r.Err.Error(), "intro: ") + ")"
		}
		ok := "no"
		if r.Correct() {
			ok = "yes"
		}
		out = append(out, []string{fmt.Sprint(r.Sent), fmt.Sprintf("% x", r.Wire), r.Receiver.String(), read, ok})
	}
	return header, out
}
