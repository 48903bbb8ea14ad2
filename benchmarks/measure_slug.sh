#!/usr/bin/env bash
# Measure what Heroku would ship: a fresh environment from requirements.txt, the app's files (minus
# .slugignore), and the exported model, packed as tar + gzip like a slug. Heroku rejects slugs over
# 500 MB compressed.
#
# usage: benchmarks/measure_slug.sh [MODEL_DIR]
#   MODEL_DIR   an exported model (flask --app app model export DIR); omitted = no model in the slug
#   SLUG_WORKDIR  where to build (default /tmp/slug-measure); the venv is reused while the
#                 requirements files are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODEL_DIR=${1:-}
WORK=${SLUG_WORKDIR:-/tmp/slug-measure}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
BUILD=$WORK/build                 # plays /app on the dyno
SITE=$BUILD/.heroku/python        # where the buildpack installs packages
mkdir -p "$WORK"

# 1. Packages: a fresh venv from the serving requirements only (what the buildpack installs).
stamp=$(cat requirements.txt constraints.txt | sha256sum | cut -c1-16)
if [ "$(cat "$WORK/venv.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$BUILD"
  "$PYTHON" -m venv "$SITE"
  "$SITE/bin/pip" install --quiet --upgrade pip
  "$SITE/bin/pip" install --quiet -r requirements.txt -c constraints.txt
  echo "$stamp" > "$WORK/venv.stamp"
fi

# 2. The app: every tracked or new, non-ignored file, minus what .slugignore drops.
find "$BUILD" -mindepth 1 -maxdepth 1 ! -name .heroku -exec rm -rf {} +
git ls-files --cached --others --exclude-standard -z | "$PYTHON" -c '
import fnmatch, pathlib, shutil, sys
build = pathlib.Path(sys.argv[1])
ignore = pathlib.Path(".slugignore")
patterns = [line.strip().lstrip("/") for line in (ignore.read_text().splitlines()
            if ignore.exists() else []) if line.strip() and not line.startswith("#")]
for name in filter(None, sys.stdin.read().split("\0")):
    path = pathlib.Path(name)
    prefixes = ["/".join(path.parts[: i + 1]) for i in range(len(path.parts))]
    if not path.is_file() or any(fnmatch.fnmatch(p, pat) for p in prefixes for pat in patterns):
        continue
    (build / path).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, build / path)
' "$BUILD"
if [ -n "$MODEL_DIR" ]; then
  cp -r "$MODEL_DIR" "$BUILD/model"
fi

# 3. Pack like a slug and report.
tar -czf "$WORK/slug.tgz" -C "$BUILD" .
runtime_tgz=$WORK/python-runtime.tgz
base=$("$PYTHON" -c 'import sys; print(sys.base_prefix)')
tar -czf "$runtime_tgz" -C "$base" --exclude='site-packages' --exclude='__pycache__' \
  --exclude='test' --exclude='*.a' bin lib include 2>/dev/null || true
mb() { echo "scale=1; $(stat -c %s "$1") / 1048576" | bc; }
echo "slug (packages + app + model), compressed: $(mb "$WORK/slug.tgz") MB"
echo "slug uncompressed: $(du -sm "$BUILD" | cut -f1) MB"
echo "python runtime (the buildpack adds it), compressed: $(mb "$runtime_tgz") MB"
[ -n "$MODEL_DIR" ] && echo "model directory uncompressed: $(du -sm "$BUILD/model" | cut -f1) MB"
echo "app files (without packages and model): $(du -sm --exclude=.heroku --exclude=model "$BUILD" \
  | cut -f1) MB"
echo "largest installed packages (MB, uncompressed):"
du -sm "$SITE"/lib/python3*/site-packages/* | sort -rn | head -12
cd "$ROOT"
