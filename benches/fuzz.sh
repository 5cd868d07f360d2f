#!/usr/bin/env bash
# The long fuzz runs (issue 13, point 6): every harness of the wsus and site crates, one
# after the other, optimised, for SECONDS each (default 1800) or ITERATIONS executions
# (default 10,000,000), whichever comes first. Prints each harness's executions; the figures
# go to docs/BENCHMARKS.md. Inputs that panic or hang are saved under PATCHDECK_FUZZ_OUT
# (default /tmp/patchdeck-fuzz) and the run fails; `cargo test` runs the same harnesses for
# 2 s each.
#   benches/fuzz.sh [SECONDS] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-1800}"
iterations="${2:-10000000}"
export PATCHDECK_FUZZ_SECS="$secs" PATCHDECK_FUZZ_ITERATIONS="$iterations"
# A hang inside one input never returns to the engine's clock: the outer timeout catches it.
limit=$((secs * 8 + 600))
run() {
  timeout "$limit" nice -n 19 cargo test --release -p "$1" --test "$2" -- --test-threads=1 --nocapture 2>&1 \
    | grep -oE 'fuzz [a-z_]+: .*|panicked.*|test result.*'
}
run wsus fuzz
run site fuzz_export
