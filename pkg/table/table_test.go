package table

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormat(t *testing.T) {
	s, err := Format([]string{"event", "LT", "note"}, [][]string{{"E1", "1", ""}, {"E10", "12", "ünïcode"}})
	require.NoError(t, err)
	assert.Equal(t, "event  LT  note\n-----  --  -------\nE1     1\nE10    12  ünïcode\n", s)
	_, err = Format(nil, nil)
	assert.EqualError(t, err, "table: needs at least one column")
	var buf bytes.Buffer
	assert.EqualError(t, Write(&buf, []string{"a", "b"}, [][]string{{"1"}}), "table: row 0 has 1 cells, header has 2")
	require.NoError(t, Write(&buf, []string{"a"}, nil))
	assert.Equal(t, "a\n-\n", buf.String())
}

func TestString(t *testing.T) {
	header, rows := []string{"a", "bb"}, [][]string{{"xyz", "1"}}
	want, err := Format(header, rows)
	require.NoError(t, err)
	assert.Equal(t, want, String(header, rows))
	assert.Equal(t, "table: row 0 has 1 cells, header has 2\n", String(header, [][]string{{"1"}}))
}

func FuzzFormat(f *testing.F) {
	f.Add("a", "b", "x", "yy")
	f.Fuzz(func(t *testing.T, h1, h2, c1, c2 string) {
		s, err := Format([]string{h1, h2}, [][]string{{c1, c2}})
		if err != nil {
			t.Fatalf("two columns, one row: %v", err)
		}
		if n := bytes.Count([]byte(s), []byte("\n")); n < 3 {
			t.Fatalf("expected at least 3 lines, got %d", n)
		}
	})
}

func ExampleFormat() {
	s, _ := Format([]string{"node", "clock"}, [][]string{{"A", "4"}, {"B", "12"}})
	fmt.Print(s)
	// Output:
	// node  clock
	// ----  -----
	// A     4
	// B     12
}

func TestWriteNilWriter(t *testing.T) {
	assert.EqualError(t, Write(nil, []string{"a"}, nil), "table: nil writer")
}

func TestIsNumeric(t *testing.T) {
	yes := []string{"0", "12", "-0.5", "+4", "−3", "1e-06", "2.5E+10", "1,024", "99.9%", "12 ms", "≈3", "< 5", "1_000", ".5", "3x", "4×"}
	no := []string{"", "-", "—", "E1", "[1,0,0]", "NaN", "Inf", "2024-01-01", "3 of 5", "a1", "0x1F", "✓", "n/a", "12 apples"}
	for _, s := range yes {
		assert.True(t, IsNumeric(s), "%q", s)
	}
	for _, s := range no {
		assert.False(t, IsNumeric(s), "%q", s)
	}
}

func TestNumericColumns(t *testing.T) {
	header := []string{"name", "count", "ratio", "blank", "mixed"}
	rows := [][]string{
		{"a", "1", "0.5", "", "3"},
		{"b", "20", "—", "-", "x"},
	}
	assert.Equal(t, []bool{false, true, true, false, false}, NumericColumns(header, rows))
	assert.Equal(t, []bool{false, false}, NumericColumns([]string{"a", "b"}, [][]string{{"1"}}), "malformed table")
	assert.Empty(t, NumericColumns(nil, nil))
}

func FuzzIsNumeric(f *testing.F) {
	f.Add("12.5 ms")
	f.Add("≈-1e+300%")
	f.Fuzz(func(t *testing.T, s string) {
		if IsNumeric(s) && !strings.ContainsAny(s, "0123456789") {
			t.Fatalf("%q has no digit but counts as a number", s)
		}
	})
}

func ExampleNumericColumns() {
	fmt.Println(NumericColumns([]string{"strategy", "calls", "p99"}, [][]string{{"none", "1,024", "12 ms"}, {"full jitter", "98", "—"}}))
	// Output:
	// [false true true]
}
