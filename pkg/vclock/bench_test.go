package vclock

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var sinkOrder Order

func benchVectors(n int) (a, b VC) {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	a, b = make(VC, n), make(VC, n)
	for i := range a {
		a[i] = rng.Uint64N(1000)
		b[i] = a[i] + rng.Uint64N(2) // b ≥ a: Compare must scan everything
	}
	return a, b
}

func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{4, 16, 64} {
		x, y := benchVectors(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				sinkOrder = Compare(x, y)
			}
		})
	}
}

func BenchmarkMerge(b *testing.B) {
	for _, n := range []int{4, 16, 64} {
		x, y := benchVectors(n)
		y, x = x, y // merge the smaller into the larger: dst changes nowhere, but every entry is visited
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			dst := x.Clone()
			for b.Loop() {
				dst = Merge(dst, y)
			}
		})
	}
}

func BenchmarkReceive(b *testing.B) {
	for _, n := range []int{4, 16, 64} {
		x, _ := benchVectors(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			c, _ := NewClock(n, 0)
			for b.Loop() {
				c.v = StandardReceive(c.v, x, 0)
			}
		})
	}
}
