package intro

import (
	"fmt"

	"github.com/dslessons/course/pkg/exercise"
)

// WhoAmI says whose numbers the exercises show in this notebook: the
// student ID and where it came from (COURSE_STUDENT_ID, or JupyterHub's
// JUPYTERHUB_USER), or that none is set, so that the exercises show the
// example numbers — the ones in the lessons' text.
func WhoAmI() string {
	id, source := exercise.Student()
	if id == "" {
		return "No student ID is set: the exercises show the example numbers, the ones in the lessons' text.\n" +
			"Graded work uses your own numbers, so set your ID before you start (lesson 00 says how)."
	}
	return fmt.Sprintf("Student ID %q (from %s): the exercises show your own numbers.", id, source)
}
