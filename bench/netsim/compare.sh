#!/usr/bin/env bash
# Compare netsim (Go) with SimPy on the same two workloads and print
# events per second and the ratio. See README.md in this folder.
#
# Env vars:
#   SIMPY_VENV   virtualenv to create/use (default: bench/netsim/.venv-bench)
#   PYTHON       python used to create it (default: python3)
#   GO_EVENTS    events per Go benchmark run   (default 3000000)
#   PY_EVENTS    events per SimPy run           (default 300000)
#   REPEATS      runs of each; the best is kept (default 3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${SIMPY_VENV:-$here/.venv-bench}"
python="${PYTHON:-python3}"
go_events="${GO_EVENTS:-3000000}"
py_events="${PY_EVENTS:-300000}"
repeats="${REPEATS:-3}"

# py runs the python that has simpy: the venv's, or (when this python has
# no venv/ensurepip module, as on Debian without python3-venv) the plain
# interpreter with simpy installed into a --target directory.
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
	py() { "$venv/bin/python" "$@"; }
elif [ -d "$venv/site/simpy" ]; then
	py() { PYTHONPATH="$venv/site" "$python" "$@"; }
else
	echo "installing simpy 4.1.1 into $venv ..."
	if "$python" -m venv "$venv" 2>/dev/null && "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
		"$venv/bin/python" -m pip install --quiet --disable-pip-version-check simpy==4.1.1
		py() { "$venv/bin/python" "$@"; }
	elif "$python" -m pip --version >/dev/null 2>&1; then
		rm -rf "$venv"
		"$python" -m pip install --quiet --disable-pip-version-check --target "$venv/site" simpy==4.1.1
		py() { PYTHONPATH="$venv/site" "$python" "$@"; }
	else
		echo "compare.sh: $python has neither venv+pip nor pip; install python3-venv or python3-pip" >&2
		exit 1
	fi
fi

echo "Go netsim: go test -bench, $go_events events x $repeats runs (best kept)"
go_out="$(cd "$root" && go test -run '^$' -bench '^Benchmark(PingPong|AllToAll)$' \
	-benchtime "${go_events}x" -count "$repeats" ./pkg/netsim/)"
go_rate() { # best value of metric $2 for benchmark $1
	echo "$go_out" | awk -v b="Benchmark$1-" -v m="$2" 'index($1, b) == 1 {
		for (i = 3; i < NF; i++) if ($(i+1) == m && $i + 0 > best) best = $i + 0 }
		END { printf "%.0f", best }'
}

echo "SimPy $(py -c 'import simpy; print(simpy.__version__)'): $py_events events (callback style), $((py_events / 3)) (process style) x $repeats runs (best kept)"
echo
printf '%-9s %-5s %14s %16s %8s %16s %8s\n' workload clock "netsim ev/s" "simpy-callback" ratio "simpy-process" ratio
for w in PingPong:pingpong AllToAll:alltoall; do
	read -r _ _ cb_wall cb_cpu < <(py "$here/simpy_bench.py" "${w##*:}" "$py_events" "$repeats")
	read -r _ _ pr_wall pr_cpu < <(py "$here/simpy_bench.py" "${w##*:}-proc" "$((py_events / 3))" "$repeats")
	g_wall="$(go_rate "${w%%:*}" events/s)"
	g_cpu="$(go_rate "${w%%:*}" events/cpu-s)"
	awk -v w="${w##*:}" -v gw="$g_wall" -v gc="$g_cpu" -v cw="$cb_wall" -v cc="$cb_cpu" -v pw="$pr_wall" -v pc="$pr_cpu" 'BEGIN {
		f = "%-9s %-5s %14.0f %16.0f %7.1fx %16.0f %7.1fx\n"
		printf f, w, "wall", gw, cw, gw / cw, pw, gw / pw
		if (gc > 0) printf f, w, "cpu", gc, cc, gc / cc, pc, gc / pc }'
done
echo
echo "ev/s = events (deliveries + timer firings) per second. wall: per elapsed second;"
echo "cpu: per CPU second of the process (steadier when other jobs share the machine)."
echo "simpy-callback: one Timeout + callback per message (fastest SimPy style);"
echo "simpy-process: processes with Store inboxes, one process per message in transit."
