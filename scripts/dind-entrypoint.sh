#!/usr/bin/env bash
# Entrypoint of the CI image (Dockerfile.integration-tests). An engine given to the container —
# the host's socket mounted at /var/run/docker.sock, or DOCKER_HOST — is used as it is (the
# runner then reaches the stacks on their networks: engine/reach.ts). Without one, the container
# starts its own, nested engine (scripts/ci-dind.sh: --cgroupns=private and SYS_ADMIN, not
# --privileged): writable cgroups for it, start it, load the preloaded images from /images, run
# the job. The nested engine and its containers die with this container.
set -euo pipefail
if [ -n "${DOCKER_HOST:-}" ] || [ -S /var/run/docker.sock ]; then exec "$@"; fi

mount -t tmpfs -o mode=0755 cgroup /sys/fs/cgroup \
  || { echo "no engine given (mount /var/run/docker.sock) and no rights for a nested one (scripts/ci-dind.sh)" >&2; exit 2; }
for s in cpu cpuacct cpuset memory devices freezer net_cls blkio perf_event net_prio hugetlb pids; do
  mkdir -p "/sys/fs/cgroup/$s"
  mount -n -t cgroup -o "$s" cgroup "/sys/fs/cgroup/$s" 2>/dev/null || rmdir "/sys/fs/cgroup/$s"
done
mkdir -p /sys/fs/cgroup/systemd && mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd

dockerd >/var/log/dockerd.log 2>&1 </dev/null &
for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
docker info >/dev/null 2>&1 || { echo "nested engine did not start:" >&2; tail -n 20 /var/log/dockerd.log >&2; exit 2; }
for tar in /images/*.tar; do
  [ -e "$tar" ] && docker load -q -i "$tar"
done
exec "$@"
