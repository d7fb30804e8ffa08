package exercise

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Verdict is the outcome of checking an answer. A verdict never contains
// the expected value of a Value exercise: it names what is wrong and gives a
// hint. A Func exercise may show a failing visible case in full.
type Verdict struct {
	Passed bool
	// Wrong names the parts of the answer that are wrong, in the
	// exercise's own words ("E3", "the offset", "the pair p1–r1").
	Wrong []string `json:",omitempty"`
	// Why says what is wrong without giving the answer away ("the
	// delay must be positive", "2 of 6 pairs are missing").
	Why string `json:",omitempty"`
	// Hint points towards the method.
	Hint string `json:",omitempty"`
	// Case is a failing case of a Func exercise: input, expected and
	// actual output for a visible case; only a description for a hidden
	// one.
	Case string `json:",omitempty"`
}

// Right is the verdict for a correct answer.
func Right() Verdict { return Verdict{Passed: true} }

// Wrong is the verdict for an incorrect answer: why it is wrong (without
// the expected value) and a hint.
func Wrong(why, hint string) Verdict { return Verdict{Why: why, Hint: hint} }

// WrongParts is the verdict naming the parts of the answer that are wrong.
func WrongParts(parts []string, why, hint string) Verdict {
	return Verdict{Wrong: append([]string(nil), parts...), Why: why, Hint: hint}
}

// Line is the verdict as the notebook prints it: "✓ name: correct" or
// "✗ name: …" (what is wrong, the hint, a failing case), wrapped at word
// boundaries to width columns (0: no wrapping).
func (v Verdict) Line(name string, width int) string {
	if v.Passed {
		return "✓ " + name + ": correct"
	}
	var parts []string
	if len(v.Wrong) > 0 {
		parts = append(parts, "wrong: "+strings.Join(v.Wrong, ", ")+".")
	}
	if v.Why != "" {
		parts = append(parts, sentence(v.Why))
	}
	if len(parts) == 0 {
		parts = append(parts, "not right yet.")
	}
	if v.Hint != "" {
		parts = append(parts, "Hint: "+sentence(v.Hint))
	}
	text := "✗ " + name + ": " + strings.Join(parts, " ")
	text = Wrap(text, width, "  ")
	if v.Case != "" {
		text += "\n" + indent(v.Case, "    ")
	}
	return text
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// Wrap breaks text into lines of at most width columns (runes) at spaces,
// starting continuation lines — wrapped ones and those after an existing
// newline — with cont. Words longer than width stay whole. width ≤ 0
// returns text unchanged.
func Wrap(text string, width int, cont string) string {
	if width <= 0 {
		return text
	}
	var b strings.Builder
	for i, para := range strings.Split(text, "\n") {
		col := 0
		if i > 0 {
			b.WriteByte('\n')
			b.WriteString(cont)
			col = len([]rune(cont))
		}
		for j, word := range strings.Fields(para) {
			n := len([]rune(word))
			switch {
			case j == 0:
			case col+1+n > width:
				b.WriteByte('\n')
				b.WriteString(cont)
				col = len([]rune(cont))
			default:
				b.WriteByte(' ')
				col++
			}
			b.WriteString(word)
			col += n
		}
	}
	return b.String()
}

// Near reports whether got is within the relative tolerance rel of want
// (or within abs, whichever is larger). NaN and infinities are never near.
func Near(got, want, rel, abs float64) bool {
	if math.IsNaN(got) || math.IsInf(got, 0) || math.IsNaN(want) || math.IsInf(want, 0) {
		return false
	}
	return math.Abs(got-want) <= math.Max(abs, rel*math.Abs(want))
}

// Direction compares got with want for a hint that does not give the
// answer away: "too high", "too low" or "" when near (rel, abs as Near).
// Use it for numeric answers where the direction is a fair hint.
func Direction(got, want, rel, abs float64) string {
	switch {
	case Near(got, want, rel, abs):
		return ""
	case math.IsNaN(got) || math.IsInf(got, 0):
		return "not a finite number"
	case got > want:
		return "too high"
	default:
		return "too low"
	}
}

// roundTo rounds x to the number of decimals of step.
func roundTo(x, step float64) float64 {
	s := strconv.FormatFloat(step, 'f', -1, 64)
	dec := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		dec = len(s) - i - 1
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', dec, 64), 64)
	if err != nil {
		return x
	}
	return r
}

// Format formats a float with up to 6 significant digits, no trailing
// zeros: 0.25, 4, 122.5.
func Format(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func errorf(format string, args ...any) error {
	return fmt.Errorf("exercise: "+format, args...)
}
