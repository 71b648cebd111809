/**
 * Import before anything that loads testcontainers. Ryuk (testcontainers' own reaper image)
 * cannot be pulled on these machines: with it enabled the first container start fails. Our
 * reaper (src/orchestrator/reaper) does its job. A value the user set is left alone.
 */
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
