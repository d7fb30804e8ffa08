package show

import (
	"strings"
	"unicode/utf8"
)

// TextWidth is the width, in characters, to which show wraps prose and
// hints: a notebook's output area shows about 100 characters of its
// monospaced font before it scrolls sideways.
const TextWidth = 100

// Wrap breaks the lines of s at spaces so that none is longer than width
// characters (TextWidth if width ≤ 0). A word longer than the width stays
// whole on a line of its own. Existing line breaks and blank lines are
// kept; a continuation line is indented like the line it continues, and
// under the text of a list item ("- ", "* ", "1. ") or of a label
// ("✗ Exercise 1: ") it lines up with that text when the label is short.
func Wrap(s string, width int) string {
	if width <= 0 {
		width = TextWidth
	}
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		wrapLine(&b, line, width)
	}
	return b.String()
}

// wrapLine writes one line of text, wrapped, to b.
func wrapLine(b *strings.Builder, line string, width int) {
	line = strings.TrimRight(line, " \t")
	if utf8.RuneCountInString(line) <= width {
		b.WriteString(line)
		return
	}
	body := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(body)]
	hang := indent + strings.Repeat(" ", utf8.RuneCountInString(marker(body)))
	if utf8.RuneCountInString(hang) > width/2 {
		hang = indent
	}
	col := 0
	first := true
	for _, word := range strings.Fields(body) {
		n := utf8.RuneCountInString(word)
		switch {
		case first:
			b.WriteString(indent)
			b.WriteString(word)
			col = utf8.RuneCountInString(indent) + n
			first = false
		case col+1+n > width:
			b.WriteByte('\n')
			b.WriteString(hang)
			b.WriteString(word)
			col = utf8.RuneCountInString(hang) + n
		default:
			b.WriteByte(' ')
			b.WriteString(word)
			col += 1 + n
		}
	}
}

// marker returns the list marker or short label at the start of a line
// of text, with the space after it: "- ", "12. ", "✗ Exercise 1: ", or "".
func marker(body string) string {
	for _, m := range []string{"- ", "* ", "• "} {
		if strings.HasPrefix(body, m) {
			return m
		}
	}
	i := 0
	for i < len(body) && body[i] >= '0' && body[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(body) && (body[i] == '.' || body[i] == ')') && body[i+1] == ' ' {
		return body[:i+2]
	}
	// A label ending in ": " within the first 30 characters.
	if k := strings.Index(body, ": "); k > 0 && utf8.RuneCountInString(body[:k]) <= 30 {
		return body[:k+2]
	}
	return ""
}
