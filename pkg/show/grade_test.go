package show

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RFC 4231, test case 2: HMAC-SHA256 with key "Jefe".
func TestStampIsHMACSHA256(t *testing.T) {
	assert.Equal(t, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
		Stamp("Jefe", "what do ya want for nothing?"))
	assert.NotEqual(t, Stamp("k", "Exercise 1"), Stamp("k", "Exercise 2"))
	assert.NotEqual(t, Stamp("k1", "Exercise 1"), Stamp("k2", "Exercise 1"))
}

// withGrading runs f with Require's environment set as given, capturing
// its output and exit status (-1: no exit).
func withGrading(t *testing.T, isGrading bool, key string, f func()) (string, int) {
	t.Helper()
	var buf bytes.Buffer
	oldOut, oldGrading, oldKey, oldExit := out, grading, graderKey, exit
	defer func() { out, grading, graderKey, exit = oldOut, oldGrading, oldKey, oldExit }()
	status := -1
	out, grading, graderKey = &buf, isGrading, key
	exit = func(code int) { status = code }
	f()
	return buf.String(), status
}

func TestRequire(t *testing.T) {
	wrong := errors.New("expected 3, got 2. hint: take the max")
	for _, tc := range []struct {
		name     string
		grading  bool
		key      string
		err      error
		wantOK   bool
		wantOut  string
		wantExit int
	}{
		{"student, pass", false, "", nil, true, "✓ Exercise 1: correct\n", -1},
		{"student, fail", false, "", wrong, false, "✗ Exercise 1: expected 3, got 2. hint: take the max\n", -1},
		{"student, key ignored", false, "k", nil, true, "✓ Exercise 1: correct\n", -1},
		{"grader, fail exits 1", true, "k", wrong, false, "✗ Exercise 1: expected 3, got 2. hint: take the max\n", 1},
		{"grader without key, fail", true, "", wrong, false, "✗ Exercise 1: expected 3, got 2. hint: take the max\n", 1},
		{"grader without key, pass", true, "", nil, true, "✓ Exercise 1: correct\n", -1},
		{"grader, pass stamps", true, "k", nil, true, "grader-stamp " + Stamp("k", "Exercise 1") + " Exercise 1\n", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ok bool
			got, status := withGrading(t, tc.grading, tc.key, func() { ok = Require("Exercise 1", tc.err) })
			assert.Equal(t, tc.wantOK, ok)
			assert.Equal(t, tc.wantOut, got)
			assert.Equal(t, tc.wantExit, status)
		})
	}
}

// A stamp line can be checked by the grader from the key and the name alone.
func TestStampLineRoundTrip(t *testing.T) {
	got, _ := withGrading(t, true, "secret", func() { Require("Exercise 2a", nil) })
	line := strings.TrimSuffix(got, "\n")
	require.True(t, strings.HasPrefix(line, StampPrefix))
	fields := strings.SplitN(strings.TrimPrefix(line, StampPrefix), " ", 2)
	require.Len(t, fields, 2)
	assert.Equal(t, "Exercise 2a", fields[1])
	assert.Equal(t, Stamp("secret", fields[1]), fields[0])
	assert.NotEqual(t, Stamp("guess", fields[1]), fields[0])
}

func TestKeyIsRemovedFromTheEnvironment(t *testing.T) {
	// init ran before the test: whatever the environment held, it is gone.
	_, present := os.LookupEnv(GraderKeyEnv)
	assert.False(t, present)
}
