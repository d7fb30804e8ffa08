// Package logicaltime is the code behind the lesson "Logical time and
// Lamport timestamps" (notebooks/07-logical-time-lamport.ipynb): the
// course notes' four-node example, the lesson's seeded random executions,
// the pictures, a chat run on the network simulator exported for ShiViz
// (ChatRun, WriteShiVizLog), and the lesson's exercises (Lesson,
// Exercise1–3, declared with pkg/exercise: per-student executions and a
// code exercise judged on hidden cases and replays).
//
// Every claim the notebook makes is asserted in this package's tests.
package logicaltime
