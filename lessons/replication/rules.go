package replication

// The three decisions at the heart of Raft's log replication, as pure
// functions. The course's Raft node calls them through Rules, so a
// notebook can swap in a student's version, or a deliberately broken one,
// and let the safety checker judge the result.

// CommitFunc is the leader's commit rule. Given the leader's log, the match
// index of every member (how far each member's log is known to agree with
// the leader's; the leader's own is its last index), the leader's current
// term and its commit index, it returns the new commit index (never lower
// than commit).
type CommitFunc func(log Log, match []int, term, commit int) int

// AppendFunc is the follower's side of AppendEntries: the consistency
// check and conflict truncation. The leader sends the entries following
// index prevIndex, whose term in its log is prevTerm. The function returns
// the follower's new log and whether it accepted the entries. Accepting
// means that afterwards the follower's log agrees with the leader's up to
// index prevIndex+len(entries).
type AppendFunc func(log Log, prevIndex, prevTerm int, entries []Entry) (Log, bool)

// VoteFunc is the election restriction: may a voter whose log ends with an
// entry of term lastTerm at index lastIndex vote for a candidate whose log
// ends at (candTerm, candIndex)?
type VoteFunc func(lastTerm, lastIndex, candTerm, candIndex int) bool

// Rules are the replication rules a course Raft node uses; a nil field
// means the reference rule (LeaderCommit, AppendEntriesRule, LogUpToDate).
type Rules struct {
	Name   string // shown in results; "" means "Raft"
	Commit CommitFunc
	Append AppendFunc
	Vote   VoteFunc
}

// String is the rules' name.
func (r Rules) String() string {
	if r.Name == "" {
		return "Raft"
	}
	return r.Name
}

func (r Rules) commit() CommitFunc {
	if r.Commit == nil {
		return LeaderCommit
	}
	return r.Commit
}

func (r Rules) append() AppendFunc {
	if r.Append == nil {
		return AppendEntriesRule
	}
	return r.Append
}

func (r Rules) vote() VoteFunc {
	if r.Vote == nil {
		return LogUpToDate
	}
	return r.Vote
}

// LeaderCommit is Raft's commit rule (section 5.3 and 5.4.2 of the paper):
// the new commit index is the largest N > commit such that a majority of
// the match indexes are >= N and the entry at N is of the leader's current
// term. Entries of earlier terms are never committed by counting replicas;
// they become committed together with the first entry of the current term
// that reaches a majority (Figure 8 of the paper shows why).
func LeaderCommit(log Log, match []int, term, commit int) int {
	for n := min(log.LastIndex(), maxMatch(match)); n > commit; n-- {
		if log.Term(n) < term {
			break // terms never decrease along a log: no entry of this term below
		}
		if log.Term(n) == term && majorityAtLeast(match, n) {
			return n
		}
	}
	return commit
}

// CommitByCounting is the tempting but wrong commit rule: an entry is
// committed as soon as a majority stores it, whatever its term. It breaks
// State Machine Safety in the situation of Figure 8 of the Raft paper.
func CommitByCounting(log Log, match []int, term, commit int) int {
	for n := min(log.LastIndex(), maxMatch(match)); n > commit; n-- {
		if majorityAtLeast(match, n) {
			return n
		}
	}
	return commit
}

func maxMatch(match []int) int {
	m := 0
	for _, x := range match {
		m = max(m, x)
	}
	return m
}

// majorityAtLeast reports whether more than half of match are >= n.
func majorityAtLeast(match []int, n int) bool {
	count := 0
	for _, m := range match {
		if m >= n {
			count++
		}
	}
	return 2*count > len(match)
}

// AppendEntriesRule is the follower's rule for AppendEntries (Figure 2 of
// the paper, receiver implementation steps 2-4): refuse unless the log has
// an entry at prevIndex with term prevTerm (the consistency check); then,
// for each new entry, keep it if the log already holds an entry of the same
// term at that index, otherwise delete the conflicting entry and all that
// follow it and append the rest. Entries the log already holds are never
// deleted: a delayed, shorter AppendEntries must not undo a longer one.
func AppendEntriesRule(log Log, prevIndex, prevTerm int, entries []Entry) (Log, bool) {
	if prevIndex < 0 || prevIndex > log.LastIndex() || log.Term(prevIndex) != prevTerm {
		return log, false
	}
	for i, e := range entries {
		idx := prevIndex + 1 + i
		if idx <= log.LastIndex() {
			if log.Term(idx) == e.Term {
				continue // already there (Log Matching: same index and term, same entry)
			}
			log = log[:idx-1] // conflict: delete it and everything after it
		}
		return append(log, entries[i:]...), true
	}
	return log, true
}

// AppendWithoutCheck skips the consistency check: the follower writes the
// entries after prevIndex whatever its log holds there (or at its end if
// its log is shorter). Logs then disagree on entries that have the same
// index and term, breaking Log Matching.
func AppendWithoutCheck(log Log, prevIndex, prevTerm int, entries []Entry) (Log, bool) {
	at := min(max(prevIndex, 0), log.LastIndex())
	for i, e := range entries {
		idx := at + 1 + i
		if idx <= log.LastIndex() {
			if log.Term(idx) == e.Term {
				continue
			}
			log = log[:idx-1]
		}
		return append(log, entries[i:]...), true
	}
	return log, true
}

// AppendTruncating passes the consistency check but then always cuts the
// log after prevIndex before appending, instead of deleting only from the
// first conflict. When messages are reordered, an old AppendEntries erases
// entries the follower has already acknowledged, so the leader may count
// it towards a majority for entries it no longer has.
func AppendTruncating(log Log, prevIndex, prevTerm int, entries []Entry) (Log, bool) {
	if prevIndex < 0 || prevIndex > log.LastIndex() || log.Term(prevIndex) != prevTerm {
		return log, false
	}
	return append(log[:prevIndex], entries...), true
}

// LogUpToDate is Raft's election restriction (section 5.4.1): vote only for
// a candidate whose log is at least as up to date as the voter's: a later
// last term, or the same last term and at least as long.
func LogUpToDate(lastTerm, lastIndex, candTerm, candIndex int) bool {
	return candTerm > lastTerm || candTerm == lastTerm && candIndex >= lastIndex
}

// AnyLog drops the election restriction, as lesson 11's election does:
// votes ignore the logs, so a candidate missing committed entries can win
// and overwrite them.
func AnyLog(lastTerm, lastIndex, candTerm, candIndex int) bool { return true }

// Broken variants of the rules, each caught by the safety checker.
var (
	CommitOldTerms     = Rules{Name: "commit entries of old terms by counting", Commit: CommitByCounting}
	NoConsistencyCheck = Rules{Name: "no consistency check in AppendEntries", Append: AppendWithoutCheck}
	TruncateAlways     = Rules{Name: "truncate after prevIndex on every AppendEntries", Append: AppendTruncating}
	VoteIgnoringLogs   = Rules{Name: "vote without comparing logs", Vote: AnyLog}
)

// BrokenVariants lists the broken rule sets.
func BrokenVariants() []Rules {
	return []Rules{CommitOldTerms, NoConsistencyCheck, TruncateAlways, VoteIgnoringLogs}
}
