package etcdraft

import (
	crand "crypto/rand"
	"io"
	"math/rand/v2"
	"sync"
)

// etcd raft draws each randomised election timeout with
// crypto/rand.Int(crypto/rand.Reader, n) (raft.go, lockedRand.Intn); it has
// no option to pass a source. To make runs reproducible from the netsim
// seed, every call into etcd runs with the package variable
// crypto/rand.Reader temporarily replaced by a reader over the calling
// node's own netsim stream (Context.Rand), and restored afterwards. A
// mutex serialises these calls, so simulations in several goroutines
// each see their own stream.
//
// While a call runs, other code in the process that reads
// crypto/rand.Reader would get the simulation's predictable bytes (and
// advance its stream): do not run code that needs real cryptographic
// randomness concurrently with a simulation. crypto/rand.Read and the
// randomness that Go's runtime and math/rand use are not affected.
var randMu sync.Mutex

// withRand runs f with crypto/rand.Reader set to r.
func withRand(r io.Reader, f func()) {
	randMu.Lock()
	defer randMu.Unlock()
	saved := crand.Reader
	crand.Reader = r
	defer func() { crand.Reader = saved }()
	f()
}

// streamReader turns a seeded math/rand/v2 stream into an io.Reader.
type streamReader struct{ r *rand.Rand }

func (s *streamReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		v := s.r.Uint64()
		for j := i; j < len(p) && j < i+8; j++ {
			p[j] = byte(v)
			v >>= 8
		}
	}
	return len(p), nil
}
