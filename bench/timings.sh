#!/usr/bin/env bash
# Wall times a newcomer feels: `make demo` from a fresh clone until the first portal answers,
# a second `make demo`, `portal build` of one new territory, and `make test` (fresh clone,
# so the test database is created). Prints one line each; needs nothing else running on PORT.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
PORT=${PORT:-8766}
work=$(mktemp -d)
git clone -q "$src" "$work/portal"
[ -d "$src/../shared" ] && ln -s "$src/../shared" "$work/shared"
cd "$work/portal"

serve_time() {  # run `make demo` until a portal answers; print seconds
  local start=$SECONDS
  make demo PORT=$PORT >"$work/demo.log" 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null -H 'Host: sondrio.localhost' "http://127.0.0.1:$PORT/"; do
    sleep 0.5
    kill -0 $pid 2>/dev/null || { tail -20 "$work/demo.log"; exit 1; }
  done
  echo $((SECONDS - start))
  pkill -f "runserver 127.0.0.1:$PORT" || true
  wait $pid 2>/dev/null || true
}

echo "make demo, fresh clone:   $(serve_time) s"
echo "make demo, second time:   $(serve_time) s"
sed 's/slug = "sondrio"/slug = "lecco"/; s/sondriowelfare/leccowelfare/g; s/SondrioWelfare/LeccoWelfare/' sites/sondrio.toml >sites/lecco.toml
start=$SECONDS; .venv/bin/python manage.py portal build lecco -v0
echo "portal build, one new territory: $((SECONDS - start)) s"
rm sites/lecco.toml
start=$SECONDS; make test >"$work/test.log" 2>&1 || { tail -30 "$work/test.log"; exit 1; }
echo "make test, fresh clone:   $((SECONDS - start)) s ($(tail -1 "$work/test.log"))"
start=$SECONDS; make test >"$work/test2.log" 2>&1
echo "make test, second time:   $((SECONDS - start)) s"
rm -rf "$work"
