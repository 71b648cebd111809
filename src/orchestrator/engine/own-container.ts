/**
 * Which container, if any, this process runs in, as candidate IDs for the engine to confirm.
 * Docker bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf from
 * <data-root>/containers/<id>/ into every container, so mountinfo names the full ID whatever the
 * cgroup version; the hostname is the short ID unless --hostname changed it.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

const MOUNTED_FROM = /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)\s/g;
const SHORT_ID = /^[0-9a-f]{12}$/;

/** Candidate IDs, most certain first: full IDs from mountinfo, then a hostname shaped like a short ID. */
export function ownContainerCandidates(mountinfo: string, host: string): string[] {
  const ids = new Set<string>();
  for (const match of mountinfo.matchAll(MOUNTED_FROM)) ids.add(match[1]);
  if (SHORT_ID.test(host) && ![...ids].some((id) => id.startsWith(host))) ids.add(host);
  return [...ids];
}

/** This process's candidates (outside a container, usually none; the engine confirms either way). */
export function readOwnContainerCandidates(): string[] {
  let mountinfo = '';
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    // Not Linux, or no /proc: only the hostname is left to go on.
  }
  return ownContainerCandidates(mountinfo, hostname());
}
