#!/usr/bin/env bash
# Creates Stampede's seven topics with Kafka's kafka-topics.sh, with the same partitions and settings
# as kafkatopics.yaml (the Strimzi resources); ManifestsTest runs this script and compares the two.
# Existing topics are left as they are.
#
# Usage: create-topics.sh --bootstrap-server HOST:PORT [--command-config CLIENT.properties]
#
# Environment (the options above win):
#   BOOTSTRAP_SERVER, COMMAND_CONFIG  as the options; COMMAND_CONFIG holds security.protocol, sasl.*, ...
#   REPLICATION_FACTOR                default 3 (1 for a single-broker development cluster)
#   MIN_INSYNC_REPLICAS               default 2 (1 for a single-broker development cluster)
#   KAFKA_TOPICS                      the kafka-topics.sh to run; default: on PATH, else /opt/kafka/bin
set -euo pipefail

usage() {
    echo "usage: create-topics.sh --bootstrap-server HOST:PORT [--command-config CLIENT.properties]"
}

bootstrap_server=${BOOTSTRAP_SERVER:-}
command_config=${COMMAND_CONFIG:-}
replication_factor=${REPLICATION_FACTOR:-3}
min_insync_replicas=${MIN_INSYNC_REPLICAS:-2}

while [ $# -gt 0 ]; do
    case "$1" in
        --bootstrap-server) bootstrap_server=${2:?--bootstrap-server needs HOST:PORT}; shift 2 ;;
        --command-config) command_config=${2:?--command-config needs a file}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ -z "$bootstrap_server" ]; then
    echo "no bootstrap server: pass --bootstrap-server HOST:PORT or set BOOTSTRAP_SERVER" >&2
    exit 2
fi

kafka_topics=${KAFKA_TOPICS:-}
if [ -z "$kafka_topics" ]; then
    if command -v kafka-topics.sh >/dev/null 2>&1; then
        kafka_topics=kafka-topics.sh
    elif [ -x /opt/kafka/bin/kafka-topics.sh ]; then
        kafka_topics=/opt/kafka/bin/kafka-topics.sh
    else
        echo "kafka-topics.sh not found: put it on PATH or set KAFKA_TOPICS" >&2
        exit 2
    fi
fi

connection=(--bootstrap-server "$bootstrap_server")
if [ -n "$command_config" ]; then
    connection+=(--command-config "$command_config")
fi

# create_topic NAME PARTITIONS [KEY=VALUE ...]
create_topic() {
    local name=$1 partitions=$2
    shift 2
    local configs=(--config "min.insync.replicas=$min_insync_replicas")
    local setting
    for setting in "$@"; do
        configs+=(--config "$setting")
    done
    "$kafka_topics" "${connection[@]}" --create --if-not-exists --topic "$name" \
        --partitions "$partitions" --replication-factor "$replication_factor" "${configs[@]}"
    echo "topic $name: $partitions partitions, replication factor $replication_factor"
}

create_topic login-events        12 retention.ms=604800000
create_topic telemetry-events    12 retention.ms=604800000
create_topic alerts               3 retention.ms=2592000000
create_topic throttle-directives  3 cleanup.policy=compact min.cleanable.dirty.ratio=0.1 segment.ms=3600000 delete.retention.ms=86400000
create_topic scaling-signals      3 retention.ms=604800000
create_topic dead-letters         3 retention.ms=1209600000
create_topic stampede-control     1 cleanup.policy=compact min.cleanable.dirty.ratio=0.1 segment.ms=3600000 delete.retention.ms=604800000
