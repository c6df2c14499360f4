# Helpers for the scripts that start local servers (demo.sh, alert-e2e.sh): a free loopback
# port, waiting for a server to be ready, and stopping what was started. Sourced, not run.
# They log through the sourcing script's `log`.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_for() { # wait_for SECONDS DESCRIPTION PID COMMAND...
    local limit=$1 what=$2 pid=$3
    local deadline=$((SECONDS + limit))
    shift 3
    until "$@" >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null; then log "$what exited before it was ready"; return 1; fi
        if ((SECONDS >= deadline)); then log "$what was not ready within $limit s"; return 1; fi
        sleep 0.5
    done
}

# stop PID...: TERM, then KILL whatever still runs 10 s later (a process that inherited a
# blocked SIGTERM would otherwise be waited for forever).
stop() {
    local pid deadline=$((SECONDS + 10))
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
