/**
 * api-workflows / list routes: limit, offset, filters and order, on objects the test created.
 *
 * Faults this file catches:
 * - offset ignored or limit not applied (pages overlap, or miss an object), limit/offset not echoed
 * - a filter ignored (datasets name_contains; experiments status, tags)
 * - the order of a list not newest first (datasets, detectors, sessions, experiments)
 *   (checked by faults/catalog/api-workflows.ts: api-datasets-offset-ignored, api-datasets-name-filter-ignored,
 *   api-detectors-oldest-first, api-experiments-tags-filter-ignored)
 */
import { describe, expect } from 'vitest';
import { sampleDataset, toCsv } from '../fixtures/sample-data.ts';
import { test } from '../fixtures/test.ts';
import { pageThrough } from './paging.ts';

const SMALL_CSV = toCsv(sampleDataset(3, 40));

describe('list routes', { tags: ['api', 'integration', 'workflows'] }, () => {
  test('datasets: name_contains, limit, offset and newest first', async ({ helper, client }) => {
    const prefix = helper.name('listed');
    const created = [];
    for (const suffix of ['a', 'b', 'c'])
      created.push(await helper.uploadCsv(SMALL_CSV, { name: `${prefix}-${suffix}` }));
    // A neighbour whose name lacks the prefix: an ignored filter would list it.
    const other = await helper.uploadCsv(SMALL_CSV, { name: helper.name('unlisted') });
    const newestFirst = created.map((d) => d.id).reverse();

    const first = await client.data(
      'GET',
      '/api/datasets',
      { query: { name_contains: prefix, limit: 2, offset: 0 }, expected: 200 },
      'listing datasets by name must answer 200',
    );
    expect(first.total, 'name_contains must count only the 3 datasets with the prefix').toBe(3);
    expect(first.limit, 'the dataset list must echo limit').toBe(2);
    expect(first.offset, 'the dataset list must echo offset').toBe(0);
    expect(
      first.datasets.map((d: { id: string }) => d.id),
      'the first page (limit 2) must hold the 2 newest datasets with the prefix, newest first',
    ).toEqual(newestFirst.slice(0, 2));
    const second = await client.data(
      'GET',
      '/api/datasets',
      { query: { name_contains: prefix, limit: 2, offset: 2 }, expected: 200 },
      'listing datasets by name must answer 200',
    );
    expect(second.offset, 'the dataset list must echo offset').toBe(2);
    expect(
      second.datasets.map((d: { id: string }) => d.id),
      'offset 2 must give the third (oldest) dataset with the prefix, and only it',
    ).toEqual(newestFirst.slice(2));
    for (const d of [...first.datasets, ...second.datasets])
      expect(d.name, 'name_contains must list only names containing it').toContain(prefix);

    const byOtherName = await client.data(
      'GET',
      '/api/datasets',
      { query: { name_contains: other.name, limit: 10 }, expected: 200 },
      'listing datasets by name must answer 200',
    );
    expect(
      byOtherName.datasets.map((d: { id: string }) => d.id),
      'name_contains of a unique name must list that dataset only',
    ).toEqual([other.id]);
  });

  test('detectors: every page of limit 2 is disjoint, complete and newest first', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadCsv(SMALL_CSV);
    const mine = [];
    for (let i = 0; i < 3; i++)
      mine.push((await helper.createDetector(dataset.id, { algorithm: 'zscore' })).id);
    const { ids } = await pageThrough(client, '/api/detectors', 'detectors', mine);
    expect(ids, 'pages of the detector list must hold each of my detectors once, newest first').toEqual(
      [...mine].reverse(),
    );
  });

  test('streaming sessions: every page of limit 2 is disjoint, complete and newest first', async ({
    helper,
    client,
  }) => {
    const dataset = await helper.uploadCsv(SMALL_CSV);
    const detector = await helper.createDetector(dataset.id, { algorithm: 'zscore' });
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push((await helper.createSession(detector.id)).id);
    const { ids } = await pageThrough(client, '/api/streaming/sessions', 'sessions', mine);
    expect(ids, 'pages of the session list must hold each of my sessions once, newest first').toEqual(
      [...mine].reverse(),
    );
  });

  test('experiments: tags and status filters, pages, newest first', async ({ helper, client }) => {
    const dataset = await helper.uploadCsv(SMALL_CSV, { targetColumn: 'label' });
    const tag = helper.name('tag');
    const algorithms = [{ name: 'zscore' }];
    const alpha1 = await helper.createExperiment(dataset.id, algorithms, { tags: [tag, 'alpha'] });
    const beta = await helper.createExperiment(dataset.id, algorithms, { tags: [tag, 'beta'] });
    const alpha2 = await helper.createExperiment(dataset.id, algorithms, { tags: [tag, 'alpha'] });
    // Tagged with something that merely starts like the tag: a filter must not list it.
    await helper.createExperiment(dataset.id, algorithms, { tags: [`${tag}-other`, 'alpha'] });
    const tagged = [alpha2.id, beta.id, alpha1.id];

    const { ids, total } = await pageThrough(client, '/api/experiments', 'experiments', tagged, {
      query: { tags: tag },
    });
    expect(total, 'tags=<tag> must count only the 3 experiments carrying the tag').toBe(3);
    expect(ids, 'tags=<tag> must list the 3 tagged experiments, newest first').toEqual(tagged);

    const both = await client.data(
      'GET',
      '/api/experiments',
      { query: { tags: `${tag},alpha`, limit: 10 }, expected: 200 },
      'listing experiments by tags must answer 200',
    );
    expect(
      both.experiments.map((e: { id: string }) => e.id),
      'tags=<tag>,alpha must list only the experiments carrying both tags, newest first',
    ).toEqual([alpha2.id, alpha1.id]);
    expect(both.total, 'tags=<tag>,alpha must count 2').toBe(2);

    const created = await client.data(
      'GET',
      '/api/experiments',
      { query: { tags: tag, status: 'created', limit: 10 }, expected: 200 },
      'listing experiments by status must answer 200',
    );
    expect(created.total, 'status=created must count the 3 new tagged experiments').toBe(3);
    const completed = await client.data(
      'GET',
      '/api/experiments',
      { query: { tags: tag, status: 'completed', limit: 10 }, expected: 200 },
      'listing experiments by status must answer 200',
    );
    expect(completed.experiments, 'status=completed must not list experiments that never ran').toEqual([]);
    expect(completed.total, 'status=completed must count 0 of the tagged experiments').toBe(0);
  });
});
