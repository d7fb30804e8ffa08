package intro

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
)

// Lesson holds the exercises of notebook 01.
var Lesson = exercise.NewLesson("01-introduction", "Introduction")

// ---- Exercise 1: which fallacy does this code assume? ----------------------

// Snippet is a piece of code written under one of the fallacies.
type Snippet struct {
	Title string // what the code does, in one line
	Code  string
	// Accept are the fallacies the code can be said to assume; the first
	// is the one it was written to show.
	Accept []Fallacy
	Hint   string // a question that leads to the fallacy without naming it
}

// snippets is the pool Exercise 1 draws from; the first three are the
// example (the lesson's prose shows them).
var snippets = []Snippet{
	{"show the names of a user's 200 friends", `for _, id := range friendIDs {
	name, err := users.GetName(ctx, id) // one call to the user service per friend
	if err != nil {
		return err
	}
	names = append(names, name)
}`, []Fallacy{ZeroLatency}, "each call waits for a round trip to another machine before the next one starts"},
	{"hand an order to the warehouse", `conn.Write(encode(order)) // no acknowledgement is expected
db.MarkShipped(order.ID)  // ... so the order counts as shipped`,
		[]Fallacy{ReliableNetwork}, "what if the write is lost on the way, or the warehouse crashes before reading it?"},
	{"send a counter to a peer", `buf := make([]byte, 8)
binary.NativeEndian.PutUint64(buf, count) // this machine's byte order
conn.Write(buf)`, []Fallacy{HomogeneousNetwork}, "the peer may be built for a CPU that stores the bytes of a number the other way round"},
	{"release a lock held for a peer", `conn.Write(encodeUnlock(resource)) // fire and forget
locks.Forget(resource)              // the peer has released it too, surely`,
		[]Fallacy{ReliableNetwork}, "what does the peer believe if this message never arrives?"},
	{"price a shopping cart", `for _, item := range cart.Items {
	// the pricing database is in another region
	price, err := pricing.Lookup(ctx, item.SKU)
	if err != nil {
		return err
	}
	total += price * item.Count
}`, []Fallacy{ZeroLatency}, "count the round trips the page waits for, one after another"},
	{"keep a follower up to date", `// the follower sits behind a 100 Mbit/s link
for range time.Tick(time.Second) {
	follower.Send(db.Dump()) // the whole 2 GB table, every second
}`, []Fallacy{InfiniteBandwidth, ZeroTransportCost}, "how many bytes a second does this push through a 100 Mbit/s link?"},
	{"show the last line of a log on a dashboard", `// refreshed ten times a second
data, err := fetch(server + "/logs/app.log") // the whole file: 5 GB
if err == nil {
	show(lastLine(data))
}`, []Fallacy{InfiniteBandwidth, ZeroTransportCost}, "how much data crosses the network to display one line?"},
	{"an administration endpoint", `if strings.HasPrefix(req.RemoteAddr, "10.0.") {
	// only our own machines have these addresses
	runCommand(req.Body)
}`, []Fallacy{SecureNetwork}, "who else could send a packet that claims this source address, or sit on the path?"},
	{"log a user in", `resp, err := http.Post("http://api.example.com/login", // plain HTTP
	"application/x-www-form-urlencoded",
	strings.NewReader("user=ann&password="+password))`,
		[]Fallacy{SecureNetwork}, "who can read the packets between the user's café and the server?"},
	{"connect to the database", `const dbAddr = "10.1.2.3:5432" // compiled into the binary
conn, err := net.Dial("tcp", dbAddr)`,
		[]Fallacy{FixedTopology}, "what happens when the database moves to another machine?"},
	{"call the payment service", `addr := resolve("payments.internal") // once, at start-up
for req := range requests {
	send(addr, req) // for as long as the process runs: weeks
}`, []Fallacy{FixedTopology}, "can the service move, or be replaced by another machine, while this process runs?"},
	{"watch a peer", `// declare the peer dead after 3 s without a heartbeat:
// its team sends one every second (they told us in 2019)
const deadAfter = 3 * time.Second`,
		[]Fallacy{OneAdministrator}, "who decides how often the peer sends heartbeats, and do they know about this constant?"},
	{"reach a partner's server", `// our firewall lets port 9000 out, so theirs lets it in
conn, err := net.Dial("tcp", partner+":9000")`,
		[]Fallacy{OneAdministrator}, "who configures the partner's network?"},
	{"share status in a cluster", `// each of 500 nodes, every 100 ms
for _, peer := range peers {
	send(peer, encodeStatus()) // 20 KB of status
}`, []Fallacy{ZeroTransportCost, InfiniteBandwidth}, "count the messages a second the cluster sends, and what each one costs to build, send and read"},
	{"back up photos", `// every night, "to be safe"
for _, region := range []string{"eu", "us", "asia"} {
	for _, p := range allPhotos {
		upload(region, p) // the cloud bills traffic between regions per GB
	}
}`, []Fallacy{ZeroTransportCost, InfiniteBandwidth}, "what does the cloud provider charge for this every night?"},
	{"send a timestamp to a peer", `// day first, in this machine's time zone
conn.Write([]byte(time.Now().Format("02/01/2006 15:04")))`,
		[]Fallacy{HomogeneousNetwork}, "does the peer use the same date convention and time zone as this machine?"},
}

// Snippets returns the pool of Exercise 1's snippets.
func Snippets() []Snippet { return slices.Clone(snippets) }

// WhichFallacy is a student's set of snippets for Exercise 1: indices into
// Snippets, shown as A, B and C.
type WhichFallacy struct{ Snippets []int }

// snippetsFor draws three snippets of three different fallacies.
func snippetsFor(v exercise.Variant) WhichFallacy {
	if v.Example() {
		return WhichFallacy{Snippets: []int{0, 1, 2}}
	}
	r := v.Rand()
	fs := Fallacies()
	r.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
	var out []int
	for _, f := range fs[:3] {
		var of []int
		for i, s := range snippets {
			if s.Accept[0] == f {
				of = append(of, i)
			}
		}
		out = append(out, of[r.IntN(len(of))])
	}
	return WhichFallacy{Snippets: out}
}

func (w WhichFallacy) valid() bool {
	if len(w.Snippets) != 3 {
		return false
	}
	for _, i := range w.Snippets {
		if i < 0 || i >= len(snippets) {
			return false
		}
	}
	return true
}

// WriteSnippets writes the code of w's snippets, labelled A, B and C.
func WriteSnippets(out io.Writer, w WhichFallacy) error {
	if out == nil {
		return fmt.Errorf("intro: nil writer")
	}
	if !w.valid() {
		return fmt.Errorf("intro: snippets %v: want three indices in [0, %d)", w.Snippets, len(snippets))
	}
	var b strings.Builder
	for k, i := range w.Snippets {
		fmt.Fprintf(&b, "// %c: %s\n%s\n\n", 'A'+k, snippets[i].Title, snippets[i].Code)
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// Exercise1 asks which fallacy each of three pieces of code assumes.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[WhichFallacy, []Fallacy]{
	Params: snippetsFor,
	Describe: func(w WhichFallacy) string {
		if !w.valid() {
			return "no snippets"
		}
		var parts []string
		for k, i := range w.Snippets {
			parts = append(parts, fmt.Sprintf("%c: %s", 'A'+k, snippets[i].Title))
		}
		return strings.Join(parts, "; ") + " (their code is printed below)"
	},
	Judge: func(w WhichFallacy, answer []Fallacy) exercise.Verdict {
		if !w.valid() {
			return exercise.Wrong("these snippets do not exist", "")
		}
		if len(answer) != 3 {
			return exercise.Wrong(fmt.Sprintf("%d answers for 3 snippets", len(answer)), "give one fallacy for each of A, B and C")
		}
		var wrong, hints []string
		unanswered := 0
		for k, i := range w.Snippets {
			if slices.Contains(snippets[i].Accept, answer[k]) {
				continue
			}
			if answer[k] == NoFallacy {
				unanswered++
			}
			wrong = append(wrong, fmt.Sprintf("snippet %c", 'A'+k))
			hints = append(hints, fmt.Sprintf("%c: %s", 'A'+k, snippets[i].Hint))
		}
		if len(wrong) == 0 {
			return exercise.Right()
		}
		why := fmt.Sprintf("%d of 3 snippets are matched to a fallacy they do not assume", len(wrong))
		if unanswered == len(wrong) {
			why = fmt.Sprintf("%d of 3 snippets have no fallacy yet", len(wrong))
		}
		return exercise.WrongParts(wrong, why, strings.Join(hints, "; ")+
			". Pick from intro.ReliableNetwork, ZeroLatency, InfiniteBandwidth, SecureNetwork, FixedTopology, OneAdministrator, ZeroTransportCost, HomogeneousNetwork")
	},
})

// ---- Exercise 2: above capacity, predict the wait ---------------------------

// Overload is Exercise 2's setting: the link of section 4.3 (1 MB/s,
// 1000-byte messages, 5 ms propagation) offered Load times its capacity
// from time 0; the question is how long a message sent At seconds after
// the start takes to arrive.
type Overload struct {
	Load float64 // offered load / capacity, > 1
	At   float64 // seconds
}

// The link of Exercise 2 (the defaults of BandwidthConfig).
const (
	overloadCapacity = 1000 // messages per second
	overloadDelay    = 5 * netsim.Millisecond
)

// Want is the fluid model's answer in ms (OverloadWait).
func (o Overload) Want() float64 {
	return OverloadWait(overloadCapacity, o.Load, netsim.Time(o.At*1e9), overloadDelay)
}

// Simulate runs the link of section 4.3 at o.Load for o.At seconds with
// the given seed and returns the mean wait (ms) of the messages sent in the
// last 100 ms before o.At.
func (o Overload) Simulate(seed uint64) (float64, error) {
	if !(o.Load > 0 && o.Load <= 10) || !(o.At >= 0.1 && o.At <= 100) {
		return 0, fmt.Errorf("intro: load %v and time %vs: want a load in (0, 10] and a time in [0.1, 100] s", o.Load, o.At)
	}
	d := netsim.Time(math.Round(o.At*10)) * BinWidth
	r, err := RunBandwidth(BandwidthConfig{Seed: seed, Loads: []float64{o.Load}, Duration: d})
	if err != nil {
		return 0, err
	}
	w, ok := r.Points[0].WaitAt(d)
	if !ok {
		return 0, fmt.Errorf("intro: no message was sent just before %v (seed %d)", d, seed)
	}
	return w, nil
}

// Exercise2 asks for the wait of a message sent into an overloaded link.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[Overload, float64]{
	Params: func(v exercise.Variant) Overload {
		return Overload{Load: exercise.Steps(v, 1.2, 1.1, 1.6, 0.05), At: float64(exercise.IntBetween(v, 5, 3, 12))}
	},
	Describe: func(o Overload) string {
		return fmt.Sprintf("offered load %s (%s messages a second into a link that sends %d), a message sent %s s after the start",
			exercise.Format(o.Load), exercise.Format(o.Load*overloadCapacity), overloadCapacity, exercise.Format(o.At))
	},
	Judge: func(o Overload, answer float64) exercise.Verdict {
		want := o.Want()
		if exercise.Near(answer, want, 0.1, 0) {
			return exercise.Right()
		}
		hint := "how many messages does the queue gain each second, and how long does the link need to send that many?"
		switch {
		case exercise.Near(answer*1000, want, 0.1, 0):
			return exercise.Wrong("the answer looks like seconds", "give the wait in milliseconds")
		case exercise.Near(answer, (want-6)/2+6, 0.1, 0):
			return exercise.Wrong("that is about the average wait of all messages sent so far, not the wait of the one sent last", hint)
		case exercise.Near(answer, o.Load*o.At*1000, 0.1, 0), exercise.Near(answer, o.Load*o.At*1000+6, 0.1, 0):
			return exercise.Wrong("that counts every message sent so far as waiting, but the link has been sending all the while", hint)
		case answer > 0 && answer < 20:
			return exercise.Wrong("that is the time through an empty link: the queue is not empty", hint)
		}
		return exercise.Wrong(fmt.Sprintf("%s ms is %s", exercise.Format(answer), exercise.Direction(answer, want, 0.1, 0)), hint)
	},
})

// ---- Exercise 3: fetch in as few round trips as the server allows ------------

// MaxKeys is the most keys the server of Exercise 3 accepts in one request.
const MaxKeys = 8

// planProblem says what is wrong with plan's requests for keys, or "".
func planProblem(keys []string, reqs [][]string) string {
	seen := map[string]int{}
	for i, r := range reqs {
		if len(r) == 0 {
			return fmt.Sprintf("request %d is empty: a round trip for nothing", i+1)
		}
		if len(r) > MaxKeys {
			return fmt.Sprintf("request %d asks for %d keys; the server refuses more than %d", i+1, len(r), MaxKeys)
		}
		for _, k := range r {
			seen[k]++
		}
	}
	for _, k := range keys {
		switch n := seen[k]; {
		case n == 0:
			return fmt.Sprintf("key %q is never requested", k)
		case n > 1:
			return fmt.Sprintf("key %q is requested %d times", k, n)
		}
		delete(seen, k)
	}
	for k := range seen {
		return fmt.Sprintf("key %q was not asked for", k)
	}
	if best := (len(keys) + MaxKeys - 1) / MaxKeys; len(reqs) != best {
		return fmt.Sprintf("%d requests, so %d round trips; %d are enough", len(reqs), len(reqs), best)
	}
	return ""
}

func sizes(reqs [][]string) string {
	var s []string
	for _, r := range reqs {
		s = append(s, fmt.Sprint(len(r)))
	}
	if len(s) > 20 {
		s = append(s[:20], "…")
	}
	return "[" + strings.Join(s, " ") + "]"
}

func showKeys(keys []string) string {
	switch len(keys) {
	case 0:
		return "no keys"
	case 1:
		return fmt.Sprintf("1 key: %q", keys[0])
	}
	return fmt.Sprintf("%d keys: %q … %q", len(keys), keys[0], keys[len(keys)-1])
}

// Exercise3 asks for a request plan that fetches every key once, at most
// MaxKeys per request, in the fewest round trips.
var Exercise3 = exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[RequestPlan, []string, [][]string]{
	Call: func(plan RequestPlan, keys []string) [][]string { return plan(slices.Clone(keys)) },
	Test: func(t *exercise.T[[]string, [][]string]) {
		check := func(keys []string, hidden bool) {
			got := t.Call(keys)
			problem := planProblem(keys, got)
			if problem == "" {
				return
			}
			c := fmt.Sprintf("input:     %s\nyour plan: %d requests of sizes %s\nexpected:  every key exactly once, at most %d keys per request, %d requests",
				showKeys(keys), len(got), sizes(got), MaxKeys, (len(keys)+MaxKeys-1)/MaxKeys)
			why := "fails a visible case: " + problem
			if hidden {
				c = "input: " + showKeys(keys)
				why = "fails a hidden case: " + problem
			}
			t.Fatal(exercise.Verdict{Why: why, Hint: "fill every request up to the server's limit", Case: c})
		}
		for _, n := range []int{20, 8, 1, 17} {
			check(Keys(n), false)
		}
		if !t.Hidden() {
			return
		}
		r := t.Rand()
		for range 25 {
			check(randomKeys(r, r.IntN(70)), true)
		}
		check(nil, true)
	},
})

func randomKeys(r *rand.Rand, n int) []string {
	ks := make([]string, n)
	base := r.IntN(1000)
	for i := range ks {
		ks[i] = fmt.Sprintf("user:%d", base+7*i+r.IntN(7))
	}
	r.Shuffle(n, func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
	return ks
}

// ---- Exercise 4: the bank's MAC check ---------------------------------------

// MACCase is one order the bank receives: the bytes of the order and the
// tag that came with them.
type MACCase struct {
	Payload []byte
	Tag     []byte
}

func showMAC(c MACCase) string {
	tag := "no tag"
	if len(c.Tag) > 0 {
		tag = fmt.Sprintf("a %d-byte tag %x…", len(c.Tag), c.Tag[:min(4, len(c.Tag))])
	}
	return fmt.Sprintf("payload %q with %s", c.Payload, tag)
}

func macCases(r *rand.Rand) []exercise.Case[MACCase, bool] {
	names := []string{"bob", "carol", "dave", "erin"}
	var out []exercise.Case[MACCase, bool]
	for range 6 {
		t := Transfer{Seq: 1 + r.IntN(9999), To: names[r.IntN(len(names))], Amount: 1 + r.IntN(5000)}
		tag := Sign(MACKey, t.Payload())
		out = append(out, exercise.Case[MACCase, bool]{In: MACCase{t.Payload(), tag}, Want: true, Name: "a correct tag"})
		bad := t
		bad.Amount += 1 + r.IntN(100)
		out = append(out, exercise.Case[MACCase, bool]{In: MACCase{bad.Payload(), tag}, Want: false, Name: "an altered amount"})
		flipped := slices.Clone(tag)
		flipped[r.IntN(len(flipped))] ^= 1 << r.IntN(8)
		out = append(out, exercise.Case[MACCase, bool]{In: MACCase{t.Payload(), flipped}, Want: false, Name: "a tag with one bit flipped"})
		out = append(out, exercise.Case[MACCase, bool]{In: MACCase{t.Payload(), tag[:r.IntN(len(tag))]}, Want: false, Name: "a truncated tag"})
		out = append(out, exercise.Case[MACCase, bool]{In: MACCase{t.Payload(), append(slices.Clone(tag), byte(r.IntN(256)))}, Want: false, Name: "a tag with a byte too many"})
	}
	return out
}

// Exercise4 asks for the bank's check of an order's HMAC.
var Exercise4 = exercise.NewFunc(Lesson, "Exercise 4", exercise.FuncSpec[func(payload, tag []byte) bool, MACCase, bool]{
	Call: func(verify func(payload, tag []byte) bool, c MACCase) bool {
		return verify(slices.Clone(c.Payload), slices.Clone(c.Tag))
	},
	Test: func() func(*exercise.T[MACCase, bool]) {
		good := Transfer{Seq: 7, To: "bob", Amount: 30}
		tag := Sign(MACKey, good.Payload())
		bad := good
		bad.To = "mallory"
		flipped := slices.Clone(tag)
		flipped[0] ^= 1
		return exercise.Table(exercise.TableSpec[MACCase, bool]{
			Visible: []exercise.Case[MACCase, bool]{
				{In: MACCase{good.Payload(), tag}, Want: true, Name: "an untouched order with its correct tag"},
				{In: MACCase{bad.Payload(), tag}, Want: false, Name: "an order whose recipient was changed to mallory"},
				{In: MACCase{good.Payload(), flipped}, Want: false, Name: "an order whose tag has one bit flipped"},
				{In: MACCase{good.Payload(), tag[:16]}, Want: false, Name: "an order with a truncated tag"},
				{In: MACCase{good.Payload(), nil}, Want: false, Name: "an order with no tag"},
				{In: MACCase{bad.Payload(), Sign([]byte("guess"), bad.Payload())}, Want: false, Name: "a tag computed by the attacker without the key"},
			},
			Hidden: macCases,
			Show:   showMAC,
			Hint:   "recompute intro.Sign(intro.MACKey, payload) and compare it with the tag using hmac.Equal",
		})
	}(),
})
