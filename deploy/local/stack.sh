#!/usr/bin/env bash
# Stampede local stack: one real Kafka broker (KRaft, broker+controller in one JVM) and one real
# Flink 2.2 standalone session cluster (a JobManager and two TaskManagers, one JVM each), all bound
# to 127.0.0.1, run from jars resolved from Maven Central (deploy/local/pom.xml). No Docker.
#
#   deploy/local/stack.sh up                      start what is not running, create the topics, wait
#   deploy/local/stack.sh status                  what runs: pids, Kafka topics, Flink TMs/slots/jobs
#   deploy/local/stack.sh down                    stop everything (SIGTERM, then SIGKILL after a timeout)
#   deploy/local/stack.sh submit JAR CLASS [ARG...]   upload a jar through Flink REST and run it
#   deploy/local/stack.sh kill-taskmanager [N]    kill -9 the TaskManager running the job (or tm-N)
#   deploy/local/stack.sh start-taskmanager N     start TaskManager tm-N (e.g. after kill-taskmanager)
#   deploy/local/stack.sh kill-broker             kill -9 the Kafka broker (its data stays)
#   deploy/local/stack.sh start-broker            start the broker again on its data, and wait for it
#   deploy/local/stack.sh logs                    where the logs are
#   deploy/local/stack.sh clean                   delete data, checkpoints and logs (stack must be down)
#
# Environment (defaults in brackets):
#   STAMPEDE_LOCAL_DIR       state folder: pids, logs, Kafka data, Flink conf, checkpoints [<repo>/.local]
#   KAFKA_PORT               broker listener, 127.0.0.1 [9092]
#   KAFKA_CONTROLLER_PORT    KRaft controller listener, 127.0.0.1 [9093]
#   KAFKA_HEAP_OPTS          broker heap [-Xms256m -Xmx512m]
#   KAFKA_AUTO_CREATE_TOPICS auto.create.topics.enable [false]
#   KAFKA_START_TIMEOUT      seconds to wait for the broker [60]
#   KAFKA_RETENTION_MS       log.retention.ms of the topics, counted from record timestamps; -1: keep all
#                            [604800000, Kafka's default of 7 days]
#   TOPIC_LOGIN_EVENTS [login-events]  TOPIC_TELEMETRY_EVENTS [telemetry-events]  TOPIC_ALERTS [alerts]
#   TOPIC_THROTTLE_DIRECTIVES [throttle-directives, compacted]  TOPIC_SCALING_SIGNALS [scaling-signals]
#   TOPIC_DEAD_LETTERS [dead-letters]  TOPIC_CONTROL [stampede-control, compacted]
#   FLINK_REST_PORT          REST API and web UI, 127.0.0.1 [8081]
#   FLINK_RPC_PORT           JobManager RPC port [6123]
#   FLINK_PROM_PORTS         Prometheus reporter port range, one port per JVM [9249-9260]
#   FLINK_TASKMANAGERS       TaskManagers started by 'up' [2]
#   FLINK_SLOTS_PER_TM       task slots per TaskManager [2]
#   FLINK_JM_MEMORY          jobmanager.memory.process.size [1g]
#   FLINK_TM_MEMORY          taskmanager.memory.process.size [1536m]
#   FLINK_START_TIMEOUT      seconds to wait for the cluster to show all TaskManagers [90]
#   FLINK_PARALLELISM        'submit': job parallelism [the job's own, else parallelism.default = 1]
#   FLINK_RESTORE_FROM       'submit': a savepoint or retained checkpoint to start the job from [none]
#   STOP_TIMEOUT             seconds between SIGTERM and SIGKILL in 'down' [30]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

STATE="${STAMPEDE_LOCAL_DIR:-$REPO_ROOT/.local}"
[[ "$STATE" == /* ]] || STATE="$PWD/$STATE" # the JVMs run in it: paths must not depend on the caller
if [[ "$STATE" =~ [[:space:]] ]]; then
  echo "stack: error: the state folder '$STATE' contains a space; set STAMPEDE_LOCAL_DIR to a path without one" >&2
  exit 1
fi
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_AUTO_CREATE_TOPICS="${KAFKA_AUTO_CREATE_TOPICS:-false}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_RETENTION_MS="${KAFKA_RETENTION_MS:-604800000}"
FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"
FLINK_PROM_PORTS="${FLINK_PROM_PORTS:-9249-9260}"
FLINK_TASKMANAGERS="${FLINK_TASKMANAGERS:-2}"
FLINK_SLOTS_PER_TM="${FLINK_SLOTS_PER_TM:-2}"
FLINK_JM_MEMORY="${FLINK_JM_MEMORY:-1g}"
FLINK_TM_MEMORY="${FLINK_TM_MEMORY:-1536m}"
FLINK_START_TIMEOUT="${FLINK_START_TIMEOUT:-90}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"

# name:partitions[:compact], as KafkaAdmin.java reads them.
TOPICS=(
  "${TOPIC_LOGIN_EVENTS:-login-events}:3"
  "${TOPIC_TELEMETRY_EVENTS:-telemetry-events}:3"
  "${TOPIC_ALERTS:-alerts}:1"
  "${TOPIC_THROTTLE_DIRECTIVES:-throttle-directives}:1:compact"
  "${TOPIC_SCALING_SIGNALS:-scaling-signals}:1"
  "${TOPIC_DEAD_LETTERS:-dead-letters}:1"
  "${TOPIC_CONTROL:-stampede-control}:1:compact"
)

HOST=127.0.0.1
BOOTSTRAP="$HOST:$KAFKA_PORT"
REST="http://$HOST:$FLINK_REST_PORT"

RUN_DIR="$STATE/run"          # <name>.pid (and tm-N.id: the TaskManager's Flink resource id)
LOG_DIR="$STATE/logs"         # <name>.log (the component's log) and <name>.out (its stdout/stderr)
KAFKA_DIR="$STATE/kafka"      # server.properties, log4j2.properties, data/
FLINK_DIR="$STATE/flink"      # conf/, checkpoints/, savepoints/, tmp/, web-uploads/, blobs/
TOOLS_DIR="$STATE/tools"      # KafkaAdmin.class, compiled from deploy/local/KafkaAdmin.java
KAFKA_CP_FILE="$STATE/kafka.classpath"
FLINK_CP_FILE="$STATE/flink.classpath"
# Flink looks for plugins in $FLINK_PLUGINS_DIR (default ./plugins, and a warning when missing).
export FLINK_PLUGINS_DIR="$FLINK_DIR/plugins"

# The JVM options Flink needs on Java 17: flink-dist's default env.java.opts.all (config.yaml of
# Flink 2.x). Flink's shell scripts add them; we start the JVMs ourselves, so we add them here.
FLINK_JAVA17_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# Short-lived helper JVMs (StorageTool, BashJavaUtils, KafkaAdmin) only need to start fast: the C1
# compiler alone and the serial collector save CPU on a small machine. Not used for the servers.
TOOL_JVM_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

log() { printf 'stack: %s\n' "$*"; }
warn() { printf 'stack: warning: %s\n' "$*" >&2; }
die() { printf 'stack: error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with a fraction, for the timings printed by 'up'.
now() { date +%s.%N; }
elapsed_since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

require_java() {
  command -v java >/dev/null || die "java not found: install a Java 17 JDK and put it on PATH"
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')"
  [[ "${major%%.*}" -ge 17 ]] 2>/dev/null || die "Java 17 or newer is needed (found '$major' at $(command -v java))"
}

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp: no extra tool).
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

require_port_free() { # PORT VARIABLE
  if port_open "$1"; then
    die "port $HOST:$1 is already in use by another process; stop it or choose another port with $2=..."
  fi
}

# Every JVM we start carries -Dstampede.stack=<state dir>:<name>, so a pid file whose pid was
# recycled by an unrelated process is never mistaken for ours (and never killed).
marker() { printf -- '-Dstampede.stack=%s:%s' "$STATE" "$1"; }

# The pid of component $1 when it is alive and ours; nothing (and status 1) otherwise.
running_pid() {
  local pid_file="$RUN_DIR/$1.pid" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(<"$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -ww -o args= -p "$pid" 2>/dev/null | grep -qF -- "$(marker "$1") " || return 1
  printf '%s\n' "$pid"
}

# Starts "$@" detached (own session, so a Ctrl-C or a killed caller does not take it down) with
# stdout/stderr in $LOG_DIR/$name.out, and records its pid in $RUN_DIR/$name.pid.
launch() { # NAME COMMAND...
  local name="$1"; shift
  local pid_file="$RUN_DIR/$name.pid" detach=()
  rm -f "$pid_file"
  command -v setsid >/dev/null && detach=(setsid)
  # The inner shell writes its own pid and then becomes the JVM (exec), so the pid is the JVM's
  # even when setsid has to fork. The working directory is the state folder, so nothing lands
  # where the caller happens to be.
  # shellcheck disable=SC2016 # $$ and $@ are for the inner shell
  (cd "$STATE" && exec nohup "${detach[@]}" bash -c 'echo $$ > "$0"; exec "$@"' "$pid_file" "$@" \
    >"$LOG_DIR/$name.out" 2>&1 </dev/null) &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pid_file" ]] && return 0
    sleep 0.1
  done
  die "could not start $name (no pid file after 5 s); see $LOG_DIR/$name.out"
}

# Stops the given components: SIGTERM to all of them, wait up to $STOP_TIMEOUT s, then SIGKILL.
stop_components() { # NAME...
  local name pid names=() pids=()
  for name in "$@"; do
    if pid="$(running_pid "$name")"; then
      log "stopping $name (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      names+=("$name"); pids+=("$pid")
    fi
  done
  local deadline=$((SECONDS + STOP_TIMEOUT)) i alive
  while ((${#pids[@]} > 0)); do
    alive=0
    for i in "${!pids[@]}"; do
      kill -0 "${pids[$i]}" 2>/dev/null && alive=1
    done
    ((alive == 0)) && break
    if ((SECONDS >= deadline)); then
      for i in "${!pids[@]}"; do
        if kill -0 "${pids[$i]}" 2>/dev/null; then
          warn "${names[$i]} (pid ${pids[$i]}) still alive after ${STOP_TIMEOUT}s: SIGKILL"
          kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
      done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  for name in "$@"; do
    rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.id"
  done
}

# Processes of this stack whose pid file is gone (deleted by hand, or this script interrupted
# between launch and pid file), found by their marker: one "NAME PID" line each.
orphans() {
  local pid args name
  # shellcheck disable=SC2009 # pgrep cannot print the command lines portably; we need the names
  while read -r pid args; do
    name="${args#*"$(marker '')"}"; name="${name%% *}"
    [[ -n "$name" ]] || continue
    [[ "$(running_pid "$name")" == "$pid" ]] && continue
    printf '%s %s\n' "$name" "$pid"
  done < <(ps -eww -o pid=,args= | grep -F -- " $(marker '')" | grep -v -F 'grep -F' || true)
}

# Gives orphans their pid file back, so that stop_components can stop them (called by 'down' once
# the processes with pid files are stopped, so no pid file is overwritten).
adopt_orphans() {
  local name pid
  while read -r name pid; do
    warn "found $name (pid $pid) of this stack without a pid file: stopping it too"
    printf '%s\n' "$pid" >"$RUN_DIR/$name.pid"
  done < <(orphans)
}

# Names of the TaskManagers that have a pid file (tm-1, tm-2, ...), sorted by number.
known_taskmanagers() {
  local f
  for f in "$RUN_DIR"/tm-*.pid; do
    [[ -e "$f" ]] && basename "$f" .pid
  done | sort -t- -k2,2n
}

tail_log() { # FILE: the last lines of a log, to show why something did not start
  [[ -f "$1" ]] || return 0
  printf -- '--- last lines of %s ---\n' "$1" >&2
  tail -n 25 "$1" >&2
  printf -- '---\n' >&2
}

# ---------------------------------------------------------------------------------------------
# HTTP and JSON (curl when present, else python3; JSON fields read with grep/sed: Flink's REST
# answers here are flat enough for that)
# ---------------------------------------------------------------------------------------------

have_curl() { command -v curl >/dev/null; }

require_http_client() {
  have_curl || command -v python3 >/dev/null || die "neither curl nor python3 found: install curl"
}

python_http() { # MODE URL [BODY_OR_FILE]: the curl fallback
  python3 - "$@" <<'PY'
import os, sys, urllib.error, urllib.request, uuid
mode, url = sys.argv[1], sys.argv[2]
data, headers = None, {}
if mode == "post-json":
    data, headers = sys.argv[3].encode(), {"Content-Type": "application/json"}
elif mode == "upload":
    boundary = uuid.uuid4().hex
    path = sys.argv[3]
    with open(path, "rb") as f:
        content = f.read()
    data = (f'--{boundary}\r\nContent-Disposition: form-data; name="jarfile"; '
            f'filename="{os.path.basename(path)}"\r\nContent-Type: application/java-archive\r\n\r\n').encode() \
        + content + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
method = {"get": "GET", "delete": "DELETE"}.get(mode, "POST")
req = urllib.request.Request(url, data=data, headers=headers, method=method)
try:
    with urllib.request.urlopen(req, timeout=300 if mode == "upload" else 10) as r:
        sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:  # Flink puts the reason in the body: print it
    sys.stdout.write(e.read().decode())
    sys.exit(0 if mode != "get" else 22)
except Exception as e:
    sys.stderr.write(f"{e}\n")
    sys.exit(7)
PY
}

http_get() { # URL: the body; fails when the server does not answer or answers an error
  if have_curl; then curl -sf --max-time 5 "$1"; else python_http get "$1"; fi
}

http_post_json() { # URL JSON: the body, also for HTTP errors (Flink explains them in the body)
  if have_curl; then
    curl -sS --max-time 120 -H 'Content-Type: application/json' -X POST --data-binary "$2" "$1"
  else
    python_http post-json "$1" "$2"
  fi
}

http_delete() { # URL
  if have_curl; then curl -sS --max-time 10 -o /dev/null -X DELETE "$1"; else python_http delete "$1" >/dev/null; fi
}

http_upload_jar() { # URL FILE
  if have_curl; then
    curl -sS --max-time 300 -X POST -F "jarfile=@$2;type=application/java-archive" "$1"
  else
    python_http upload "$1" "$2"
  fi
}

# Both print nothing (and succeed) when the field is absent: callers test for an empty value.
json_number() { # FIELD < JSON: the first numeric value of "FIELD"
  { grep -o "\"$1\":[0-9]*" || true; } | head -n 1 | cut -d: -f2
}

json_string() { # FIELD < JSON: the first string value of "FIELD"
  { grep -o "\"$1\":\"[^\"]*\"" || true; } | head -n 1 | sed 's/^[^:]*:"\(.*\)"$/\1/'
}

# Flink's error answers carry a Java stack trace in a JSON string: show its message lines only.
flink_errors() { # JSON
  printf '%s\n' "$1" | sed 's/\\n/\n/g; s/\\t/\t/g' | grep -vE $'^\t(at |\\.\\.\\. [0-9]+ more)' | head -n 12
}

json_quote() { # STRING: a JSON string literal
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"; s="${s//$'\r'/\\r}"; s="${s//$'\t'/\\t}"
  printf '"%s"' "$s"
}

# ---------------------------------------------------------------------------------------------
# Class paths and the Kafka admin helper
# ---------------------------------------------------------------------------------------------

# A class path file is stale when missing, older than the POM, or naming a jar that is gone
# (e.g. after ~/.m2 was cleaned).
classpath_stale() { # FILE
  [[ -s "$1" && "$1" -nt "$SCRIPT_DIR/pom.xml" ]] || return 0
  local jar
  while IFS= read -r -d: jar || [[ -n "$jar" ]]; do
    [[ -f "$jar" ]] || return 0
  done <"$1"
  return 1
}

resolve_classpath() { # PROFILE FILE
  classpath_stale "$2" || return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed once to download the $1 jars from Maven Central"
  log "resolving the $1 class path from Maven Central (the first time downloads ~100-200 MB)..."
  local out="$LOG_DIR/mvn-$1.out" t0; t0="$(now)"
  if ! mvn -B -q -f "$SCRIPT_DIR/pom.xml" -P"$1" validate "-Dstampede.local.dir=$STATE" >"$out" 2>&1; then
    tail_log "$out"
    die "Maven could not resolve the $1 class path (full output: $out); is Maven Central reachable?"
  fi
  [[ -s "$2" ]] || die "Maven ran but did not write $2 (output: $out)"
  log "$1 class path ready in $(elapsed_since "$t0") s"
}

# KafkaAdmin.java is compiled once into $TOOLS_DIR (about 1 s saved per call afterwards); without
# javac, the source launcher compiles it on each call.
kafka_admin() { # COMMAND TIMEOUT_S [TOPIC_SPEC...]
  local cp src="$SCRIPT_DIR/KafkaAdmin.java" cmd
  cp="$(<"$KAFKA_CP_FILE")"
  if command -v javac >/dev/null; then
    if [[ ! -f "$TOOLS_DIR/KafkaAdmin.class" || "$src" -nt "$TOOLS_DIR/KafkaAdmin.class" ]]; then
      mkdir -p "$TOOLS_DIR"
      javac -nowarn -d "$TOOLS_DIR" -cp "$cp" "$src" || die "could not compile $src"
    fi
    cmd=(java "${TOOL_JVM_OPTS[@]}" -cp "$TOOLS_DIR:$cp" KafkaAdmin)
  else
    cmd=(java "${TOOL_JVM_OPTS[@]}" -cp "$cp" "$src")
  fi
  "${cmd[@]}" "$1" "$BOOTSTRAP" "${@:2}"
}

# ---------------------------------------------------------------------------------------------
# Kafka
# ---------------------------------------------------------------------------------------------

write_kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Generated by deploy/local/stack.sh on each start; edit the script, not this file.
# One node in combined mode: broker and KRaft controller in the same JVM.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data

# A single node cannot replicate: every internal topic gets replication factor 1, min ISR 1, and
# one partition (50 offsets partitions would only slow the first consumer group down).
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
# Consumer groups start at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=$KAFKA_AUTO_CREATE_TOPICS
num.partitions=1
# Counted from record timestamps: records older than this are deleted at the next check (5 min).
log.retention.ms=$KAFKA_RETENTION_MS
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<'EOF'
# The broker log: $STAMPEDE_LOCAL_DIR/logs/kafka.log (set by -Dkafka.log.file).
status = warn
appender.file.type = RollingFile
appender.file.name = File
appender.file.fileName = ${sys:kafka.log.file}
appender.file.filePattern = ${sys:kafka.log.file}.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 50MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 5
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = File
logger.controller.name = kafka.controller
logger.controller.level = INFO
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = INFO
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
}

# A KRaft cluster id: 16 random bytes in URL-safe base64 without padding (Kafka's Uuid format),
# not starting with '-' (Kafka avoids those as they look like command-line options).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && { printf '%s\n' "$id"; return; }
  done
}

format_kafka_storage() {
  [[ -f "$KAFKA_DIR/data/meta.properties" ]] && return 0
  local cluster_id; cluster_id="$(new_cluster_id)"
  log "formatting KRaft storage in $KAFKA_DIR/data (cluster id $cluster_id)"
  if ! java "${TOOL_JVM_OPTS[@]}" -cp "$(<"$KAFKA_CP_FILE")" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$KAFKA_DIR/server.properties" >"$LOG_DIR/kafka-format.out" 2>&1; then
    tail_log "$LOG_DIR/kafka-format.out"
    die "kafka storage format failed (see $LOG_DIR/kafka-format.out); 'stack.sh clean' starts from empty data"
  fi
}

start_kafka() {
  local pid
  if pid="$(running_pid kafka)"; then
    log "Kafka already running (pid $pid) on $BOOTSTRAP"
    return 0
  fi
  require_port_free "$KAFKA_PORT" KAFKA_PORT
  require_port_free "$KAFKA_CONTROLLER_PORT" KAFKA_CONTROLLER_PORT
  write_kafka_config
  format_kafka_storage
  # shellcheck disable=SC2206 # KAFKA_HEAP_OPTS holds several options on purpose
  local heap=($KAFKA_HEAP_OPTS)
  launch kafka java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    "$(marker kafka)" \
    "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2.properties" \
    "-Dkafka.log.file=$LOG_DIR/kafka.log" \
    -cp "$(<"$KAFKA_CP_FILE")" kafka.Kafka "$KAFKA_DIR/server.properties"
  log "Kafka broker starting (pid $(<"$RUN_DIR/kafka.pid")), log: $LOG_DIR/kafka.log"
}

# Waits until the broker answers on its port (cheap /dev/tcp polls, watching that the JVM is
# still alive), then lets KafkaAdmin check it really answers and create the topics.
await_kafka_and_topics() {
  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until port_open "$KAFKA_PORT"; do
    if ! running_pid kafka >/dev/null; then
      tail_log "$LOG_DIR/kafka.log"; tail_log "$LOG_DIR/kafka.out"
      die "the Kafka broker exited during startup; see $LOG_DIR/kafka.log and $LOG_DIR/kafka.out"
    fi
    if ((SECONDS >= deadline)); then
      tail_log "$LOG_DIR/kafka.log"
      die "Kafka did not open $BOOTSTRAP within ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT); see $LOG_DIR/kafka.log"
    fi
    sleep 0.2
  done
  local remaining=$((deadline - SECONDS)); ((remaining < 5)) && remaining=5
  if ! kafka_admin ensure "$remaining" "${TOPICS[@]}"; then
    tail_log "$LOG_DIR/kafka.log"
    die "Kafka at $BOOTSTRAP is not usable or the topics could not be created; see $LOG_DIR/kafka.log"
  fi
}

# ---------------------------------------------------------------------------------------------
# Flink
# ---------------------------------------------------------------------------------------------

# Writes conf/config.yaml and conf/log4j.properties. The memory parameters computed from them are
# cached next to them (jm-params, tm-params) and dropped only when the config really changes.
write_flink_config() {
  mkdir -p "$FLINK_DIR/conf" "$FLINK_DIR/checkpoints" "$FLINK_DIR/savepoints" \
    "$FLINK_DIR/web-uploads" "$FLINK_DIR/blobs" "$FLINK_DIR/tmp" "$FLINK_PLUGINS_DIR"
  local config="$FLINK_DIR/conf/config.yaml"
  cat >"$config.new" <<EOF
# Generated by deploy/local/stack.sh when the JobManager starts; edit the script, not this file.
jobmanager:
  bind-host: $HOST
  rpc:
    address: $HOST
    port: $FLINK_RPC_PORT
  memory:
    process:
      size: $FLINK_JM_MEMORY
  execution:
    failover-strategy: region

taskmanager:
  bind-host: $HOST
  host: $HOST
  numberOfTaskSlots: $FLINK_SLOTS_PER_TM
  memory:
    process:
      size: $FLINK_TM_MEMORY
  # A job's slots spread over the TaskManagers: when one is lost, the job restarts on the others,
  # which already run it (its code loaded and compiled), instead of on an idle one.
  load-balance:
    mode: slots

parallelism:
  default: 1

rest:
  address: $HOST
  bind-address: $HOST
  port: $FLINK_REST_PORT

web:
  # Short refresh so REST and the UI show RESTARTING/RUNNING transitions during failover tests.
  refresh-interval: 500
  upload:
    dir: $FLINK_DIR/web-uploads

# Fast failure detection: a killed TaskManager is noticed within seconds, not 50 s.
heartbeat:
  interval: 1000
  timeout: 5000

# TaskManagers start together with the JobManager: retry a failed registration after 1 s, not 10 s.
cluster:
  registration:
    error-delay: 1 s
    refused-registration-delay: 1 s

execution:
  checkpointing:
    dir: file://$FLINK_DIR/checkpoints
    savepoint-dir: file://$FLINK_DIR/savepoints
    # A cancelled job keeps its last checkpoint, to be restored from (the operator's last-state upgrade).
    externalized-checkpoint-retention: RETAIN_ON_CANCELLATION

# The default for jobs that set no restart strategy of their own.
restart-strategy:
  type: fixed-delay
  fixed-delay:
    attempts: 20
    delay: 1 s

blob:
  storage:
    directory: $FLINK_DIR/blobs

metrics:
  reporter:
    prom:
      factory:
        class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
      # One port per JVM: each takes the first free port of the range when it starts.
      port: $FLINK_PROM_PORTS
      # Label values as they are (region="eu-west", not "eu_west"): what the KEDA and HPA queries select on.
      filterLabelValueCharacters: false
EOF
  if cmp -s "$config.new" "$config"; then
    rm -f "$config.new"
  else
    mv "$config.new" "$config"
    rm -f "$FLINK_DIR/jm-params" "$FLINK_DIR/tm-params"
  fi
  # Flink's own log4j.properties (flink-dist), trimmed: one rolling file per JVM at ${sys:log.file},
  # which is also what the web UI's "Logs" tab shows.
  cat >"$FLINK_DIR/conf/log4j.properties" <<'EOF'
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name = org.apache.kafka
logger.kafka.level = INFO
logger.zookeeper.name = org.apache.zookeeper
logger.zookeeper.level = WARN
logger.shaded_zookeeper.name = org.apache.flink.shaded.zookeeper3
logger.shaded_zookeeper.level = WARN
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.policies.startup.type = OnStartupTriggeringPolicy
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 5
EOF
}

# Flink's memory model turned into JVM flags (line 1) and -D settings (line 2) by BashJavaUtils,
# exactly as Flink's jobmanager.sh/taskmanager.sh do. Cached until the config is rewritten.
compute_memory_params() { # GET_JM_RESOURCE_PARAMS|GET_TM_RESOURCE_PARAMS CACHE_FILE
  [[ -s "$2" ]] && return 0
  local out
  if ! out="$(java "${TOOL_JVM_OPTS[@]}" -cp "$(<"$FLINK_CP_FILE")" org.apache.flink.runtime.util.bash.BashJavaUtils \
      "$1" --configDir "$FLINK_DIR/conf" 2>&1)"; then
    printf '%s\n' "$out" | grep -vE $'^\t(at |\\.\\.\\. [0-9]+ more)' | tail -n 20 >&2
    die "BashJavaUtils $1 failed: check the memory sizes (FLINK_JM_MEMORY/FLINK_TM_MEMORY) in $FLINK_DIR/conf/config.yaml"
  fi
  out="$(printf '%s\n' "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
  [[ "$(printf '%s\n' "$out" | wc -l)" -ge 2 ]] || die "unexpected BashJavaUtils $1 output: $out"
  printf '%s\n' "$out" >"$2"
}

# The java command line of a Flink process: memory flags, Java 17 options, logging, class path.
flink_java() { # NAME PARAMS_FILE MAIN_CLASS [EXTRA_DYNAMIC_PROPERTY...]
  local name="$1" params="$2" main="$3"; shift 3
  local jvm_flags dynamic
  # shellcheck disable=SC2207 # the lines hold space-separated options, no spaces inside values
  jvm_flags=($(sed -n 1p "$params"))
  # shellcheck disable=SC2207
  dynamic=($(sed -n 2p "$params"))
  printf '%s\0' java "${jvm_flags[@]}" "${FLINK_JAVA17_OPTS[@]}" "$(marker "$name")" \
    "-Dlog.file=$LOG_DIR/$name.log" \
    "-Dlog4j.configurationFile=file:$FLINK_DIR/conf/log4j.properties" \
    -cp "$(<"$FLINK_CP_FILE")" "$main" --configDir "$FLINK_DIR/conf" "${dynamic[@]}" "$@"
}

start_jobmanager() {
  local pid
  if pid="$(running_pid jobmanager)"; then
    log "Flink JobManager already running (pid $pid), REST $REST"
    return 0
  fi
  require_port_free "$FLINK_REST_PORT" FLINK_REST_PORT
  require_port_free "$FLINK_RPC_PORT" FLINK_RPC_PORT
  compute_memory_params GET_JM_RESOURCE_PARAMS "$FLINK_DIR/jm-params"
  rm -rf "$FLINK_DIR/tmp/jobmanager"; mkdir -p "$FLINK_DIR/tmp/jobmanager"
  local cmd=()
  while IFS= read -r -d '' arg; do cmd+=("$arg"); done < <(
    flink_java jobmanager "$FLINK_DIR/jm-params" \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      -D "io.tmp.dirs=$FLINK_DIR/tmp/jobmanager")
  launch jobmanager "${cmd[@]}"
  log "Flink JobManager starting (pid $(<"$RUN_DIR/jobmanager.pid")), log: $LOG_DIR/jobmanager.log"
}

# TaskManager tm-N registers with Flink resource id "tm-N-<start time>": the REST API shows that id
# (/taskmanagers, /jobs/<id>/vertices/<vid>/taskmanagers) and $RUN_DIR/tm-N.id maps it back to
# $RUN_DIR/tm-N.pid. The start time keeps a restarted tm-N apart from the one it replaces.
start_taskmanager() { # N
  local n="$1" name="tm-$1" pid
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "TaskManager number must be 1, 2, ... (got '$n')"
  if pid="$(running_pid "$name")"; then
    log "Flink TaskManager $name already running (pid $pid)"
    return 0
  fi
  [[ -f "$FLINK_DIR/conf/config.yaml" ]] || die "no Flink config in $FLINK_DIR/conf: run 'stack.sh up' first"
  compute_memory_params GET_TM_RESOURCE_PARAMS "$FLINK_DIR/tm-params"
  local resource_id; resource_id="$name-$(date +%s)"
  rm -rf "$FLINK_DIR/tmp/$name"; mkdir -p "$FLINK_DIR/tmp/$name"
  local cmd=()
  while IFS= read -r -d '' arg; do cmd+=("$arg"); done < <(
    flink_java "$name" "$FLINK_DIR/tm-params" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      -D "taskmanager.resource-id=$resource_id" -D "io.tmp.dirs=$FLINK_DIR/tmp/$name")
  launch "$name" "${cmd[@]}"
  printf '%s\n' "$resource_id" >"$RUN_DIR/$name.id"
  log "Flink TaskManager $name starting (pid $(<"$RUN_DIR/$name.pid"), resource id $resource_id), log: $LOG_DIR/$name.log"
}

# Waits until the REST overview shows the TaskManagers and slots we expect (at least).
await_flink() { # EXPECTED_TMS
  local want_tms="$1" want_slots=$(($1 * FLINK_SLOTS_PER_TM))
  local deadline=$((SECONDS + FLINK_START_TIMEOUT)) overview tms=0 slots=0 name
  while :; do
    if overview="$(http_get "$REST/overview" 2>/dev/null)"; then
      tms="$(json_number taskmanagers <<<"$overview")"; slots="$(json_number slots-total <<<"$overview")"
      ((${tms:-0} >= want_tms && ${slots:-0} >= want_slots)) && break
    fi
    for name in jobmanager $(known_taskmanagers); do
      if ! running_pid "$name" >/dev/null; then
        tail_log "$LOG_DIR/$name.log"; tail_log "$LOG_DIR/$name.out"
        die "Flink $name exited during startup; see $LOG_DIR/$name.log and $LOG_DIR/$name.out"
      fi
    done
    if ((SECONDS >= deadline)); then
      tail_log "$LOG_DIR/jobmanager.log"
      die "Flink did not show $want_tms TaskManagers / $want_slots slots within ${FLINK_START_TIMEOUT}s" \
        "(now: ${tms:-?} TMs, ${slots:-?} slots; FLINK_START_TIMEOUT); see $LOG_DIR/jobmanager.log and $LOG_DIR/tm-*.log"
    fi
    sleep 0.5
  done
  log "Flink ready: $tms TaskManagers, $slots slots"
}

# Waits until the JobManager lists TaskManager tm-N (its resource id) as registered.
await_taskmanager() { # NAME
  local name="$1" rid deadline=$((SECONDS + FLINK_START_TIMEOUT))
  rid="$(<"$RUN_DIR/$name.id")"
  until http_get "$REST/taskmanagers" 2>/dev/null | grep -qF "\"id\":\"$rid\""; do
    if ! running_pid "$name" >/dev/null; then
      tail_log "$LOG_DIR/$name.log"; tail_log "$LOG_DIR/$name.out"
      die "TaskManager $name exited during startup; see $LOG_DIR/$name.log and $LOG_DIR/$name.out"
    fi
    ((SECONDS < deadline)) || die "TaskManager $name did not register within ${FLINK_START_TIMEOUT}s; see $LOG_DIR/$name.log"
    sleep 0.5
  done
  log "TaskManager $name registered with the JobManager"
}

# Which Flink JVM serves Prometheus metrics on which port of $FLINK_PROM_PORTS: the ports are taken
# first come, first served, so we ask each port (a TaskManager's metrics carry its tm_id label).
print_prometheus_ports() {
  local port body who tm_id f
  for ((port = ${FLINK_PROM_PORTS%%-*}; port <= ${FLINK_PROM_PORTS##*-}; port++)); do
    port_open "$port" || continue
    body="$(http_get "http://$HOST:$port/metrics" 2>/dev/null)" || continue
    if grep -q '^flink_jobmanager_' <<<"$body"; then
      who=jobmanager
    else
      tm_id="$({ grep -o 'tm_id="[^"]*"' <<<"$body" || true; } | head -n 1 | cut -d'"' -f2)"
      [[ -n "$tm_id" ]] || continue
      who="TaskManager $tm_id"
      for f in "$RUN_DIR"/tm-*.id; do
        [[ -e "$f" ]] && [[ "$(cat "$f")" == "$tm_id" ]] && who="$(basename "$f" .id)"
      done
    fi
    printf '  Prometheus metrics of %-10s http://%s:%s/metrics\n' "$who" "$HOST" "$port"
  done
}

# The ids of the jobs in state RUNNING (GET /jobs answers {"jobs":[{"id":"..","status":".."},..]}).
running_job_ids() {
  http_get "$REST/jobs" | { grep -o '"id":"[0-9a-f]*","status":"RUNNING"' || true; } | cut -d'"' -f4
}

# Flink resource ids of the TaskManagers that hold tasks of job $1, one per line, deduplicated.
taskmanagers_of_job() { # JOB_ID
  local vertex
  for vertex in $(http_get "$REST/jobs/$1" | { grep -o '"id":"[0-9a-f]\{32\}"' || true; } | cut -d'"' -f4 | sort -u); do
    http_get "$REST/jobs/$1/vertices/$vertex/taskmanagers" | { grep -o '"taskmanager-id":"[^"]*"' || true; } | cut -d'"' -f4
  done | { grep -vxF '(unassigned)' || true; } | sort -u
}

# Our tm-N name for a Flink resource id, via the $RUN_DIR/tm-N.id files.
taskmanager_name_of() { # RESOURCE_ID
  local f
  for f in "$RUN_DIR"/tm-*.id; do
    [[ -e "$f" && "$(<"$f")" == "$1" ]] && { basename "$f" .id; return 0; }
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

cmd_up() {
  local t0; t0="$(now)"
  require_java
  require_http_client
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  # Port conflicts are reported before anything starts (start_* check again right before launch).
  if ! running_pid kafka >/dev/null; then
    require_port_free "$KAFKA_PORT" KAFKA_PORT
    require_port_free "$KAFKA_CONTROLLER_PORT" KAFKA_CONTROLLER_PORT
  fi
  if ! running_pid jobmanager >/dev/null; then
    require_port_free "$FLINK_REST_PORT" FLINK_REST_PORT
    require_port_free "$FLINK_RPC_PORT" FLINK_RPC_PORT
  fi
  resolve_classpath kafka "$KAFKA_CP_FILE"
  resolve_classpath flink "$FLINK_CP_FILE"

  # Flink's config and memory settings first: a bad memory size fails before anything starts.
  if ! running_pid jobmanager >/dev/null; then
    write_flink_config
  fi
  compute_memory_params GET_JM_RESOURCE_PARAMS "$FLINK_DIR/jm-params"
  compute_memory_params GET_TM_RESOURCE_PARAMS "$FLINK_DIR/tm-params"

  start_kafka
  await_kafka_and_topics
  log "Kafka ready on $BOOTSTRAP ($(elapsed_since "$t0") s since start)"

  start_jobmanager
  local n
  for ((n = 1; n <= FLINK_TASKMANAGERS; n++)); do
    start_taskmanager "$n"
  done
  await_flink "$FLINK_TASKMANAGERS"

  log "stack up in $(elapsed_since "$t0") s"
  cat <<EOF

  Kafka bootstrap servers : $BOOTSTRAP
  Flink REST / web UI     : $REST
  Prometheus metrics      : http://$HOST:PORT/metrics, one port per Flink JVM in $FLINK_PROM_PORTS ('status' shows which)
  Logs                    : $LOG_DIR
  Stop with               : $0 down
EOF
}

cmd_down() {
  mkdir -p "$RUN_DIR"
  local round tms=()
  # Round 2 stops the orphans (see adopt_orphans), once their namesakes with pid files are gone.
  for round in 1 2; do
    ((round == 2)) && adopt_orphans
    mapfile -t tms < <(known_taskmanagers)
    # TaskManagers and JobManager together (they are independent), then the broker.
    stop_components "${tms[@]}" jobmanager
    stop_components kafka
  done
  rm -f "$RUN_DIR"/*.pid "$RUN_DIR"/*.id
  local port busy=()
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$FLINK_REST_PORT" "$FLINK_RPC_PORT"; do
    port_open "$port" && busy+=("$port")
  done
  if ((${#busy[@]} > 0)); then
    warn "still in use after stopping: port(s) ${busy[*]} (not by a process of this stack, or a process started without its pid file)"
  fi
  log "stack down"
}

cmd_status() {
  local ok=0 name pid
  printf 'State folder: %s\n\nProcesses:\n' "$STATE"
  for name in kafka jobmanager $(known_taskmanagers); do
    if pid="$(running_pid "$name")"; then
      local rss; rss="$(ps -o rss= -p "$pid" 2>/dev/null | awk '{ printf "%d MiB", $1 / 1024 }')"
      local id=""; [[ -f "$RUN_DIR/$name.id" ]] && id=", resource id $(<"$RUN_DIR/$name.id")"
      printf '  %-10s running  pid %s, %s%s\n' "$name" "$pid" "$rss" "$id"
    else
      printf '  %-10s stopped\n' "$name"; ok=1
    fi
  done
  local orphan_pid
  while read -r name orphan_pid; do
    printf '  %-10s running  pid %s, but without pid file ('"'"'down'"'"' stops it)\n' "$name" "$orphan_pid"
  done < <(orphans)

  printf '\nKafka %s:\n' "$BOOTSTRAP"
  if port_open "$KAFKA_PORT" && [[ -s "$KAFKA_CP_FILE" ]]; then
    kafka_admin describe 10 || ok=1
  else
    printf '  not reachable\n'; ok=1
  fi

  printf '\nFlink %s:\n' "$REST"
  local overview
  if require_http_client && overview="$(http_get "$REST/overview" 2>/dev/null)"; then
    printf '  Flink %s: %s TaskManagers, %s slots (%s free), jobs: %s running, %s finished, %s cancelled, %s failed\n' \
      "$(json_string flink-version <<<"$overview")" \
      "$(json_number taskmanagers <<<"$overview")" "$(json_number slots-total <<<"$overview")" \
      "$(json_number slots-available <<<"$overview")" "$(json_number jobs-running <<<"$overview")" \
      "$(json_number jobs-finished <<<"$overview")" "$(json_number jobs-cancelled <<<"$overview")" \
      "$(json_number jobs-failed <<<"$overview")"
    local rid
    for rid in $(http_get "$REST/taskmanagers" | { grep -o '"id":"[^"]*"' || true; } | cut -d'"' -f4 | sort); do
      printf '  TaskManager %s (%s)\n' "$rid" "$(taskmanager_name_of "$rid" || echo 'not started by this script')"
    done
    local job
    for job in $(running_job_ids); do
      local on; on="$(taskmanagers_of_job "$job" | tr '\n' ' ')"
      printf '  running job %s on %s\n' "$job" "${on:-no TaskManager yet (waiting for slots?)}"
    done
    print_prometheus_ports
  else
    printf '  not reachable\n'; ok=1
  fi
  return "$ok"
}

cmd_submit() {
  (($# >= 2)) || die "usage: stack.sh submit JAR ENTRY_CLASS [PROGRAM_ARGS...]"
  local jar="$1" entry="$2"; shift 2
  [[ -f "$jar" ]] || die "jar not found: $jar"
  [[ "$jar" == *.jar ]] || die "Flink's REST API only accepts files whose name ends in .jar: $jar"
  require_http_client
  http_get "$REST/overview" >/dev/null 2>&1 || die "Flink REST is not reachable at $REST: run 'stack.sh up'"

  local upload jar_id
  upload="$(http_upload_jar "$REST/jars/upload" "$jar")" || die "upload of $jar to $REST/jars/upload failed"
  [[ "$(json_string status <<<"$upload")" == success ]] || die "upload of $jar rejected: $upload"
  jar_id="$(json_string filename <<<"$upload")"; jar_id="${jar_id##*/}"
  log "uploaded $jar as $jar_id"

  local args="" arg sep=""
  for arg in "$@"; do args+="$sep$(json_quote "$arg")"; sep=","; done
  local body
  body="{\"entryClass\":$(json_quote "$entry"),\"programArgsList\":[$args]"
  [[ -n "${FLINK_PARALLELISM:-}" ]] && body+=",\"parallelism\":$FLINK_PARALLELISM"
  [[ -n "${FLINK_RESTORE_FROM:-}" ]] && body+=",\"savepointPath\":$(json_quote "$FLINK_RESTORE_FROM")"
  body+="}"

  local answer job_id
  answer="$(http_post_json "$REST/jars/$jar_id/run" "$body")" || die "POST $REST/jars/$jar_id/run failed"
  job_id="$(json_string jobid <<<"$answer")"
  if [[ -z "$job_id" ]]; then
    flink_errors "$answer" >&2
    http_delete "$REST/jars/$jar_id" || true # do not keep jars that do not run
    die "Flink did not start the job (answer above; the JobManager log: $LOG_DIR/jobmanager.log)"
  fi
  log "job submitted: $job_id ($REST/#/job/running/$job_id/overview)"
  printf '%s\n' "$job_id"
}

cmd_kill_taskmanager() {
  require_http_client
  local target_name="" target_id="" job=""
  local jobs=()
  mapfile -t jobs < <(running_job_ids 2>/dev/null || true)
  if (($# >= 1)); then
    target_name="tm-$1"
    running_pid "$target_name" >/dev/null || die "TaskManager $target_name is not running (see 'stack.sh status')"
    target_id="$(<"$RUN_DIR/$target_name.id")"
    ((${#jobs[@]} == 1)) && job="${jobs[0]}"
  else
    ((${#jobs[@]} > 0)) || die "no running job; name the TaskManager to kill it anyway: stack.sh kill-taskmanager N"
    ((${#jobs[@]} == 1)) || die "${#jobs[@]} running jobs (${jobs[*]}); name the TaskManager: stack.sh kill-taskmanager N"
    job="${jobs[0]}"
    local rid
    for rid in $(taskmanagers_of_job "$job"); do
      if target_name="$(taskmanager_name_of "$rid")" && running_pid "$target_name" >/dev/null; then
        target_id="$rid"; break
      fi
      target_name=""
    done
    [[ -n "$target_name" ]] || die "job $job runs on no TaskManager started by this script (its tasks may not be deployed yet)"
  fi
  local pid; pid="$(running_pid "$target_name")"
  local hosts_job="no tasks of a running job"
  if [[ -n "$job" ]] && taskmanagers_of_job "$job" | grep -qxF "$target_id"; then
    hosts_job="tasks of job $job"
  fi
  kill -KILL "$pid"
  rm -f "$RUN_DIR/$target_name.pid" "$RUN_DIR/$target_name.id"
  log "killed TaskManager $target_name (pid $pid, resource id $target_id) with SIGKILL; it ran $hosts_job"
  log "start a replacement with: $0 start-taskmanager ${target_name#tm-}"
}

cmd_start_taskmanager() {
  (($# == 1)) || die "usage: stack.sh start-taskmanager N"
  require_java
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  running_pid jobmanager >/dev/null || die "the JobManager is not running: run 'stack.sh up'"
  classpath_stale "$FLINK_CP_FILE" && die "Flink class path missing or stale: run 'stack.sh up'"
  require_http_client
  start_taskmanager "$1"
  await_taskmanager "tm-$1"
}

cmd_kill_broker() {
  local pid
  pid="$(running_pid kafka)" || die "the Kafka broker is not running (see 'stack.sh status')"
  kill -KILL "$pid"
  rm -f "$RUN_DIR/kafka.pid"
  log "killed the Kafka broker (pid $pid) with SIGKILL; start it again with: $0 start-broker"
}

cmd_start_broker() {
  require_java
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  classpath_stale "$KAFKA_CP_FILE" && die "Kafka class path missing or stale: run 'stack.sh up'"
  start_kafka
  await_kafka_and_topics
}

cmd_logs() {
  printf 'Logs in %s:\n' "$LOG_DIR"
  local f
  for f in "$LOG_DIR"/*; do
    [[ -e "$f" ]] && printf '  %s\n' "${f##*/}"
  done
  return 0
}

cmd_clean() {
  local name
  for name in kafka jobmanager $(known_taskmanagers); do
    running_pid "$name" >/dev/null && die "$name is running: run 'stack.sh down' first"
  done
  # Class paths and the compiled helper stay: they only depend on the POM and the sources.
  rm -rf "$RUN_DIR" "$LOG_DIR" "$KAFKA_DIR" "$FLINK_DIR"
  log "removed Kafka data, Flink checkpoints/savepoints/uploads and logs under $STATE"
}

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  printf '\nEnvironment variables and defaults: see the top of %s and deploy/local/README.md\n' "${BASH_SOURCE[0]}"
}

main() {
  local command="${1:-}"
  (($# > 0)) && shift
  case "$command" in
    up) cmd_up "$@" ;;
    down | stop) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    submit) cmd_submit "$@" ;;
    kill-taskmanager) cmd_kill_taskmanager "$@" ;;
    start-taskmanager) cmd_start_taskmanager "$@" ;;
    kill-broker) cmd_kill_broker ;;
    start-broker) cmd_start_broker ;;
    logs) cmd_logs ;;
    clean) cmd_clean ;;
    -h | --help | help | "") usage ;;
    *) usage >&2; die "unknown command '$command'" ;;
  esac
}

main "$@"
