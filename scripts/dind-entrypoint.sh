#!/usr/bin/env bash
# Inside the CI container: give the nested engine writable cgroups (the container runs with
# --cgroupns=private and SYS_ADMIN, not --privileged), start it, load the preloaded images,
# then run the job. The engine and its containers die with this container.
set -euo pipefail
mount -t tmpfs -o mode=0755 cgroup /sys/fs/cgroup
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
