package byzantine

import (
	"fmt"

	bz "github.com/dslessons/course/pkg/byzantine"
)

// Searches runs the exhaustive traitor search for OM(1) and SM(1) with
// three generals and commander 0.
func Searches() (om, sm bz.SearchResult, err error) {
	om, err = bz.Search(bz.OralMessages, 3, 1, 0, 0)
	if err != nil {
		return om, sm, err
	}
	sm, err = bz.Search(bz.SignedMessages, 3, 1, 0, 0)
	return om, sm, err
}

// CheckMessageCount checks the number of messages OM(m) sends with n generals.
func CheckMessageCount(n, m, answer int) error {
	if n < 2 || m < 0 || n > 20 || m > 6 {
		return fmt.Errorf("pick 2 <= n <= 20 and 0 <= m <= 6 (got n=%d, m=%d)", n, m)
	}
	res, err := bz.OM(bz.Config{N: n, M: m, Order: bz.Attack})
	if err != nil {
		return err
	}
	if answer == 0 {
		return fmt.Errorf("no answer yet (got 0). hint: the commander sends n-1 messages; then each of those n-1 lieutenants runs OM(m-1) among the other n-1 generals")
	}
	if answer != res.Messages {
		return fmt.Errorf("expected %d messages for OM(%d) with n=%d, got %d. "+
			"hint: the commander sends n-1 messages; then each of those n-1 lieutenants runs OM(%d) among the other n-1 generals",
			res.Messages, m, n, answer, m-1)
	}
	return nil
}

// CheckMinGenerals checks the smallest number of generals for which OM(m)
// tolerates m traitors.
func CheckMinGenerals(m, answer int) error {
	if m < 1 || m > 3 {
		return fmt.Errorf("pick m between 1 and 3 (got %d)", m)
	}
	want := 3*m + 1
	if answer == 0 {
		return fmt.Errorf("no answer yet (got 0). hint: the paper's bound relates n to m with a factor of 3; is n = 3m enough? Try byzantine.Search")
	}
	if answer != want {
		// Show the student what their n does.
		msg := ""
		if answer >= 2 && answer < want {
			if sr, err := bz.Search(bz.OralMessages, answer, m, 0, 50_000); err == nil && sr.Found {
				msg = fmt.Sprintf(" With n=%d the search finds: %s.", answer, sr.Counterexample.Result)
			}
		}
		return fmt.Errorf("expected n = %d for m = %d, got %d.%s hint: the paper's bound relates n to m with a factor of 3; is n = 3m enough?",
			want, m, answer, msg)
	}
	return nil
}

// CheckTraitor checks a traitor strategy that breaks OM(1) with three
// generals: commander 0 is loyal and orders Attack, lieutenant 2 is the
// traitor using s, and lieutenant 1 must end up not attacking.
func CheckTraitor(s bz.Strategy) error {
	if s == nil {
		return fmt.Errorf("expected a strategy, got nil. hint: define a type with a Send(m byzantine.Message) (byzantine.Value, bool) method")
	}
	res, err := bz.OM(bz.Config{N: 3, M: 1, Commander: 0, Order: bz.Attack, Traitors: []int{2}, Strategy: s, Trace: true})
	if err != nil {
		return err
	}
	if res.Verdict != bz.Violation {
		return fmt.Errorf("expected a Violation (lieutenant 1 should not obey the Attack order), got %s. "+
			"hint: lieutenant 1 takes the majority of what the commander said and what lieutenant 2 claims the commander said; "+
			"a tie counts as Retreat", res)
	}
	return nil
}
