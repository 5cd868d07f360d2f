#!/usr/bin/env bash
# Issue 12's client benchmark (docs/BENCHMARKS.md): simulated Windows Update Agents against
# `patchdeck serve --clients-listen`. Numbers, not a gate: never run by CI.
#
#   benches/clients.sh                      # the defaults below
#   COUNT=5000 CHUNK=1000 benches/clients.sh
#
# What it does:
#   1. builds the release `patchdeck` (cargo build --release -p server);
#   2. makes a site in $WORK with `gen-catalog --count $CATALOG --seed 1 --import`, and
#      offers every product and classification of it (set_offered_categories), so each
#      simulated computer is offered the software of the products it has (half of them, by
#      the simulator's profile) and finds 70% of that applicable;
#   3. starts `patchdeck serve --clients-listen` and samples, every $SAMPLE_SECS seconds,
#      the server's VmRSS and VmHWM (/proc/<pid>/status), the database and WAL sizes and
#      the load average into $WORK/samples$SUFFIX.tsv;
#   4. (a) first scans: $COUNT computers in chunks of $CHUNK (chunk k is `--seed k`, so every
#      chunk is new computers), each a `simulate-clients` run: registration, the full
#      SyncUpdates walk, GetExtendedUpdateInfo, the report; after each chunk the
#      update_states / client_events / computers rows and the database size are recorded
#      in $WORK/chunks$SUFFIX.tsv;
#      (b) steady state: `simulate-clients --duration $RESCAN_DURATION --rescan-interval
#      $RESCAN_INTERVAL` over the first $RESCAN_COUNT computers of seed 1 (already
#      registered: they rescan against a database holding all $COUNT computers);
#   5. dbstat: bytes of update_states (table + its index) per row, at the end.
#
# No update is approved (APPROVE=1 approves the security updates Required for All
# Computers and puts their generated content in the library; then computers download, and
# with INSTALL=1 install). Without approvals no file is downloaded: the scan-rate figures.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/patchdeck
WORK=${WORK:-/tmp/patchdeck-bench-clients}
CATALOG=${CATALOG:-6000}
COUNT=${COUNT:-20000}
CHUNK=${CHUNK:-2500}
CONCURRENCY=${CONCURRENCY:-32}
RESCAN_COUNT=${RESCAN_COUNT:-2000}
RESCAN_DURATION=${RESCAN_DURATION:-180s}
RESCAN_INTERVAL=${RESCAN_INTERVAL:-60}
SAMPLE_SECS=${SAMPLE_SECS:-5}
# Stop starting first-scan chunks after this many seconds (0: no limit); the steady state
# still runs, over the computers registered by then.
MAX_FIRST_SECS=${MAX_FIRST_SECS:-0}
APPROVE=${APPROVE:-0}
INSTALL=${INSTALL:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
# STEADY_ONLY=1: keep the site a previous run left in $WORK (catalog and registered
# computers) and run only the steady state against it, e.g. again on a quieter machine.
STEADY_ONLY=${STEADY_ONLY:-0}
API_PORT=${API_PORT:-18470}
CLIENT_PORT=${CLIENT_PORT:-18530}

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$WORK/run.log" >&2; }

if [ "$SKIP_BUILD" != 1 ]; then
    (cd "$ROOT" && nice cargo build --release -p server)
fi
SITE=$WORK/site
DB=$SITE/site.db
# Each steady-only run writes its own files beside the first run's.
SUFFIX=
[ "$STEADY_ONLY" = 1 ] && SUFFIX=-steady-$(date -u +%H%M%S)
if [ "$STEADY_ONLY" = 1 ]; then
    [ -f "$DB" ] || { echo "STEADY_ONLY=1 needs the site of a previous run in $WORK" >&2; exit 1; }
else
    rm -rf "$WORK"
    mkdir -p "$WORK"
fi
log "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$STEADY_ONLY" != 1 ]; then
    log "catalog: gen-catalog --count $CATALOG --seed 1"
    "$BIN" --site "$SITE" gen-catalog --count "$CATALOG" --seed 1 --import >>"$WORK/run.log" 2>&1
fi

"$BIN" --site "$SITE" serve --listen "127.0.0.1:$API_PORT" --clients-listen "127.0.0.1:$CLIENT_PORT" \
    >"$WORK/serve.log" 2>&1 &
SERVE=$!
SAMPLER=
cleanup() {
    [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
    kill "$SERVE" 2>/dev/null || true
    wait "$SERVE" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$API_PORT/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.2
done
TOKEN=$(cat "$SITE/api-token")
api() {
    curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d "$2" "http://127.0.0.1:$API_PORT/api/v1/commands/$1"
}
# Server CPU seconds (user + system) so far, from /proc/<pid>/stat.
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sql() { sqlite3 -cmd '.timeout 60000' "file:$DB?mode=ro" "$@"; }

# Every product and classification offered.
products=$(sql "SELECT json_group_array(category_id) FROM categories WHERE kind = 'Product'")
classes=$(sql "SELECT json_group_array(category_id) FROM categories WHERE kind = 'UpdateClassification'")
[ "$STEADY_ONLY" = 1 ] || api set_offered_categories "{\"productIds\":$products,\"classificationIds\":$classes,\"isDefault\":false}" >/dev/null
log "offered: $(sql "SELECT count(*) FROM categories WHERE kind = 'Product'") products, all classifications"

if [ "$APPROVE" = 1 ] && [ "$STEADY_ONLY" != 1 ]; then
    content=$WORK/content-src
    mkdir -p "$content"
    # The generator's files hold "patchdeck generated content <kb> <i> <size>" (generator.rs).
    python3 - "$DB" "$content" <<'EOF'
import re, sqlite3, sys, os
db, out = sys.argv[1], sys.argv[2]
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
for name, size in c.execute("SELECT DISTINCT file_name, size FROM files"):
    m = re.match(r"windows-kb(\d+)-(\d+)\.", name)
    if m:
        with open(os.path.join(out, name), "w") as f:
            f.write(f"patchdeck generated content {m.group(1)} {int(m.group(2)) - 1} {size}")
EOF
    ids=$(sql "SELECT json_group_array(u.update_id) FROM updates u JOIN categories k ON k.category_id = u.classification_id
               WHERE k.title = 'Security Updates' AND u.declined = 0 AND u.publication_state <> 'Expired' AND u.bundled_only = 0")
    root=$(sql "SELECT group_id FROM target_groups WHERE parent_id IS NULL")
    api approve_updates "{\"updateIds\":$ids,\"approvals\":[{\"groupId\":$root,\"action\":\"Required\",\"deadline\":\"None\"}]}" >/dev/null
    "$BIN" --site "$SITE" download --package bench --from "$content" \
        $(sql "SELECT group_concat('--update ' || value, ' ') FROM json_each('$ids')") >>"$WORK/run.log" 2>&1
    log "approved $(sql "SELECT count(*) FROM json_each('$ids')") security updates Required for All Computers, content downloaded"
fi

PID=$SERVE
printf 't_s\tvmrss_kb\tvmhwm_kb\tdb_bytes\twal_bytes\tload1\tserver_cpu_s\n' >"$WORK/samples$SUFFIX.tsv"
T0=$(date +%s)
(
    while kill -0 "$PID" 2>/dev/null; do
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
        hwm=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(($(date +%s) - T0))" "$rss" "$hwm" \
            "$(stat -c %s "$DB" 2>/dev/null || echo 0)" "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" \
            "$(cut -d' ' -f1 /proc/loadavg)" "$(cpu_s "$PID")" >>"$WORK/samples$SUFFIX.tsv"
        sleep "$SAMPLE_SECS"
    done
) &
SAMPLER=$!

sim() {
    local flags=()
    [ "$INSTALL" = 1 ] && flags+=(--install)
    /usr/bin/time -f 'simulator: %e s wall, %U s user, %S s system, %M kB peak' \
        "$BIN" simulate-clients --server "http://127.0.0.1:$CLIENT_PORT" --concurrency "$CONCURRENCY" "${flags[@]}" "$@"
}
snapshot() { # computers-so-far label
    local states events computers
    states=$(sql "SELECT count(*) FROM update_states")
    events=$(sql "SELECT count(*) FROM client_events")
    computers=$(sql "SELECT count(*) FROM computers")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(date +%s)" "$(cpu_s "$PID")" "$computers" "$states" "$events" \
        "$(stat -c %s "$DB")" "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" \
        "$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")" "$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")" \
        >>"$WORK/chunks$SUFFIX.tsv"
}

printf 'computers_done\tepoch_s\tserver_cpu_s\tcomputers_rows\tupdate_states\tclient_events\tdb_bytes\twal_bytes\tvmrss_kb\tvmhwm_kb\n' >"$WORK/chunks$SUFFIX.tsv"
snapshot 0
done_count=0
k=1
FIRST_T0=$(date +%s)
[ "$STEADY_ONLY" = 1 ] && done_count=$(sql "SELECT count(*) FROM computers")
while [ "$STEADY_ONLY" != 1 ] && [ "$done_count" -lt "$COUNT" ]; do
    if [ "$MAX_FIRST_SECS" -gt 0 ] && [ $(($(date +%s) - FIRST_T0)) -ge "$MAX_FIRST_SECS" ]; then
        log "first scans stopped at $done_count computers: MAX_FIRST_SECS=$MAX_FIRST_SECS reached"
        break
    fi
    n=$((COUNT - done_count < CHUNK ? COUNT - done_count : CHUNK))
    log "first scans: chunk $k, $n computers (seed $k), load $(cut -d' ' -f1 /proc/loadavg)"
    sim --count "$n" --seed "$k" >"$WORK/first-$k.txt" 2>"$WORK/first-$k.err" || log "chunk $k reported failures"
    done_count=$((done_count + n))
    snapshot "$done_count"
    log "$(grep -E 'scans:|latency|events|failures' "$WORK/first-$k.txt" | tr -s ' ' | paste -sd';'); $(grep simulator: "$WORK/first-$k.err")"
    k=$((k + 1))
done

log "steady state: $RESCAN_COUNT computers of seed 1, --duration $RESCAN_DURATION --rescan-interval $RESCAN_INTERVAL, load $(cut -d' ' -f1 /proc/loadavg)"
ev0=$(sql "SELECT count(*) FROM client_events")
sim --count "$RESCAN_COUNT" --seed 1 --duration "$RESCAN_DURATION" --rescan-interval "$RESCAN_INTERVAL" \
    >"$WORK/steady$SUFFIX.txt" 2>"$WORK/steady$SUFFIX.err" || log "steady state reported failures"
ev1=$(sql "SELECT count(*) FROM client_events")
snapshot "$done_count+steady"
log "$(grep -E 'scans:|latency|events' "$WORK/steady$SUFFIX.txt" | tr -s ' ' | paste -sd';'); client_events rows +$((ev1 - ev0))"

kill "$SAMPLER" 2>/dev/null || true
SAMPLER=
kill "$SERVE"
wait "$SERVE" 2>/dev/null || true
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
sqlite3 -header -separator $'\t' "$DB" "
    SELECT name, count(*) AS pages, sum(pgsize) AS bytes, sum(ncell) AS cells,
           round(1.0 * sum(pgsize) / (SELECT count(*) FROM update_states), 1) AS bytes_per_state_row
    FROM dbstat WHERE name IN ('update_states', 'update_states_computer', 'client_events', 'client_events_update', 'computers')
    GROUP BY name;" >"$WORK/dbstat$SUFFIX.tsv"
log "dbstat:"
column -t -s $'\t' "$WORK/dbstat$SUFFIX.tsv" | tee -a "$WORK/run.log" >&2
log "chunks:"
column -t -s $'\t' "$WORK/chunks$SUFFIX.tsv" | tee -a "$WORK/run.log" >&2
log "peak VmHWM $(awk 'NR > 1 && $3 > m {m = $3} END {print m}' "$WORK/samples$SUFFIX.tsv") kB; samples in $WORK/samples$SUFFIX.tsv"
