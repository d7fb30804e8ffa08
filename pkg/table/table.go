// Package table formats rows of text as an aligned plain-text table, the
// form in which lessons print results (it reads the same in a notebook, a
// terminal and a test's expected output).
//
// # Usage
//
//	s, err := table.Format([]string{"node", "clock"}, [][]string{{"A", "4"}, {"B", "12"}})
//	// node  clock
//	// ----  -----
//	// A     4
//	// B     12
//
// A String method, which cannot return an error, uses String instead:
//
//	func (r Result) String() string { return table.String(r.Header(), r.Rows()) }
package table

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Check reports whether header and rows form a table: at least one column,
// and every row as wide as the header.
func Check(header []string, rows [][]string) error {
	if len(header) == 0 {
		return errors.New("table: needs at least one column")
	}
	for i, r := range rows {
		if len(r) != len(header) {
			return fmt.Errorf("table: row %d has %d cells, header has %d", i, len(r), len(header))
		}
	}
	return nil
}

// Format returns the table as text: columns separated by two spaces, the
// header underlined with dashes, trailing spaces trimmed.
func Format(header []string, rows [][]string) (string, error) {
	if err := Check(header, rows); err != nil {
		return "", err
	}
	width := make([]int, len(header))
	for i, h := range header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(c)
			l.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)))
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	line(header)
	rule := make([]string, len(header))
	for i := range rule {
		rule[i] = strings.Repeat("-", width[i])
	}
	line(rule)
	for _, r := range rows {
		line(r)
	}
	return b.String(), nil
}

// String is Format for String methods, which cannot return an error: a
// malformed table comes back as the error's text ("table: …"), the way
// fmt prints a bad verb in place of its value.
func String(header []string, rows [][]string) string {
	s, err := Format(header, rows)
	if err != nil {
		return err.Error() + "\n"
	}
	return s
}

// Write writes Format's table to w.
func Write(w io.Writer, header []string, rows [][]string) error {
	if w == nil {
		return errors.New("table: nil writer")
	}
	s, err := Format(header, rows)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, s)
	return err
}

// IsNumeric reports whether a cell holds a number, possibly signed,
// with a decimal point, thousands separators, an exponent, a percent sign
// or a short unit after it: "12", "-0.5", "1e-06", "1,024", "99.9%",
// "12 ms", "≈3", "+4". Such cells are right-aligned in HTML tables.
func IsNumeric(cell string) bool {
	s := strings.TrimSpace(cell)
	for _, p := range []string{"≈", "~", "<", ">", "≤", "≥", "+", "-", "−", "±"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	// The number: digits with optional separators, point and exponent.
	i, digits := 0, 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',' || s[i] == '_') {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
		i++
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	// A short unit may follow: "%", "ms", " s", "×", "x".
	rest := strings.TrimSpace(s[i:])
	return utf8.RuneCountInString(rest) <= 3 && !strings.ContainsAny(rest, "0123456789 ")
}

// NumericColumns reports, per column, whether every non-blank cell of it
// is numeric (IsNumeric) and at least one is. Blank cells and dashes
// ("", "-", "—", "–") count as missing values. Rows must be as wide as the
// header (see Check); a malformed table has no numeric column.
func NumericColumns(header []string, rows [][]string) []bool {
	num := make([]bool, len(header))
	if Check(header, rows) != nil {
		return num
	}
	for c := range header {
		seen := false
		num[c] = true
		for _, r := range rows {
			switch strings.TrimSpace(r[c]) {
			case "", "-", "—", "–":
				continue
			}
			seen = true
			if !IsNumeric(r[c]) {
				num[c] = false
				break
			}
		}
		num[c] = num[c] && seen
	}
	return num
}
