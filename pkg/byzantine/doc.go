// Package byzantine implements the Byzantine generals algorithms of
// Lamport, Shostak and Pease (1982): the oral-messages algorithm OM(m) and
// the signed-messages algorithm SM(m), with pluggable traitors and checks
// of the interactive-consistency conditions:
//
//   - IC1: all loyal lieutenants obey the same order;
//   - IC2: if the commander is loyal, every loyal lieutenant obeys the
//     order it sends.
//
// OM is the recursive algorithm of the paper, not a shortcut: OM(m) has
// the commander send its value to every lieutenant, each lieutenant then
// acts as commander in OM(m-1) to pass on what it received, and each
// lieutenant finally takes the majority of the values it got (RETREAT on
// a tie or when nothing arrived). With n generals it sends
// Σ_{k=0..m} (n-1)(n-2)...(n-1-k) messages (MessageCount) and it satisfies
// IC1 and IC2 whenever n > 3m. Configurations with n ≤ 3m are allowed on
// purpose: they are where the algorithm fails, and Search finds a traitor
// behaviour that makes it fail.
//
// SM models unforgeable signatures as signature chains: a traitor may
// withhold messages or sign different values, but a value it changes on a
// message that carries a loyal signature is detected and discarded by the
// receiver. SM(m) satisfies IC1 and IC2 with up to m traitors for any n.
//
// Traitors are described by a Strategy: Silent, Liar, TwoFaced, NewRandom
// (seeded), or a Script of choices, which is what Search enumerates. A
// strategy that panics does not take the program down: the run returns an
// error naming the strategy and the message it was asked about. Every run
// can record a Trace (who sent what to whom at which recursion level) that
// WriteTable prints as a table. Result.Messages counts the messages
// actually sent; Result.Slots counts every message the algorithm had
// generals send, withheld or not (for OM, MessageCount's formula).
//
// # Limits
//
// Every input is checked before anything is allocated, and the work of a
// call is bounded by documented maxima: MaxGenerals (OM) and MaxSMGenerals
// (SM) generals; MaxMessages messages in one OM run, MaxSMMessages in one
// SM run, MaxTraceHops recorded in a trace; for Search, MaxSearchLimit
// runs and MaxSearchMessages messages in all, with a default limit
// (DefaultSearchLimit, DefaultSearchMessages) that returns within about a
// second. Search enumerates traitor placements one at a time, so its limit
// applies however many placements there are.
//
// # Usage
//
//	res, err := byzantine.OM(byzantine.Config{
//		N: 4, M: 1, Commander: 0, Order: byzantine.Attack,
//		Traitors: []int{2}, Strategy: byzantine.Liar{}, Trace: true,
//	})
//	fmt.Println(res)                 // Agreement: ...
//	byzantine.WriteTable(os.Stdout, res.Trace)
//
//	found, _ := byzantine.Search(byzantine.OralMessages, 3, 1, 0, 0)
//	fmt.Println(found.Counterexample) // a traitor behaviour that breaks OM(1) with 3 generals
package byzantine
