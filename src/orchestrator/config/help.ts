/** Text shown at the end of --help: exit codes and how some flags combine. */
export const HELP_EPILOGUE = `Exit codes:
  0    every selected test passed
  1    a test failed or a suite timed out
  2    set-up or usage error (unknown suite/marker/bad value, no Docker engine, image build failed)
  130  interrupted (Ctrl-C or SIGTERM; every container, network and volume of the run is removed)

Notes:
  --suite takes suite names or upstream file names (test_api_workflows.py); repeat it or use commas.
  --markers selects tests by tag ("api,security" = api OR security); suites without such tests are not started.
  Every suite runs on its own fresh stack; the performance suite runs alone, after the others.
  --fail-fast: bail at the first failed test and start no new suite; suites already running finish.
  --keep: a failed suite's stack stays up (URLs, psql and redis-cli lines printed) until Ctrl-C.
  --seed also fixes the order: each suite's files and tests run shuffled under it (orderSeed in run.json).
  --cpus N puts an N-CPU quota on every container, to replay CI's load on a bigger machine.
  --warm-stacks N: the next suites' stacks start while the current ones test (each still used once).
  A failed suite's reproduce lines: alone, and with the suites that ran at the same time.
  Reports: <reports-dir>/index.html, summary.txt, junit.xml, run.json, repro.sh, <suite>/logs/.
Environment: CI (JSON logs, one line per event), PYNOMALY_IT_IMAGE, PYNOMALY_IT_POSTGRES_IMAGE,
  PYNOMALY_IT_REDIS_IMAGE, PYNOMALY_IT_PARALLEL, PYNOMALY_IT_CPUS, PYNOMALY_IT_WARM_STACKS, PYNOMALY_IT_SEED,
  PYNOMALY_IT_REPORTS_DIR, DOCKER_HOST.`;
