#!/usr/bin/env bash
# The CI job in a container with its own Docker engine (Docker-in-Docker without --privileged,
# which these machines refuse): resolve the images on the host engine, save the run's for the
# nested engine, build the CI image (Dockerfile.integration-tests, the same image as the
# socket-mounted mode), run it with the capabilities a nested engine needs, and collect its
# reports into ./test_reports. Arguments go to `pynomaly-it run`.
#   bash scripts/ci-dind.sh --suite database
# SYS_PTRACE: without it `docker exec` (health checks) fails in the nested engine with "setns".
# Needs: a running engine (npm run setup) and `npm ci` done on the host (the container has no
# npm registry). PYNOMALY_IT_CI_IMAGE names the image (default pynomaly-it-ci; it is kept, so the
# next build is cached). Exit code: the run's (0, 1, 2, 130).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
image=${PYNOMALY_IT_CI_IMAGE:-pynomaly-it-ci}

echo "ci-dind: resolving images on the host engine"
# stdout of `images` is the table; logs go to stderr when CI is unset. It also provides the
# CI image's base (node:…-bookworm-slim: pulled, or built where no registry has it).
table=$(env -u CI npx tsx src/orchestrator/cli.ts images --log-format pretty)
ref_of() { printf '%s\n' "$table" | awk -v n="$1" '$1 == n { print $2 }'; }
run_images=$(for n in postgres redis pynomaly reaper; do ref_of "$n"; done)

scratch=$(mktemp -d /tmp/pynomaly-it-dind-XXXXXX)
container="pit-ci-$$"
cleanup() {
  docker rm -f "$container" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "ci-dind: saving $(echo $run_images | wc -w) images for the nested engine"
# shellcheck disable=SC2086
docker save -o "$scratch/images.tar" $run_images

echo "ci-dind: building $image from Dockerfile.integration-tests"
docker build -q -f Dockerfile.integration-tests --label pynomaly-it.image=ci -t "$image" . >/dev/null

mkdir -p "$root/test_reports"
echo "ci-dind: running the job in $container"
set +e
docker run --name "$container" --label pynomaly-it.owner=ci-dind \
  --cgroupns=private --cap-add SYS_ADMIN --cap-add NET_ADMIN --cap-add MKNOD --cap-add SYS_PTRACE \
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
  --tmpfs /var/lib/docker:rw,exec,dev,suid \
  -v "$scratch:/images:ro" -v "$root/test_reports:/reports" \
  "$image" node bin/pynomaly-it.js run "$@"
code=$?
set -e
echo "ci-dind: job exited $code; reports in $root/test_reports/latest"
exit "$code"
