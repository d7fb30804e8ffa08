package transactions

// The two decisions of two-phase commit, as pure functions, so that a
// notebook can swap in a student's version, or a broken one, and let the
// checker judge the result.

// DecisionRule is the coordinator's rule: given the yes and no votes
// received so far, the number of participants, and whether its vote
// timeout has expired, the outcome (Unknown: keep waiting).
type DecisionRule func(yes, no, participants int, timedOut bool) Outcome

// Decide is two-phase commit's rule (Gray 1978): commit only when every
// participant voted yes; abort on a no, or when the votes take too long.
func Decide(yes, no, participants int, timedOut bool) Outcome {
	switch {
	case no > 0:
		return Abort
	case yes == participants:
		return Commit
	case timedOut:
		return Abort
	}
	return Unknown
}

// CommitOnTimeout is a broken coordinator rule: when votes are missing at
// the timeout it commits, hoping the silent participants said yes. A
// participant that crashed before voting aborts when it restarts, and
// another that voted no may have been silenced by the network.
func CommitOnTimeout(yes, no, participants int, timedOut bool) Outcome {
	switch {
	case no > 0:
		return Abort
	case yes == participants || timedOut:
		return Commit
	}
	return Unknown
}

// TerminationRule is a prepared participant's rule in cooperative
// termination: given its own state and the states the other participants
// reported in answer to its Query (in any order), the outcome it may adopt
// now, or Unknown if it must keep waiting.
type TerminationRule func(own State, replies []State) Outcome

// Terminate is the cooperative termination rule (Bernstein, Hadzilacos
// and Goodman 1987, section 7.4): a participant that is still prepared
// adopts commit if anyone committed, and abort if anyone aborted or had
// not voted yet (that participant aborts on the spot, so the coordinator
// can no longer collect a yes from it). If every reply says prepared,
// nobody knows: it must wait.
func Terminate(own State, replies []State) Outcome {
	if own != Prepared {
		switch own {
		case Committed:
			return Commit
		case Aborted, Working:
			return Abort
		}
		return Unknown
	}
	for _, r := range replies {
		switch r {
		case Committed:
			return Commit
		case Aborted, Working:
			return Abort
		}
	}
	return Unknown
}

// CommitIfAllPrepared is a tempting but wrong termination rule: if every
// participant that answered is prepared too, they all voted yes, so
// commit. But the coordinator may have aborted anyway (a vote that
// arrived after its timeout, or a crash before it decided, after which it
// presumes abort).
func CommitIfAllPrepared(own State, replies []State) Outcome {
	if o := Terminate(own, replies); o.Decided() {
		return o
	}
	if len(replies) > 0 {
		return Commit
	}
	return Unknown
}
