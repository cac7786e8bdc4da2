#!/usr/bin/env bash
# Throughput of a portal's home page and uncached catalogue list: gunicorn (2 workers) on
# loopback, wrk as the client. Builds its own database (bench/results/bench.sqlite3) with
# the demo portals plus, with SERVICES=N, N services offered in Sondrio (24 per page anyway).
#   bench/run.sh                 # the demo data
#   SERVICES=200 bench/run.sh    # a larger catalogue
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8765}
DURATION=${DURATION:-10s}
mkdir -p bench/results
export DJANGO_SETTINGS_MODULE=portal.settings.bench
export DATABASE_URL="sqlite:///$PWD/bench/results/bench.sqlite3"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

.venv/bin/python manage.py migrate -v0  # only what is new after the first run
[ -n "${SKIP_BUILD:-}" ] || .venv/bin/python manage.py portal build -v0
[ -n "${SKIP_BUILD:-}" ] || .venv/bin/python manage.py demo >/dev/null
[ -n "${SERVICES:-}" ] && .venv/bin/python bench/scale.py sondrio "$SERVICES"
.venv/bin/python manage.py collectstatic --no-input -v0

.venv/bin/gunicorn portal.wsgi:application --workers 2 --bind 127.0.0.1:$PORT \
  --env DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE --log-level warning &
echo "whole-page cache for anonymous visitors: ${PORTAL_PAGE_CACHE_SECONDS:-60} s (0: every page rendered)"
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null -H 'Host: sondrio.localhost' "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

workers=$(pgrep -P $server | tr '\n' ' ')
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine lowers requests/s)"
for path in / /shop/catalogue/; do
  echo "== sondrio.localhost$path"
  # shellcheck disable=SC2086
  .venv/bin/python bench/cpu_per_request.py $server $workers -- \
    wrk -t2 -c8 -d"$DURATION" -H 'Host: sondrio.localhost' "http://127.0.0.1:$PORT$path" \
    | tee "bench/results/wrk$(echo "$path" | tr / _).txt" | grep -E "requests in|Requests/sec|Latency|Non-2xx|server CPU"
done

# the yardstick: a bare Django view on the same machine, measured the same way
kill $server 2>/dev/null; wait $server 2>/dev/null || true
(cd bench && ../.venv/bin/gunicorn bare_django:application --workers 2 --bind 127.0.0.1:$PORT --log-level warning) &
server=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
echo "== a bare Django view (the yardstick: about 3,500 requests/s where the targets were set)"
wrk -t2 -c8 -d"$DURATION" "http://127.0.0.1:$PORT/" | tee bench/results/wrk_bare.txt | grep -E "Requests/sec"
kill $server 2>/dev/null; wait $server 2>/dev/null || true
trap - EXIT

# every public page type, anonymous and with a session, each against the bare view again
echo "== every page type (bench/pages.py)"
PORT=$PORT .venv/bin/python bench/pages.py --slug sondrio --port "$PORT"
