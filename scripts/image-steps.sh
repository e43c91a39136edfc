#!/usr/bin/env bash
# The Dockerfile's steps without Docker: on a clean clone of HEAD in a temp folder, the build
# stage's RUN lines (read from the Dockerfile and compared with the list below, so the two cannot
# drift apart), then the final stage's files alone, started as the image starts them, asked with the
# image's own HEALTHCHECK command, and stopped with SIGTERM as `docker stop` does.
# Not covered (no Docker daemon here): the base image, COPY --from, the non-root user and the chown
# (needs root), VOLUME, and HEALTHCHECK timing. Usage: npm run image-steps  (a few minutes: npm ci).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dockerfile="$repo/Dockerfile"

# The RUN lines, in the Dockerfile's order: the build stage's three, then the final stage's one.
build_steps=(
  "npm ci --no-audit --no-fund"
  "npm run build"
  "npm prune --omit=dev --no-audit --no-fund"
)
final_step="mkdir -p /data && chown node:node /data"

expected="$(printf '%s\n' "${build_steps[@]}" "$final_step")"
actual="$(sed -n 's/^RUN //p' "$dockerfile")"
if [[ "$expected" != "$actual" ]]; then
  echo "image-steps: the Dockerfile's RUN lines are not the ones this script runs:" >&2
  diff <(echo "$expected") <(echo "$actual") >&2 || true
  exit 1
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== clean clone of $(git -C "$repo" rev-parse --short HEAD) into $work"
git clone --quiet --no-local "$repo" "$work/clone"

echo "== build stage"
mkdir -p "$work/build/scripts"
cd "$work/build"
cp "$work/clone/package.json" "$work/clone/package-lock.json" .                 # COPY package.json package-lock.json ./
bash -c "${build_steps[0]}"
cp "$work/clone/tsconfig.json" "$work/clone/tsconfig.build.json" .             # COPY tsconfig.json tsconfig.build.json ./
cp -r "$work/clone/src" ./src                                                  # COPY src ./src
cp "$work/clone/scripts/build-tab.ts" ./scripts/                               # COPY scripts/build-tab.ts ./scripts/
bash -c "${build_steps[1]}"
bash -c "${build_steps[2]}"

echo "== final stage"
mkdir -p "$work/image/app" "$work/image/data"                                  # RUN mkdir -p /data (chown: root only)
cp -r package.json node_modules dist "$work/image/app/"                        # COPY --from=build …
cd "$work/image/app"
for tool in typescript tsx esbuild mocha @biomejs/biome; do
  if [[ -e "node_modules/$tool" ]]; then
    echo "image-steps: dev dependency $tool is in the final image" >&2
    exit 1
  fi
done
echo "node_modules: $(du -sm node_modules | cut -f1) MB without dev dependencies"

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
# The image's ENV, and what an operator must give it (production: an app id, a webhook key).
env -i PATH="$PATH" HOME="$work" NODE_ENV=production PORT="$port" DATA_DIR="$work/image/data" \
  MicrosoftAppId=00000000-0000-0000-0000-0000000000aa MicrosoftAppPassword=image-steps-not-a-secret \
  MicrosoftAppType=MultiTenant LEADS_WEBHOOK_SECRET=image-steps-webhook-key-0123456789 \
  node --max-semi-space-size=16 dist/index.js 2>"$work/server.log" &                    # CMD [...]
server_pid=$!

# Wait for the server to say it listens (or to die), up to 30 s.
for _ in $(seq 1 300); do
  grep -q 'listening on' "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "image-steps: the server exited" >&2; exit 1; }
  sleep 0.1
done
grep -q 'listening on' "$work/server.log" || { cat "$work/server.log" >&2; echo "image-steps: not listening after 30 s" >&2; exit 1; }

# The HEALTHCHECK's own command, taken from the Dockerfile.
healthcheck="$(sed -n 's/^ *CMD \["node", "-e", "\(.*\)"\]$/\1/p' "$dockerfile" | head -1)"
[[ -n "$healthcheck" ]] || { echo "image-steps: no HEALTHCHECK CMD found in the Dockerfile" >&2; exit 1; }
PORT="$port" node -e "$healthcheck"
echo "HEALTHCHECK: healthy"
health="$(node -e "fetch('http://127.0.0.1:$port/healthz').then(r=>r.text()).then(console.log)")"
echo "/healthz: $health"
[[ "$health" == *'"status":"ok"'* && "$health" == *'"tab":"ok"'* ]] || { echo "image-steps: /healthz not ok with a built tab" >&2; exit 1; }

kill -TERM "$server_pid"                                                       # docker stop
code=0
wait "$server_pid" || code=$?
server_pid=""
[[ "$code" == 0 ]] || { cat "$work/server.log" >&2; echo "image-steps: exit $code after SIGTERM" >&2; exit 1; }
echo "SIGTERM: stopped, exit 0"
echo "== image steps passed"
