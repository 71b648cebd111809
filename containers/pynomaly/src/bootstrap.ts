import type { AppContext } from './context.ts';
import { unfinishedJobs } from './db/repositories/automl.ts';
import { runningExperiments } from './db/repositories/experiments.ts';
import { findUserByName, insertUser } from './db/repositories/users.ts';
import { enqueueAutoml } from './routes/automl.ts';
import { enqueueExperiment } from './services/experiment-runner.ts';

/**
 * The first admin from PYNOMALY_ADMIN_USERNAME/PASSWORD; a no-op when it exists (any replica, any
 * restart). It needs only these, so server.ts runs it while the app is still being built.
 */
export async function ensureAdmin(ctx: Pick<AppContext, 'config' | 'db' | 'compute' | 'log'>): Promise<void> {
  const { adminUsername, adminPassword } = ctx.config;
  if (!adminUsername || !adminPassword) return;
  if (await findUserByName(ctx.db, adminUsername)) return;
  const created = await insertUser(ctx.db, {
    username: adminUsername,
    email: null,
    passwordHash: await ctx.compute.run('hashPassword', {
      password: adminPassword,
      rounds: ctx.config.passwordHashRounds,
    }),
    role: 'admin',
  });
  if (created) ctx.log.info({ username: adminUsername }, 'created the first admin');
}

/**
 * AutoML jobs and experiments a stopped process left unfinished run again from the start (their
 * state is in PostgreSQL). With several replicas starting together each would resume them: the
 * reference deployment runs one replica per stack.
 */
export async function resumeJobs(ctx: AppContext): Promise<void> {
  // Both read before anything is enqueued: a retry after a failed read enqueues nothing twice.
  const [experiments, jobs] = await Promise.all([runningExperiments(ctx.db), unfinishedJobs(ctx.db)]);
  for (const experiment of experiments) {
    ctx.log.info({ experiment_id: experiment.id }, 'resuming an interrupted experiment');
    const owner = { id: experiment.owner_id, username: '', role: 'analyst' as const };
    enqueueExperiment(ctx, owner, experiment);
  }
  for (const job of jobs) {
    ctx.log.info({ job_id: job.id }, 'resuming an unfinished AutoML job');
    enqueueAutoml(ctx, job);
  }
}
