/** Is a host name or address this machine's loopback (localhost, 127.0.0.0/8, ::1)? */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
