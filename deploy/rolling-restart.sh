#!/bin/sh
# Restart the replicas one at a time so that each loads the new release; nginx sends the
# requests of the one restarting to the others (proxy_next_upstream), so none fails.
#   deploy/rolling-restart.sh 8001 8002        (ports = systemd instances)
# A replica that does not answer within WAIT seconds stops the rollout (exit 1): the
# others still serve the previous release.
set -eu
WAIT=${WAIT:-120}
[ "$#" -gt 0 ] || { echo "usage: $0 PORT..." >&2; exit 2; }
for port in "$@"; do
    echo "restarting ogpgraph@$port"
    systemctl restart "ogpgraph@$port"
    waited=0
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/sparql?query=ASK%7B%7D"; do
        waited=$((waited + 1))
        if [ "$waited" -ge "$WAIT" ]; then
            echo "ogpgraph@$port did not answer within $WAIT s: rollout stopped" >&2
            exit 1
        fi
        sleep 1
    done
    echo "ogpgraph@$port answers"
done
