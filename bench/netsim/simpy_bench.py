"""SimPy versions of the two netsim benchmark workloads.

Same workloads as BenchmarkPingPong and BenchmarkAllToAll in
pkg/netsim/bench_test.go, with time in integer nanoseconds and a uniform
1-3 ms link delay. An "event" is one message delivery or one timer firing,
counted the same way as netsim's Stats.Events.

Two styles:

- "callback" (pingpong, alltoall): the fastest SimPy style we know, one
  Timeout event per message with a callback. The Go/SimPy ratio against
  it is the conservative one.
- "process" (pingpong-proc, alltoall-proc): the textbook SimPy style,
  nodes are processes reading a Store inbox and every message in transit
  is a process that waits out its delay and puts the message in the inbox.

Usage: python simpy_bench.py WORKLOAD EVENTS [REPEATS]
  WORKLOAD: pingpong, alltoall, pingpong-proc or alltoall-proc
Prints: <workload> <events> <events per wall second> <events per CPU second>
(best of REPEATS for each). CPU time is steadier on a shared machine.
"""

import random
import sys
import time

import simpy

MS = 1_000_000  # nanoseconds


def pingpong(n_events: int, seed: int = 1) -> tuple[float, float]:
    env = simpy.Environment()
    rng = random.Random(seed)
    stop = env.event()
    count = 0

    def send(to: int, msg: str) -> None:
        ev = env.timeout(rng.randint(1 * MS, 3 * MS), value=(to, msg))
        ev.callbacks.append(deliver)

    def deliver(ev) -> None:
        nonlocal count
        count += 1
        if count == n_events:
            stop.succeed()
            return
        to, msg = ev.value
        send(1 - to, msg)  # echo back to the other node

    send(1, "ping")
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=stop)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert count == n_events
    return wall, cpu


def alltoall(n_events: int, nodes: int = 16, seed: int = 1) -> tuple[float, float]:
    env = simpy.Environment()
    rng = random.Random(seed)
    stop = env.event()
    count = 0

    def deliver(ev) -> None:
        nonlocal count
        count += 1
        if count == n_events and not stop.triggered:
            stop.succeed()

    def tick(ev) -> None:
        nonlocal count
        count += 1
        if count == n_events and not stop.triggered:
            stop.succeed()
        me = ev.value
        for peer in range(nodes):
            if peer != me:
                d = env.timeout(rng.randint(1 * MS, 3 * MS), value=(peer, "x"))
                d.callbacks.append(deliver)
        t = env.timeout(1 * MS, value=me)
        t.callbacks.append(tick)

    # Every node starts by broadcasting at time 0 (like netsim's Start).
    for me in range(nodes):
        t = env.timeout(0, value=me)
        t.callbacks.append(tick)
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=stop)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert count >= n_events
    return wall, cpu


def transit(env, inbox, msg, delay):
    """A message in flight: wait out the delay, then enter the inbox."""
    yield env.timeout(delay)
    yield inbox.put(msg)


def pingpong_proc(n_events: int, seed: int = 1) -> tuple[float, float]:
    env = simpy.Environment()
    rng = random.Random(seed)
    stop = env.event()
    inbox = [simpy.Store(env), simpy.Store(env)]
    count = 0

    def node(me):
        nonlocal count
        if me == 0:
            env.process(transit(env, inbox[1], "ping", rng.randint(1 * MS, 3 * MS)))
        while True:
            msg = yield inbox[me].get()
            count += 1
            if count == n_events:
                stop.succeed()
                return
            env.process(transit(env, inbox[1 - me], msg, rng.randint(1 * MS, 3 * MS)))

    for me in range(2):
        env.process(node(me))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=stop)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert count == n_events
    return wall, cpu


def alltoall_proc(n_events: int, nodes: int = 16, seed: int = 1) -> tuple[float, float]:
    env = simpy.Environment()
    rng = random.Random(seed)
    stop = env.event()
    inbox = [simpy.Store(env) for _ in range(nodes)]
    count = 0

    def tick():
        nonlocal count
        count += 1
        if count == n_events and not stop.triggered:
            stop.succeed()

    def broadcaster(me):
        while True:
            tick()
            for peer in range(nodes):
                if peer != me:
                    env.process(transit(env, inbox[peer], "x", rng.randint(1 * MS, 3 * MS)))
            yield env.timeout(1 * MS)

    def receiver(me):
        while True:
            yield inbox[me].get()
            tick()

    for me in range(nodes):
        env.process(broadcaster(me))
        env.process(receiver(me))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=stop)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert count >= n_events
    return wall, cpu


def main() -> None:
    workload = sys.argv[1]
    n = int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    fn = {
        "pingpong": pingpong,
        "alltoall": alltoall,
        "pingpong-proc": pingpong_proc,
        "alltoall-proc": alltoall_proc,
    }[workload]
    runs = [fn(n) for _ in range(repeats)]
    wall = min(r[0] for r in runs)
    cpu = min(r[1] for r in runs)
    print(f"{workload} {n} {n / wall:.0f} {n / cpu:.0f}")


if __name__ == "__main__":
    main()
