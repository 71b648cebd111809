/** Reported by / and /api/health; kept in step with package.json by hand. */
export const SERVICE_VERSION = '1.0.0';
