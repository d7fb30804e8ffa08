package vclock

import (
	"encoding/binary"
	"fmt"
)

// The binary form of a VC is the number of entries followed by each entry,
// all as unsigned varints (encoding/binary.AppendUvarint). Small counters
// take one byte each, so a fresh vector for n nodes costs about n+1 bytes
// and a busy one up to 8–10 bytes per node: the O(n) cost per message.

// AppendBinary appends the binary form of v to b.
func (v VC) AppendBinary(b []byte) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(len(v)))
	for _, x := range v {
		b = binary.AppendUvarint(b, x)
	}
	return b, nil
}

// MarshalBinary returns the binary form of v.
func (v VC) MarshalBinary() ([]byte, error) {
	return v.AppendBinary(make([]byte, 0, v.EncodedSize()))
}

// EncodedSize is the length in bytes of v's binary form.
func (v VC) EncodedSize() int {
	n := uvarintLen(uint64(len(v)))
	for _, x := range v {
		n += uvarintLen(x)
	}
	return n
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// UnmarshalBinary sets *v from its binary form. It rejects truncated or
// overlong input, trailing bytes and more than MaxNodes entries.
func (v *VC) UnmarshalBinary(data []byte) error {
	n, k := binary.Uvarint(data)
	if k <= 0 {
		return fmt.Errorf("vclock: bad binary vector: cannot read length")
	}
	if n > MaxNodes {
		return fmt.Errorf("vclock: bad binary vector: %d entries, at most %d allowed", n, MaxNodes)
	}
	data = data[k:]
	if uint64(len(data)) < n {
		return fmt.Errorf("vclock: bad binary vector: %d entries announced, only %d bytes follow", n, len(data))
	}
	out := make(VC, n)
	for i := range out {
		x, k := binary.Uvarint(data)
		if k <= 0 {
			return fmt.Errorf("vclock: bad binary vector: cannot read entry %d", i)
		}
		out[i] = x
		data = data[k:]
	}
	if len(data) != 0 {
		return fmt.Errorf("vclock: bad binary vector: %d trailing bytes", len(data))
	}
	*v = out
	return nil
}
