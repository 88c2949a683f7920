#!/usr/bin/env bash
# The README's Spring Boot section as a user pastes it: the files marked <!-- readme-app: PATH --> are copied out
# of README.md into an empty folder, built with Maven, started on 127.0.0.1 on a free port, and checked over HTTP:
# _entities, /actuator/prometheus, the federation health component and /actuator/federation. The app is stopped
# at the end, also when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
app="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$app"
}
trap cleanup EXIT

python3 - "$app" <<'PY'
import os, re, sys
app = sys.argv[1]
readme = open("README.md", encoding="utf-8").read()
blocks = re.findall(r"<!-- readme-app: (\S+) -->\n```[a-z]*\n(.*?)\n```", readme, re.S)
if len(blocks) != 4:
    sys.exit("expected 4 readme-app blocks in README.md, found %d" % len(blocks))
for path, text in blocks:
    target = os.path.join(app, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print("  " + path)
PY

(cd "$app" && mvn -B -q package -DskipTests)
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
java -jar "$app/target/users-subgraph-1.0.0.jar" --server.address=127.0.0.1 --server.port="$port" \
  > "$app/app.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  if curl -fs "$base/actuator/health" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$app/app.log" >&2; echo "the README's app did not start" >&2; exit 1; fi
  sleep 0.5
done

fail() { echo "$1" >&2; tail -40 "$app/app.log" >&2; exit 1; }
entities="$(curl -fs "$base/graphql" -H 'Content-Type: application/json' -d '{"query":"query($r:[_Any!]!){_entities(representations:$r){...on User{id name}}}","variables":{"r":[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"}]}}')" \
  || fail "POST /graphql failed"
[[ "$entities" == *'{"id":"1","name":"User 1"}'*'{"id":"2","name":"User 2"}'* ]] || fail "_entities answered: $entities"
prometheus="$(curl -fs "$base/actuator/prometheus")" || fail "/actuator/prometheus failed"
[[ "$prometheus" == *'federation_entity_loads_total{outcome="batched",typename="User"} 2.0'* ]] \
  || fail "/actuator/prometheus has no federation_entity_loads_total for the two users"
health="$(curl -fs "$base/actuator/health")" || fail "/actuator/health failed"
python3 -c 'import json,sys; c=json.loads(sys.argv[1])["components"]["federation"]; assert c["status"] == "UP" and c["details"]["mode"] == "BATCHED" and c["details"]["checks"]' "$health" \
  || fail "/actuator/health has no federation component with its checks: $health"
federation="$(curl -fs "$base/actuator/federation")" || fail "/actuator/federation failed"
python3 -c 'import json,sys; f=json.loads(sys.argv[1]); assert "BATCHED" in json.dumps(f) and "User" in json.dumps(f)' "$federation" \
  || fail "/actuator/federation answered: ${federation:0:300}"
echo "the README's Spring Boot app: _entities, prometheus, health and the federation endpoint answer"
kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""

# The same app without the web starter must fail at startup saying which starter to add, not with a stack trace.
python3 - "$app/pom.xml" <<'PY'
import re, sys
pom = open(sys.argv[1], encoding="utf-8").read()
pom = re.sub(r"\s*<!-- the HTTP server.*?</dependency>", "", pom, flags=re.S)
open(sys.argv[1], "w", encoding="utf-8").write(pom)
PY
(cd "$app" && mvn -B -q package -DskipTests)
if noweb="$(timeout 120 java -jar "$app/target/users-subgraph-1.0.0.jar" --server.port=0 2>&1)"; then
  echo "the app without a web starter started" >&2; exit 1
fi
[[ "$noweb" == *"Add org.springframework.boot:spring-boot-starter-webmvc"* ]] \
  || { echo "$noweb" | tail -40 >&2; echo "no web starter: the failure does not name the starter to add" >&2; exit 1; }
echo "without the web starter it fails saying: Add org.springframework.boot:spring-boot-starter-webmvc ..."
