#!/usr/bin/env bash
# Runs the example subgraphs and a real Apollo Gateway in front of them, sends the gateway one query, shows the
# users subgraph's SQL count, and stops everything (also on Ctrl-C or an error).
#
#   mvn -B -q -DskipTests package -pl examples/go-live -am && npm ci --prefix examples/gateway && examples/gateway/try-it.sh
#
# Ports: GATEWAY_PORT (4000) and BASE_PORT (4001: users, +1 posts, +2 products, +3 the compat subgraph).
set -euo pipefail
cd "$(dirname "$0")/../.."

gateway_port="${GATEWAY_PORT:-4000}"
base="${BASE_PORT:-4001}"
users=$base posts=$((base + 1)) products=$((base + 2)) compat=$((base + 3))
jar=examples/go-live/target/federation-examples.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package -pl examples/go-live -am" >&2; exit 2; }
[ -d examples/gateway/node_modules/@apollo/gateway ] || { echo "install first: npm ci --prefix examples/gateway" >&2; exit 2; }

log_dir="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$log_dir"
}
trap cleanup EXIT INT TERM

wait_for() { # url what
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not start; logs:" >&2; cat "$log_dir"/*.log >&2; exit 1
}

java -jar "$jar" serve --users-port "$users" --posts-port "$posts" --products-port "$products" \
  --compat-port "$compat" --users 1000 --posts 10000 --products 200 --debug-sql > "$log_dir/serve.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$products/ready" "the subgraphs"

node examples/gateway/gateway.mjs --port "$gateway_port" --max-seconds 300 \
  users="http://127.0.0.1:$users/graphql" posts="http://127.0.0.1:$posts/graphql" \
  products="http://127.0.0.1:$products/graphql" > "$log_dir/gateway.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q "Gateway ready" "$log_dir/gateway.log" && break; sleep 0.5; done
grep -q "Gateway ready" "$log_dir/gateway.log" || { echo "the gateway did not start:" >&2; cat "$log_dir/gateway.log" >&2; exit 1; }

before="$(curl -fs "http://127.0.0.1:$users/debug/sql" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
answer="$(curl -fs "http://127.0.0.1:$gateway_port/" -H 'Content-Type: application/json' \
  -d '{"query":"{ posts(limit: 100) { id title author { id name } product { id name } } }"}')"
after="$(curl -fs "http://127.0.0.1:$users/debug/sql" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
echo "$answer" | head -c 300; echo " ..."
posts_count="$(echo "$answer" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "errors" not in d, d; print(len(d["data"]["posts"]))')"
echo "posts: $posts_count; SQL statements the users subgraph ran for their 100 authors: $((after - before))"
[ "$posts_count" = 100 ] && [ "$((after - before))" = 1 ]
