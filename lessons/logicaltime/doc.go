// Package logicaltime is the code behind the lesson "Logical time and
// Lamport timestamps" (notebooks/07-logical-time-lamport.ipynb): the
// syllabus's four-node example, the lesson's seeded random executions, the
// pictures, and the checks of the exercises.
//
// Every claim the notebook makes is asserted in this package's tests.
package logicaltime
