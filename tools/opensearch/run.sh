#!/usr/bin/env bash
# Single-node OpenSearch 2.19 for development and CI, started from Maven Central jars.
#
#   tools/opensearch/run.sh start    build if needed, start in the background, wait until healthy
#   tools/opensearch/run.sh stop     SIGTERM, wait, then SIGKILL
#   tools/opensearch/run.sh status   print cluster health (exit 0 if a node answers, 3 if not)
#   tools/opensearch/run.sh restart  stop then start
#   tools/opensearch/run.sh build    (re)build target/ only
#
# Environment:
#   OPENSEARCH_PORT      HTTP port (default 9200)
#   OPENSEARCH_NODE_DIR  node home: data/, logs/, pid and log files (default tools/opensearch/node)
#   OPENSEARCH_HEAP      heap size for -Xms/-Xmx (default 1g)
#   OPENSEARCH_START_TIMEOUT  seconds to wait for health on start (default 120)
#   JAVA_HOME            Java 17+ (default: java on PATH)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${OPENSEARCH_PORT:-9200}"
NODE_DIR="${OPENSEARCH_NODE_DIR:-$ROOT/node}"
HEAP="${OPENSEARCH_HEAP:-1g}"
START_TIMEOUT="${OPENSEARCH_START_TIMEOUT:-120}"
PID_FILE="$NODE_DIR/opensearch.pid"
LOG_FILE="$NODE_DIR/opensearch.log"
BUILD_LOG="$ROOT/target/build.log"
MAIN_CLASS="org.cluster4smart.opensearch.DevNode"
BASE_URL="http://127.0.0.1:$PORT"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
else
    JAVA="java"
fi

log() { echo "opensearch: $*"; }
die() { echo "opensearch: $*" >&2; exit 1; }

# http_get URL [MAX_SECONDS]: body on stdout, non-zero if no 2xx answer.
http_get() {
    local url="$1" max="${2:-5}"
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --max-time "$max" "$url" 2>/dev/null
    else
        python3 - "$url" "$max" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])) as r:
    sys.stdout.write(r.read().decode())
PY
    fi
}

# http_put_json URL JSON
http_put_json() {
    local url="$1" body="$2"
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --max-time 10 -X PUT -H 'Content-Type: application/json' -d "$body" "$url" 2>/dev/null
    else
        python3 - "$url" "$body" <<'PY' 2>/dev/null
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="PUT",
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    sys.stdout.write(r.read().decode())
PY
    fi
}

answers() { http_get "$BASE_URL/" 3 >/dev/null; }

# alive PID: the process exists and is not a zombie (a node that died while this script,
# its parent, still runs stays a zombie until the script exits, and kill -0 succeeds on it).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    local state
    state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
    [[ "$state" != "Z" ]]
}

# The pid from the pid file, if that process is alive and is our launcher.
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    if [[ -r "/proc/$pid/cmdline" ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS"; then
        return 1   # pid reused by another program
    fi
    echo "$pid"
}

needs_build() {
    local stamp="$ROOT/target/lib/.copied"
    [[ -f "$ROOT/target/classes/org/cluster4smart/opensearch/DevNode.class" ]] || return 0
    compgen -G "$ROOT/target/lib/opensearch-2.*.jar" >/dev/null || return 0
    [[ -f "$stamp" ]] || return 0
    [[ -n "$(find "$ROOT/pom.xml" "$ROOT/src" -newer "$stamp" -print -quit)" ]] && return 0
    return 1
}

build() {
    command -v mvn >/dev/null 2>&1 || die "mvn (Maven 3.8+) is needed to build the launcher"
    mkdir -p "$ROOT/target"
    log "building (mvn package) ..."
    # Offline first: works when ~/.m2 already has every dependency and plugin; otherwise online.
    if mvn -o -q -B -f "$ROOT/pom.xml" package -DskipTests >"$BUILD_LOG.tmp" 2>&1; then
        :
    elif mvn -q -B -f "$ROOT/pom.xml" package -DskipTests >"$BUILD_LOG.tmp" 2>&1; then
        :
    else
        mv -f "$BUILD_LOG.tmp" "$BUILD_LOG" 2>/dev/null || true
        tail -n 40 "$BUILD_LOG" >&2 || true
        die "build failed (full output: $BUILD_LOG)"
    fi
    mv -f "$BUILD_LOG.tmp" "$BUILD_LOG"
    touch "$ROOT/target/lib/.copied"
}

print_failure() {
    echo "opensearch: $*" >&2
    if [[ -f "$LOG_FILE" ]]; then
        echo "---- last lines of $LOG_FILE ----" >&2
        tail -n 40 "$LOG_FILE" >&2
        echo "----" >&2
    fi
}

wait_healthy() {
    local pid="$1" t0="$2" deadline=$((SECONDS + START_TIMEOUT)) health
    while ((SECONDS < deadline)); do
        if ! alive "$pid"; then
            print_failure "the node (pid $pid) exited during start-up"
            rm -f "$PID_FILE"
            return 1
        fi
        # A quick probe first, so that a node that died (or a foreign listener that never
        # answers) is noticed within seconds; then the blocking health request.
        if answers \
            && health="$(http_get "$BASE_URL/_cluster/health?wait_for_status=yellow&timeout=60s" 65)" \
            && [[ "$health" == *'"status":"green"'* || "$health" == *'"status":"yellow"'* ]]; then
            # Persistent cluster setting: indices created without number_of_replicas get 0 replicas
            # (DevNode already stores it on start; repeated here, idempotent, in case it failed there).
            # A node setting of the same name is ignored, so it has to be in the cluster state.
            http_put_json "$BASE_URL/_cluster/settings" \
                '{"persistent":{"cluster.default_number_of_replicas":0}}' >/dev/null \
                || log "warning: could not set cluster.default_number_of_replicas=0"
            local rss_kb
            rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
            log "ready on $BASE_URL (pid $pid, healthy after $((SECONDS - t0)) s, RSS $((rss_kb / 1024)) MiB)"
            echo "$health"
            return 0
        fi
        sleep 1
    done
    print_failure "no healthy answer from $BASE_URL within ${START_TIMEOUT} s (pid $pid still running; stop it with: $0 stop)"
    return 1
}

cmd_start() {
    local pid
    if answers; then
        local info
        info="$(http_get "$BASE_URL/" 3 | tr -d '\n' | sed -E 's/.*"cluster_name" *: *"([^"]*)".*"number" *: *"([^"]*)".*/cluster \1, version \2/')"
        log "a node already answers on $BASE_URL ($info); not starting another"
        return 0
    fi
    mkdir -p "$NODE_DIR"
    if pid="$(running_pid)"; then
        local other_port
        other_port="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -A1 -x -e '--port' | tail -n 1 || true)"
        if [[ -n "$other_port" && "$other_port" != "$PORT" ]]; then
            die "the node of $NODE_DIR already runs (pid $pid) on port $other_port, not $PORT; stop it first, or give a second node its own OPENSEARCH_NODE_DIR"
        fi
        log "the node (pid $pid) is running but not answering yet; waiting"
        wait_healthy "$pid" "$SECONDS"
        return
    fi
    rm -f "$PID_FILE"
    if needs_build; then build; fi

    [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
    mkdir -p "$NODE_DIR/tmp"
    local t0="$SECONDS"
    # Same JVM system properties as OpenSearch's own jvm.options where they matter.
    nohup "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" \
        -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
        -Dfile.encoding=UTF-8 -Djava.awt.headless=true \
        -Djava.io.tmpdir="$NODE_DIR/tmp" \
        -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
        -Dio.netty.recycler.maxCapacityPerThread=0 \
        -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true \
        -cp "$ROOT/target/classes:$ROOT/target/lib/*" \
        "$MAIN_CLASS" --port "$PORT" --home "$NODE_DIR" --data "$NODE_DIR/data" \
        </dev/null >"$LOG_FILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PID_FILE"
    log "started pid $pid (log: $LOG_FILE); waiting up to ${START_TIMEOUT} s for $BASE_URL"
    wait_healthy "$pid" "$t0"
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE"
        if answers; then
            log "no node started by this script is running, but something answers on $BASE_URL (left alone)"
        else
            log "not running"
        fi
        return 0
    fi
    log "stopping pid $pid (SIGTERM)"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 30; i++)); do
        alive "$pid" || break
        sleep 1
    done
    if alive "$pid"; then
        log "still running after 30 s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 1
    fi
    if alive "$pid"; then
        die "pid $pid did not exit"
    fi
    # It has exited; give its parent (init) a moment to reap the zombie so that ps no longer lists it.
    for ((i = 0; i < 30; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    rm -f "$PID_FILE"
    log "stopped"
}

cmd_status() {
    local pid health
    if pid="$(running_pid)"; then
        log "pid $pid (from $PID_FILE)"
    fi
    if health="$(http_get "$BASE_URL/_cluster/health?pretty" 5)"; then
        echo "$health"
        return 0
    fi
    log "nothing answers on $BASE_URL"
    return 3
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    restart) cmd_stop && cmd_start ;;
    build) build ;;
    *)
        echo "usage: $0 {start|stop|status|restart|build}" >&2
        exit 2
        ;;
esac
