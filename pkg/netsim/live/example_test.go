package live_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/netsim/live"
)

// A request/response over two lossy links with a timeout and retries:
// the goroutine version of a netsim retransmission lesson. The retry
// loop ends when an answer arrives, so the output does not depend on
// timing.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := live.Config{Seed: 4, Loss: 0.5, Delay: netsim.Uniform(0, netsim.Millisecond)}
	toServer, _ := live.NewLink[int](ctx, cfg)
	cfg.Seed = 5
	toClient, _ := live.NewLink[int](ctx, cfg)

	go func() { // server: answer n with n*n
		for n := range toServer.Recv() {
			select {
			case toClient.Send() <- n * n:
			case <-ctx.Done():
				return
			}
		}
	}()

	for {
		select {
		case toServer.Send() <- 7:
		case <-ctx.Done():
			return
		}
		select {
		case answer := <-toClient.Recv():
			fmt.Println("answer:", answer)
			cancel()
			<-toServer.Done()
			<-toClient.Done()
			return
		case <-time.After(20 * time.Millisecond):
			// lost or slow: try again
		}
	}
	// Output:
	// answer: 49
}
