package byzantine_test

import (
	"fmt"
	"os"

	"github.com/dslessons/course/pkg/byzantine"
)

func ExampleSearch() {
	// Three generals cannot cope with one traitor: search finds a behaviour that breaks OM(1)...
	om, _ := byzantine.Search(byzantine.OralMessages, 3, 1, 0, 0)
	fmt.Println("OM(1), n=3, violation found:", om.Found)
	// ...while signatures make the same setting safe.
	sm, _ := byzantine.Search(byzantine.SignedMessages, 3, 1, 0, 0)
	fmt.Println("SM(1), n=3, violation found:", sm.Found, "exhaustive:", sm.Exhausted)
	// Output:
	// OM(1), n=3, violation found: true
	// SM(1), n=3, violation found: false exhaustive: true
}

func ExampleWriteTable() {
	// A loyal commander orders Attack; lieutenant 3 is a liar.
	res, _ := byzantine.OM(byzantine.Config{N: 4, M: 1, Order: byzantine.Attack,
		Traitors: []int{3}, Strategy: byzantine.Liar{}, Trace: true})
	byzantine.WriteTable(os.Stdout, res.Trace)
	// Output:
	// level  path  from  to  value    sender
	// -----  ----  ----  --  -------  -------
	// 0      0     0     1   Attack   loyal
	// 0      0     0     2   Attack   loyal
	// 0      0     0     3   Attack   loyal
	// 1      0→1   1     2   Attack   loyal
	// 1      0→1   1     3   Attack   loyal
	// 1      0→2   2     1   Attack   loyal
	// 1      0→2   2     3   Attack   loyal
	// 1      0→3   3     1   Retreat  traitor
	// 1      0→3   3     2   Retreat  traitor
}
