package netsim

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by the run methods; test for them with errors.Is.
var (
	// ErrBudget means the run stopped because Config.MaxEvents events
	// were processed (usually a livelock or a timer that re-arms forever)
	// or the trace reached Config.MaxTrace records.
	ErrBudget = errors.New("netsim: budget exhausted")
	// ErrIdle means RunUntil ran out of events before its condition held.
	ErrIdle = errors.New("netsim: no more events")
)

func errorf(format string, args ...any) error {
	return fmt.Errorf("netsim: "+format, args...)
}

// trimPrefix drops the "netsim: " prefix of a nested error message.
func trimPrefix(err error) string {
	return strings.TrimPrefix(err.Error(), "netsim: ")
}
