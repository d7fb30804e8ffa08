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
