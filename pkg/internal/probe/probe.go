// Package probe is the test helper of the robustness probes of the pkg
// packages (issue 12): tables of bad inputs, each of which must give a
// clear error that names the package, or the correct result.
package probe

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Case is one bad input of a probe: Run tries it and returns its error;
// Want is a substring of the error, or "" when there must be none. It is
// an alias of an unnamed struct, so that a table lists its cases without
// field names.
type Case = struct {
	Name string
	Run  func() error
	Want string
}

// Run runs each case as a subtest of t named by its Name, and checks its
// outcome with Err.
func Run(t *testing.T, pkg string, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { Err(t, c.Run(), pkg, c.Want) })
	}
}

// Err checks the outcome of one probe: no error when want is "";
// otherwise an error that starts with "pkg: " and contains want.
func Err(t testing.TB, err error, pkg, want string) {
	t.Helper()
	if want == "" {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), pkg+": "), err.Error())
	assert.Contains(t, err.Error(), want)
}
