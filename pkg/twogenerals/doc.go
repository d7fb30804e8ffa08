// Package twogenerals models the two generals problem: two armies that can
// only coordinate through messengers crossing enemy ground, where any
// messenger may be captured.
//
// The package has three parts.
//
//   - Messenger protocols over a lossy link (Config, ClosedForm, Simulate).
//     A protocol has Legs legs that alternate A→B, B→A, ...: leg 1 is the
//     order, leg 2 the acknowledgement, leg 3 the acknowledgement of the
//     acknowledgement, and so on. Each leg is carried by Messengers
//     independent messengers, each lost with probability Loss; a leg is
//     sent only when the previous one arrived. Every general attacks iff it
//     received every leg addressed to it (general A, the initiator, attacks
//     unconditionally when no leg is addressed to it). ClosedForm gives the
//     exact outcome probabilities, Simulate a seeded Monte-Carlo estimate.
//
//   - The "last message" argument made concrete (Bounded, Analyse,
//     EveryRule). A bounded deterministic protocol sends k single messages
//     alternately A→B, B→A, ... Each message carries its sender's whole
//     view (full information), and each general's decision is any
//     deterministic function of its final view. Analyse enumerates all 2^k
//     delivery patterns, returns those on which the generals disagree, and
//     walks the chain "all delivered → drop the last delivered message → ..."
//     showing that dropping the last delivered message never changes what
//     its sender saw. EveryRule enumerates every such protocol for small k,
//     so a test can check that none of them is safe.
//
//   - The practical approximation (Practical): pre-agreed timeouts, n
//     labelled messages, the receiver counts what arrived within its window
//     and chooses how many acknowledgements to send.
//
// All randomness comes from a seed (math/rand/v2 PCG); the same seed gives
// the same estimate.
//
// # Limits
//
// Work is bounded before it starts: MaxMessengers, MaxLegs and MaxTrials
// bound each input of Simulate and MaxDraws their product; Analyse, Views
// and EveryRule take at most MaxBoundedMessages messages (and EveryRule at
// most MaxRuleBits table bits); a Pattern holds at most MaxPatternLen
// messages. A decision function that panics makes Analyse return an
// error.
//
// # Usage
//
//	cfg := twogenerals.Config{Messengers: 3, Loss: 0.5, Legs: 2}
//	exact, _ := twogenerals.ClosedForm(cfg)
//	est, _ := twogenerals.Simulate(cfg, 100_000, 42)
//	fmt.Println(exact.BothAttack, est.P(twogenerals.BothAttack))
//
//	an, _ := twogenerals.Analyse(twogenerals.Chain(4))
//	views, _ := twogenerals.Views(twogenerals.B, 2) // what B can have seen
//	fmt.Println(an.Disagreements) // the patterns where exactly one general attacks
package twogenerals
