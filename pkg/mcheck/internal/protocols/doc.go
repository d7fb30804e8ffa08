// Package protocols holds small protocols, correct and buggy, that the
// model checker's tests, benchmarks and growth table run: exactly-once
// delivery over a lossy link (the first lab's scenario), two-phase commit,
// and a token counter with a deep bug for random walks.
package protocols
