import { describe, expect, test } from 'vitest';
import {
  apiCoverage,
  mergeApiCoverage,
  parseRouteCounts,
} from '../../../src/orchestrator/reports/api-coverage.ts';
import { renderHtml } from '../../../src/orchestrator/reports/html.ts';
import { renderTextSummary } from '../../../src/orchestrator/reports/text.ts';
import { sampleRecord } from './fixtures.ts';

const spec = {
  paths: {
    '/api/health': { get: { operationId: 'health' } },
    '/api/datasets/{id}': { get: {}, delete: {}, parameters: [] },
    '/api/datasets/upload': { post: {} },
  },
};
const metrics = `# HELP pynomaly_http_request_duration_seconds HTTP request latency
pynomaly_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/health",status="200"} 3
pynomaly_http_request_duration_seconds_count{method="GET",route="/api/health",status="200"} 3
pynomaly_http_request_duration_seconds_count{method="GET",route="/api/datasets/:id",status="200"} 2
pynomaly_http_request_duration_seconds_count{method="GET",route="/api/datasets/:id",status="404"} 1
pynomaly_http_request_duration_seconds_count{method="GET",route="/metrics",status="200"} 1
pynomaly_http_request_duration_seconds_count{method="GET",route="unknown",status="404"} 4
`;

describe('API operation coverage', () => {
  test('counts per route template, fastify :params match OpenAPI {params}', () => {
    expect(parseRouteCounts(metrics)).toHaveLength(5);
    const c = apiCoverage(spec, metrics);
    expect(c.total).toBe(4);
    expect(c.covered).toBe(2);
    const get = c.operations.find((o) => o.method === 'GET' && o.path === '/api/datasets/{id}')!;
    expect(get.calls).toBe(3);
    expect(get.statuses).toEqual({ '200': 2, '404': 1 });
    expect(c.operations.find((o) => o.method === 'DELETE')!.calls).toBe(0);
    expect(c.undocumented).toEqual([{ method: 'GET', route: '/metrics', calls: 1 }]);
  });

  test('merge is the union over suites; reports show it', () => {
    const a = apiCoverage(spec, metrics);
    const b = apiCoverage(
      spec,
      'pynomaly_http_request_duration_seconds_count{method="POST",route="/api/datasets/upload",status="201"} 1',
    );
    const merged = mergeApiCoverage([a, b])!;
    expect(merged.covered).toBe(3);
    expect(mergeApiCoverage([])).toBeUndefined();
    const record = sampleRecord({ apiCoverage: merged });
    expect(renderTextSummary(record)).toContain('API operations exercised');
    expect(renderTextSummary(record)).toContain('3/4 (75%)');
    expect(renderTextSummary(record)).toContain('not exercised: DELETE /api/datasets/{id}');
    expect(renderHtml(record)).toContain('API coverage: 3/4 operations');
  });
});
