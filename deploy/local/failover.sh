#!/usr/bin/env bash
# The fault suite on the real local stack: a fault hits the live job in the middle of a reboot
# wave, and the committed alerts must still be exactly those of an uninterrupted offline run of
# the same events: none lost, none twice.
#
#   deploy/local/failover.sh [CASE]      CASE: taskmanager (the default), broker, savepoint,
#                                        last-state, or all (each case in turn, on a stack of its own)
#
#   taskmanager  a TaskManager running the job is killed (kill -9); the job restarts from its last
#                checkpoint on the TaskManagers left
#   broker       the Kafka broker is killed (kill -9) for FAILOVER_BROKER_DOWN seconds, then started
#                again on its data; the job and the replay ride the outage out by themselves
#   savepoint    an upgrade: the job is stopped with a savepoint and the jar submitted again from it
#   last-state   the Kubernetes operator's last-state upgrade: the job is cancelled and the jar
#                submitted again from its last retained checkpoint
#
# What it does, on a stack of its own (temporary state folder, free ports: it never touches a
# developer's stack):
#   1. 'stack.sh up' starts the stack in the background while 2. the reference is computed: the
#      scenario's events written by 'stampede simulate' and run through the pipeline offline by
#      'stampede backtest' (its alerts.jsonl);
#   3. the job jar is submitted (io.stampede.StampedeJob, parallelism 2, checkpoints every 2 s,
#      reading from the earliest offsets);
#   4. 'stampede replay' plays the scenario into the input topics at FAILOVER_SPEED;
#   5. once the first alert is committed, the fault. Recovery is timed from the fault (for the
#      broker, from the broker answering again) until: every task runs again (Flink REST); the
#      first output is committed after it; the job has caught up (its consumer group lag, which
#      moves at checkpoints, is back at most where it was before the fault; polled every ~2 s);
#   6. when the replay is done and the job has consumed everything (consumer group lag 0), the
#      input stays silent for FAILOVER_SILENCE seconds, longer than the job's input.idleness (as in
#      a collector outage: nothing past the last event may be judged meanwhile), then the job is
#      stopped with a drained savepoint (the watermark passes the end, the last alerts resolve);
#   7. the committed alerts (read_committed) are compared with the reference: every dedupKey and
#      sequence exactly once, every line identical.
# Prints the recovery times and PASS or FAIL; exits 1 on failure, with the reason, also when it
# takes longer than FAILOVER_TIMEOUT in all. The stack is always stopped and
# its state deleted (FAILOVER_KEEP=1 keeps the state folder and logs for a look).
#
# It uses jobs/target/stampede.jar as it is (built by 'mvn verify' or './stampede'), and builds it
# only when it is missing. Environment (defaults in brackets):
#   STAMPEDE_JAR        the job jar [<repo>/jobs/target/stampede.jar]
#   FAILOVER_FROM_JAR   savepoint and last-state cases: the jar the job runs before the fault, e.g.
#                       the release in production, so that the case checks the upgrade from it to
#                       STAMPEDE_JAR (state restored across the versions) [STAMPEDE_JAR]
#   FAILOVER_SCENARIO   simulator scenario [update-wave]
#   FAILOVER_DEVICES    fleet size [30000]
#   FAILOVER_SEED       seed [21]
#   FAILOVER_SPEED      replay speed [50x: the 150 min of update-wave in 3 min, the wave in its last
#                       40 s, so that the kill lands while the replay still runs]
#   FAILOVER_KEEP       1: keep the state folder (logs, checkpoints) instead of deleting it [0]
#   FAILOVER_TIMEOUT    seconds before the whole run (of one case) gives up [540]
#   FAILOVER_BROKER_DOWN  seconds the broker stays down in the broker case [45]
#   FAILOVER_SILENCE    seconds the input stays silent before the drained stop [40: longer than the
#                       job's input.idleness, 30 s]
#   KAFKA_PORT, KAFKA_CONTROLLER_PORT, FLINK_REST_PORT, FLINK_RPC_PORT, FLINK_PROM_PORTS
#                       ports of the test stack [a free block picked at random]
# shellcheck disable=SC2317 # functions called through 'await' and the EXIT trap
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
STACK="$SCRIPT_DIR/stack.sh"
JAR="${STAMPEDE_JAR:-$REPO_ROOT/jobs/target/stampede.jar}"
FROM_JAR="${FAILOVER_FROM_JAR:-$JAR}"

CASES=(taskmanager broker savepoint last-state)
CASE="${1:-taskmanager}"
case "$CASE" in
  taskmanager | broker | savepoint | last-state) ;;
  all)
    # Each case on a stack of its own, one after the other; the summary names the ones that failed.
    failed=()
    for c in "${CASES[@]}"; do
      "${BASH_SOURCE[0]}" "$c" || failed+=("$c")
    done
    if ((${#failed[@]} == 0)); then
      echo "failover: all ${#CASES[@]} cases passed: ${CASES[*]}"
      exit 0
    fi
    echo "failover: FAIL: ${#failed[@]} of ${#CASES[@]} cases failed: ${failed[*]}" >&2
    exit 1
    ;;
  -h | --help)
    # The comment at the top, whole.
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep -v '^# shellcheck\|^set -euo' | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "failover: unknown case '$CASE'; the cases are ${CASES[*]} and all" >&2
    exit 2
    ;;
esac

SCENARIO="${FAILOVER_SCENARIO:-update-wave}"
DEVICES="${FAILOVER_DEVICES:-30000}"
SEED="${FAILOVER_SEED:-21}"
SPEED="${FAILOVER_SPEED:-50x}"
KEEP="${FAILOVER_KEEP:-0}"
TIMEOUT="${FAILOVER_TIMEOUT:-540}"
BROKER_DOWN="${FAILOVER_BROKER_DOWN:-45}"
[[ "$BROKER_DOWN" =~ ^[1-9][0-9]*$ ]] || { echo "failover: FAILOVER_BROKER_DOWN must be a number of seconds" >&2; exit 2; }
SILENCE="${FAILOVER_SILENCE:-40}"
[[ "$SILENCE" =~ ^[0-9]+$ ]] || { echo "failover: FAILOVER_SILENCE must be a number of seconds" >&2; exit 2; }
GROUP=stampede-failover
PARALLELISM=2

HOST=127.0.0.1
T0="$(date +%s.%N)"

log() { printf 'failover: %s\n' "$*"; }
fail() { printf 'failover: FAIL: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="${2:-$(now)}" 'BEGIN { printf "%.1f", e - s }'; }

# ---------------------------------------------------------------------------------------------
# A stack of our own: temporary state folder, a block of free ports
# ---------------------------------------------------------------------------------------------

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Whether any socket has local port $1: listening (port_open sees those) or the local end of a
# connection (only 'ss' sees those; a listener cannot bind such a port either).
port_taken() {
  port_open "$1" && return 0
  command -v ss >/dev/null && [[ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]]
}

# The lowest port the kernel hands out to outgoing connections: blocks are picked below it, where
# no client socket of this or another test can take one of them between the pick and the bind.
ephemeral_low() {
  local low
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  printf '%s\n' "$low"
}

# True while background process $1 runs (an exited child stays a zombie until waited for: not alive).
alive() { kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]; }

pick_ports() {
  if [[ -n "${KAFKA_PORT:-}" || -n "${FLINK_REST_PORT:-}" ]]; then
    : "${KAFKA_PORT:?set KAFKA_PORT too}" "${FLINK_REST_PORT:?set FLINK_REST_PORT too}"
    KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
    FLINK_RPC_PORT="${FLINK_RPC_PORT:-$((FLINK_REST_PORT + 1))}"
    FLINK_PROM_PORTS="${FLINK_PROM_PORTS:-$((FLINK_REST_PORT + 2))-$((FLINK_REST_PORT + 13))}"
    return 0
  fi
  local attempt base p busy blocks
  blocks=$((($(ephemeral_low) - 20000) / 16))
  ((blocks > 0)) || blocks=1
  for ((attempt = 0; attempt < 30; attempt++)); do
    base=$((20000 + RANDOM % blocks * 16)) # a block of 16 ports from 20000, below the ephemeral range
    busy=0
    for ((p = base; p < base + 16; p++)); do
      port_taken "$p" && { busy=1; break; }
    done
    ((busy == 0)) || continue
    KAFKA_PORT=$base KAFKA_CONTROLLER_PORT=$((base + 1)) FLINK_REST_PORT=$((base + 2)) FLINK_RPC_PORT=$((base + 3))
    FLINK_PROM_PORTS="$((base + 4))-$((base + 15))"
    return 0
  done
  fail "found no block of 16 free ports; set KAFKA_PORT and FLINK_REST_PORT"
}

pick_ports
# The stack's own defaults for the rest (topic names, two TaskManagers of two slots), whatever the caller's environment says.
unset TOPIC_LOGIN_EVENTS TOPIC_TELEMETRY_EVENTS TOPIC_ALERTS TOPIC_THROTTLE_DIRECTIVES TOPIC_SCALING_SIGNALS \
  TOPIC_DEAD_LETTERS FLINK_TASKMANAGERS FLINK_SLOTS_PER_TM
export KAFKA_PORT KAFKA_CONTROLLER_PORT FLINK_REST_PORT FLINK_RPC_PORT FLINK_PROM_PORTS
export STAMPEDE_LOCAL_DIR
STAMPEDE_LOCAL_DIR="$(mktemp -d -t stampede-failover.XXXXXX)"
WORK="$STAMPEDE_LOCAL_DIR/failover" # reference run, replay and tail outputs
mkdir -p "$WORK"
export FLINK_PARALLELISM=$PARALLELISM
# The scenario is dated (2026-11-24) and its records may carry their event time: with the broker's
# default retention (7 days from record timestamps) the test would depend on the day it runs.
export KAFKA_RETENTION_MS=-1
export STOP_TIMEOUT=15
REST="http://$HOST:$FLINK_REST_PORT"
BOOTSTRAP="$HOST:$KAFKA_PORT"

BACKGROUND=() # pids of the replay, the output watchers and the watchdog
STACK_STARTED=0
RESULT=1

cleanup() {
  local pid
  for pid in "${BACKGROUND[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if ((STACK_STARTED)); then
    if ((RESULT != 0)) && [[ -f "$STAMPEDE_LOCAL_DIR/logs/jobmanager.log" ]]; then
      printf -- '--- last JobManager log lines ---\n' >&2
      grep -E ' (WARN|ERROR) ' "$STAMPEDE_LOCAL_DIR/logs/jobmanager.log" | tail -n 15 >&2 || true
      printf -- '---\n' >&2
    fi
    "$STACK" down >/dev/null 2>&1 || "$STACK" down || true
  fi
  if [[ "$KEEP" == 1 ]]; then
    log "kept the state folder: $STAMPEDE_LOCAL_DIR"
  else
    rm -rf "$STAMPEDE_LOCAL_DIR"
  fi
  log "took $(since "$T0") s in all"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# The watchdog: a run that hangs somewhere fails with the reason instead of blocking CI.
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || fail "FAILOVER_TIMEOUT must be a number of seconds (got '$TIMEOUT')"
trap 'fail "gave up after $TIMEOUT s in all (FAILOVER_TIMEOUT); what it was waiting for is in the log above"' USR1
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$TIMEOUT" &
  sleeper=$!
  wait "$sleeper" && kill -USR1 $$
) &
BACKGROUND+=("$!")

# The command line, as a plain command (not a function) so that "$!" of a background run is the JVM.
STAMPEDE=(java -XX:TieredStopAtLevel=1 -jar "$JAR")

KAFKA_ARGS=(--set "kafka.bootstrapServers=$BOOTSTRAP" --set "kafka.groupId=$GROUP")
JOB_ARGS=("${KAFKA_ARGS[@]}" --set kafka.startFrom=earliest --set job.checkpointInterval=2s
  --set "job.parallelism=$PARALLELISM")

# ---------------------------------------------------------------------------------------------
# Flink REST (curl) and the few JSON fields we need (grep: the answers are flat enough)
# ---------------------------------------------------------------------------------------------

command -v curl >/dev/null || fail "curl is needed for Flink's REST API"
http_get() { curl -sf --max-time 5 "$1"; }

job_state() { # JOB: RUNNING, FINISHED, ...
  http_get "$REST/jobs/$1" | { grep -o '"state":"[A-Z]*"' || true; } | head -n 1 | cut -d'"' -f4
}

# True when the job is RUNNING and every subtask of every vertex is RUNNING (a job can be RUNNING
# while its tasks are still being deployed or restarted region by region).
all_tasks_running() { # JOB
  local body blocks
  body="$(http_get "$REST/jobs/$1")" || return 1
  grep -q '"state":"RUNNING"' <<<"$body" || return 1
  blocks="$({ grep -o '"tasks":{[^}]*}' || true; } <<<"$body")"
  [[ -n "$blocks" ]] || return 1
  # shellcheck disable=SC2001 # one line per vertex: sed reads them all
  ! sed 's/"RUNNING":[0-9]*//' <<<"$blocks" | grep -q '":[1-9]'
}

await() { # SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s until it succeeds
  local limit="$1" what="$2" deadline
  shift 2
  deadline=$(($(date +%s) + limit))
  until "$@"; do
    (($(date +%s) < deadline)) || fail "$what did not happen within $limit s"
    sleep 0.2
  done
}

# Sum of the consumer group's lag over the input topics; nothing when Kafka has no answer yet.
group_lag() {
  java -XX:TieredStopAtLevel=1 -cp "$(<"$STAMPEDE_LOCAL_DIR/kafka.classpath")" \
    org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$BOOTSTRAP" \
    --describe --group "$GROUP" 2>/dev/null |
    awk '$2 == "login-events" || $2 == "telemetry-events" {
           seen++; lag += ($4 == "-") ? $5 : $6
         }
         END { if (seen == 6) print lag }'
}

consumed_everything() { [[ "$(group_lag)" == 0 ]]; }

# ---------------------------------------------------------------------------------------------
# 1. The stack starting (in the background) while 2. the reference is computed
# ---------------------------------------------------------------------------------------------

if [[ ! -f "$JAR" ]]; then
  [[ -z "${STAMPEDE_JAR:-}" ]] || fail "STAMPEDE_JAR=$JAR does not exist"
  command -v mvn >/dev/null || fail "$JAR is missing and Maven is not there to build it"
  log "building $JAR (it is missing)"
  (cd "$REPO_ROOT" && mvn -B -q -DskipTests install) || fail "the build of $JAR failed"
fi
if [[ "$FROM_JAR" != "$JAR" ]]; then
  [[ -f "$FROM_JAR" ]] || fail "FAILOVER_FROM_JAR=$FROM_JAR does not exist"
  [[ "$CASE" == savepoint || "$CASE" == last-state ]] ||
    fail "FAILOVER_FROM_JAR goes with the savepoint and last-state cases (an upgrade), not with $CASE"
  log "upgrade: the job starts from $FROM_JAR and is submitted again from $JAR"
fi
log "jar $JAR; stack state in $STAMPEDE_LOCAL_DIR; Kafka $BOOTSTRAP, Flink $REST"
log "case $CASE: scenario $SCENARIO, $DEVICES devices, seed $SEED, replayed at $SPEED"

# stack.sh starts its JVMs detached and 'down' stops them, also when 'up' is interrupted.
STACK_STARTED=1
"$STACK" up >"$WORK/stack-up.log" 2>&1 &
STACK_UP_PID=$!
BACKGROUND+=("$STACK_UP_PID")

"${STAMPEDE[@]}" simulate --scenario "$SCENARIO" --devices "$DEVICES" --seed "$SEED" --out "$WORK/events" \
  >"$WORK/simulate.log" 2>&1 || { cat "$WORK/simulate.log" >&2; fail "stampede simulate failed"; }
"${STAMPEDE[@]}" backtest --logins "$WORK/events/login-events.jsonl" --telemetry "$WORK/events/telemetry-events.jsonl" \
  --out "$WORK/reference" >"$WORK/backtest.log" 2>&1 || { cat "$WORK/backtest.log" >&2; fail "stampede backtest failed"; }
EXPECTED="$WORK/reference/alerts.jsonl"
[[ -s "$EXPECTED" ]] || fail "the reference run wrote no alerts ($EXPECTED); nothing to compare"
log "reference: $(wc -l <"$EXPECTED") alert states from the offline run ($(since "$T0") s)"

wait "$STACK_UP_PID" || { tail -n 30 "$WORK/stack-up.log" >&2; fail "stack.sh up failed"; }
log "stack up ($(since "$T0") s)"

# ---------------------------------------------------------------------------------------------
# 3. The job
# ---------------------------------------------------------------------------------------------

JOB="$("$STACK" submit "$FROM_JAR" io.stampede.StampedeJob "${JOB_ARGS[@]}" 2>"$WORK/submit.log" | tail -n 1)" ||
  { cat "$WORK/submit.log" >&2; fail "the job could not be submitted"; }
[[ "$JOB" =~ ^[0-9a-f]{32}$ ]] || { cat "$WORK/submit.log" >&2; fail "no job id from stack.sh submit (got '$JOB')"; }
await 120 "all tasks of job $JOB running" all_tasks_running "$JOB"
log "job $JOB running, parallelism $PARALLELISM"

# ---------------------------------------------------------------------------------------------
# 4. The replay, and 5. the fault once the first alert is committed
# ---------------------------------------------------------------------------------------------

t_replay="$(now)"
# The replay rides out a broker outage (it waits up to its --outage-timeout, 10 minutes, for Kafka).
"${STAMPEDE[@]}" replay --scenario "$SCENARIO" --devices "$DEVICES" --seed "$SEED" --speed "$SPEED" "${KAFKA_ARGS[@]}" \
  >"$WORK/replay.log" 2>&1 &
REPLAY_PID=$!
BACKGROUND+=("$REPLAY_PID")

# Every output record committed from now on (the job commits its outputs at checkpoints, so a
# record is visible only once a checkpoint after it has completed).
OUTPUTS="$WORK/outputs.jsonl"
"${STAMPEDE[@]}" tail --directives --signals --dead-letters --json "${KAFKA_ARGS[@]}" >"$OUTPUTS" 2>"$WORK/watch.err" &
BACKGROUND+=("$!")
outputs_seen() { wc -l <"$OUTPUTS"; }

# The first committed alert (read_committed); the wait ends early when the replay ends first.
"${STAMPEDE[@]}" tail --from-beginning --max 1 "${KAFKA_ARGS[@]}" >"$WORK/first-alert.txt" 2>"$WORK/first-alert.err" &
FIRST_PID=$!
BACKGROUND+=("$FIRST_PID")
first_alert() {
  [[ -s "$WORK/first-alert.txt" ]] && return 0
  if ! alive "$REPLAY_PID"; then
    cat "$WORK/replay.log" >&2
    fail "the replay ended before the first alert was committed (on a slow machine, lower FAILOVER_SPEED)"
  fi
  alive "$FIRST_PID" || { cat "$WORK/first-alert.err" >&2; fail "stampede tail stopped"; }
  return 1
}
await 300 "the first committed alert" first_alert
log "first committed alert $(since "$t_replay") s into the replay:"
cat "$WORK/first-alert.txt"

await 60 "the output watcher starting" grep -q 'reading' "$WORK/watch.err"
BEFORE_FAULT="$("${STAMPEDE[@]}" tail --from-beginning --json --to-end "${KAFKA_ARGS[@]}" 2>"$WORK/count.err" | wc -l)" ||
  { cat "$WORK/count.err" >&2; fail "the committed alerts could not be counted"; }
LAG_BEFORE="$(group_lag)"
[[ -n "$LAG_BEFORE" ]] || fail "the consumer group lag of $GROUP could not be read before the fault"
if alive "$REPLAY_PID"; then REPLAY_AT_FAULT="the replay still running"; else REPLAY_AT_FAULT="the replay already done"; fi
log "$BEFORE_FAULT of the $(wc -l <"$EXPECTED") expected alert states were committed before the fault, with $REPLAY_AT_FAULT"
((BEFORE_FAULT < $(wc -l <"$EXPECTED"))) ||
  fail "every expected alert was committed before the fault: it did not land mid-wave (lower FAILOVER_SPEED)"

# Recovery, timed from the fault (t_fault) until: every task of job $JOB runs again (Flink REST);
# the first output is committed after that; the job has caught up (its consumer group lag, which
# moves at checkpoints, is back at most where it was before the fault; polled every ~2 s).
more_outputs() { (($(outputs_seen) > seen_before)); }
output_or_idle() { more_outputs || { ! alive "$REPLAY_PID" && consumed_everything; }; }
caught_up() { local lag; lag="$(group_lag)"; [[ -n "$lag" ]] && ((lag <= LAG_BEFORE)); }
measure_recovery() {
  await 180 "job $JOB running again" all_tasks_running "$JOB"
  RECOVERED="$(since "$t_fault")"
  log "all tasks of job $JOB running $RECOVERED s after the fault"
  # Without input left to process there may be no output until the drained stop: then it is not measured.
  seen_before="$(outputs_seen)"
  await 180 "a committed output after the recovery" output_or_idle
  if more_outputs; then
    FIRST_OUTPUT="$(since "$t_fault") s"
    log "first committed output $FIRST_OUTPUT after the fault"
  else
    FIRST_OUTPUT="not measured (the input was consumed before the recovery produced output; lower FAILOVER_SPEED)"
    log "no committed output after the recovery before the end of the input: not measured"
  fi
  await 180 "the job catching up (consumer group lag back to $LAG_BEFORE or less)" caught_up
  CAUGHT_UP="$(since "$t_fault")"
  log "caught up $CAUGHT_UP s after the fault (consumer group lag at most the $LAG_BEFORE records it was before)"
}

# A savepoint (stop-with-savepoint) or checkpoint operation's end; prints its location.
savepoint_location() { # JOB REQUEST
  local status
  status="$(http_get "$REST/jobs/$1/savepoints/$2")" || return 1
  if grep -q '"failure-cause"' <<<"$status"; then
    fail "the stop-with-savepoint of job $1 failed: $(grep -o '"failure-cause":{[^}]*' <<<"$status" | head -c 600)"
  fi
  grep -q '"id":"COMPLETED"' <<<"$status" || return 1
  grep -o '"location":"[^"]*"' <<<"$status" | head -n 1 | cut -d'"' -f4
}
stop_with_savepoint() { # JOB DRAIN: prints the savepoint's location once the job has stopped
  local answer request location
  answer="$(curl -sS --max-time 30 -H 'Content-Type: application/json' -X POST --data "{\"drain\":$2}" \
    "$REST/jobs/$1/stop")" || fail "POST $REST/jobs/$1/stop failed"
  request="$(grep -o '"request-id":"[^"]*"' <<<"$answer" | cut -d'"' -f4)"
  [[ -n "$request" ]] || fail "stop-with-savepoint of job $1 was refused: $answer"
  local deadline=$(($(date +%s) + 120))
  until location="$(savepoint_location "$1" "$request")"; do
    (($(date +%s) < deadline)) || fail "the stop-with-savepoint of job $1 did not complete within 120 s"
    sleep 0.2
  done
  printf '%s\n' "$location"
}
job_in_state() { [[ "$(job_state "$1")" == "$2" ]]; } # JOB STATE

resubmit_from() { # PATH: the same jar and arguments again, started from a savepoint or retained checkpoint
  local job
  job="$(FLINK_RESTORE_FROM="$1" "$STACK" submit "$JAR" io.stampede.StampedeJob "${JOB_ARGS[@]}" \
    2>"$WORK/resubmit.log" | tail -n 1)" || { cat "$WORK/resubmit.log" >&2; fail "the job could not be submitted from $1"; }
  [[ "$job" =~ ^[0-9a-f]{32}$ ]] || { cat "$WORK/resubmit.log" >&2; fail "no job id from stack.sh submit (got '$job')"; }
  printf '%s\n' "$job"
}

fault_taskmanager() {
  "$STACK" kill-taskmanager >"$WORK/kill.log" 2>&1 || { cat "$WORK/kill.log" >&2; fail "kill-taskmanager failed"; }
  # Timed from here: the kill -9 is the last thing the command does, after about 2 s of REST
  # lookups (which TaskManager runs the job) that are not part of the recovery.
  t_fault="$(now)"
  local killed
  killed="$(grep -o 'TaskManager tm-[0-9]*' "$WORK/kill.log" | head -n 1 | cut -d- -f2)"
  log "$(grep 'killed' "$WORK/kill.log" | sed 's/^stack: //')"
  # The JobManager notices the loss by a missed heartbeat; until then the job still looks healthy.
  some_task_down() { ! all_tasks_running "$JOB"; }
  await 60 "the JobManager noticing the lost TaskManager" some_task_down
  log "failure noticed after $(since "$t_fault") s"
  measure_recovery
  if [[ -n "$killed" ]]; then
    "$STACK" start-taskmanager "$killed" >"$WORK/restart-tm.log" 2>&1 ||
      { cat "$WORK/restart-tm.log" >&2; fail "tm-$killed could not be started again"; }
    log "tm-$killed started again"
  fi
}

fault_broker() {
  "$STACK" kill-broker >"$WORK/kill.log" 2>&1 || { cat "$WORK/kill.log" >&2; fail "kill-broker failed"; }
  local t_kill; t_kill="$(now)"
  log "$(sed 's/^stack: //' "$WORK/kill.log" | head -n 1); down for $BROKER_DOWN s"
  sleep "$BROKER_DOWN"
  "$STACK" start-broker >"$WORK/start-broker.log" 2>&1 ||
    { cat "$WORK/start-broker.log" >&2; fail "the broker could not be started again"; }
  # Timed from the broker answering again: while it is down no job can make progress.
  t_fault="$(now)"
  log "broker back $(since "$t_kill") s after the kill"
  measure_recovery
}

fault_savepoint() {
  t_fault="$(now)"
  local savepoint
  savepoint="$(stop_with_savepoint "$JOB" false)"
  await 60 "job $JOB finishing" job_in_state "$JOB" FINISHED
  log "job $JOB stopped with savepoint $savepoint after $(since "$t_fault") s; submitting the jar again from it"
  JOB="$(resubmit_from "$savepoint")"
  log "job $JOB submitted from the savepoint"
  measure_recovery
}

fault_last_state() {
  t_fault="$(now)"
  curl -sS --max-time 30 -X PATCH "$REST/jobs/$JOB?mode=cancel" >/dev/null || fail "PATCH $REST/jobs/$JOB?mode=cancel failed"
  await 60 "job $JOB cancelled" job_in_state "$JOB" CANCELED
  local checkpoints path
  checkpoints="$(http_get "$REST/jobs/$JOB/checkpoints")" || fail "the checkpoints of job $JOB could not be read"
  # The first path is the latest completed checkpoint's ("latest" comes before "history").
  path="$({ grep -o '"external_path":"[^"]*"' || true; } <<<"$checkpoints" | head -n 1 | cut -d'"' -f4)"
  [[ -n "$path" && "$path" != "<checkpoint-not-externally-addressable>" ]] ||
    fail "job $JOB has no retained checkpoint to restore from: $(head -c 600 <<<"$checkpoints")"
  log "job $JOB cancelled after $(since "$t_fault") s; its last checkpoint $path is retained; submitting the jar again from it"
  JOB="$(resubmit_from "$path")"
  log "job $JOB submitted from the retained checkpoint"
  measure_recovery
}

"fault_${CASE//-/_}"

# ---------------------------------------------------------------------------------------------
# 6. The end of the input, then a drained stop
# ---------------------------------------------------------------------------------------------

wait "$REPLAY_PID" || { cat "$WORK/replay.log" >&2; fail "the replay failed"; }
REPLAY_SUMMARY="$(grep -E '^(Published|Stopped)' "$WORK/replay.log" | tail -n 1)"
log "replay done: $REPLAY_SUMMARY"

await 180 "the job consuming every input record (consumer group $GROUP lag 0)" consumed_everything
log "the job has consumed every input record"
if ((SILENCE > 0)); then
  log "the input stays silent for $SILENCE s (past input.idleness) before the drained stop"
  sleep "$SILENCE"
fi

stop_with_savepoint "$JOB" true >/dev/null
await 60 "job $JOB finishing" job_in_state "$JOB" FINISHED
log "job stopped with a drained savepoint"

# ---------------------------------------------------------------------------------------------
# 7. Committed alerts against the reference
# ---------------------------------------------------------------------------------------------

ACTUAL="$WORK/committed-alerts.jsonl"
"${STAMPEDE[@]}" tail --from-beginning --json --to-end "${KAFKA_ARGS[@]}" >"$ACTUAL" 2>"$WORK/read-alerts.err" ||
  { cat "$WORK/read-alerts.err" >&2; fail "the committed alerts could not be read"; }

keys() { sed -E 's/.*"dedupKey":"([^"]*)".*"sequence":([0-9]+).*/\1 #\2/' "$1" | sort; }
keys "$EXPECTED" >"$WORK/expected.keys"
keys "$ACTUAL" >"$WORK/actual.keys"
duplicates="$(uniq -d "$WORK/actual.keys")"
missing="$(comm -23 "$WORK/expected.keys" <(sort -u "$WORK/actual.keys"))"
unexpected="$(comm -13 <(sort -u "$WORK/expected.keys") <(sort -u "$WORK/actual.keys"))"
different="$(comm -3 <(sort "$EXPECTED") <(sort "$ACTUAL") | wc -l)"

count() { if [[ -z "$1" ]]; then echo 0; else wc -l <<<"$1"; fi; }
show() { # WHAT LINES
  local line
  [[ -z "$2" ]] || while IFS= read -r line; do printf '  %s: %s\n' "$1" "$line"; done <<<"$2" | head -n 20
}
log "alerts: $(wc -l <"$EXPECTED") expected, $(wc -l <"$ACTUAL") committed; $(count "$missing") missing," \
  "$(count "$duplicates") duplicated, $(count "$unexpected") unexpected, $different lines differing"
show missing "$missing"
show duplicated "$duplicates"
show unexpected "$unexpected"

echo
echo "recovery ($CASE): job running again in $RECOVERED s, first committed output in $FIRST_OUTPUT," \
  "caught up in $CAUGHT_UP s"
echo "replay: $REPLAY_SUMMARY"
if [[ -z "$missing$duplicates$unexpected" && "$different" == 0 ]]; then
  RESULT=0
  echo "PASS ($CASE): every alert of the reference committed exactly once across the fault"
else
  echo "FAIL ($CASE): the committed alerts differ from the reference (details above; FAILOVER_KEEP=1 keeps them)"
fi
exit "$RESULT"
