/**
 * security / malicious uploads.
 *
 * Faults this file catches:
 * - executable or script extensions (.exe .js .php .bat .sh) accepted as datasets
 * - binary content (an ELF / PE header, a PNG, NUL bytes) accepted because the name ends in .csv,
 *   answered 415 instead of 422 BINARY_CONTENT, or stored
 *   (checked by faults/catalog/security.ts: sec-binary-upload-415)
 * - no size limit (an upload over PYNOMALY_MAX_DATASET_SIZE_MB not answered 413)
 * - CSV formula injection: cells starting with = + - @ exported back to CSV unneutralised
 * - a traversal file name (../../x.csv) breaking the upload or echoed as a path
 */
import { describe, expect } from 'vitest';
import { useServiceDatabase } from '../fixtures/db.ts';
import { expectCleanError } from '../fixtures/error-hygiene.ts';
import { describeResponse, expectError, expectStatus } from '../fixtures/http-client.ts';
import { test } from '../fixtures/test.ts';

const CSV = 'a,b\n1,2\n3,4\n';

describe('malicious uploads', { tags: ['security', 'api'] }, () => {
  const db = useServiceDatabase();

  test.for([
    ['malware.exe', 'application/octet-stream'],
    ['script.js', 'application/javascript'],
    ['shell.php', 'application/x-php'],
    ['run.bat', 'application/x-bat'],
    ['run.sh', 'application/x-sh'],
  ])('a file named %s is refused', async ([filename, contentType], { client, stack }) => {
    const res = await client.upload(
      '/api/datasets/upload',
      { filename, content: CSV, contentType },
      { name: filename },
    );
    expectStatus(res, [400, 415, 422], `an upload named ${filename} must be refused`);
    expectCleanError(res, stack, `upload of ${filename}`);
  });

  test('binary content with a .csv name is 422 BINARY_CONTENT and nothing is stored', async ({
    helper,
    client,
    stack,
  }) => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(512, 0)]);
    const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256, 0x90), Buffer.from([0, 0, 0xff, 0xfe])]);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from([0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]),
    ]);
    for (const [what, content] of [
      ['an ELF binary', elf],
      ['a PE binary', pe],
      ['a PNG image', png],
      ['CSV with NUL bytes', Buffer.from('a,b\n1,\u00002\n')],
    ] as const) {
      const name = helper.name('binary');
      const res = await client.upload(
        '/api/datasets/upload',
        { filename: 'data.csv', content, contentType: 'text/csv' },
        { name },
      );
      expectError(res, 422, 'BINARY_CONTENT', `${what} named data.csv must be refused with 422`);
      expectCleanError(res, stack, `upload of ${what}`);
      expect(await db.countDatasetsNamed(name), `no dataset may be stored for ${what}`).toBe(0);
    }
  });

  test('an upload over the size limit is refused with 413', { tags: ['slow'] }, async ({ client, stack }) => {
    const limitMb = Number(stack.serviceEnv.PYNOMALY_MAX_DATASET_SIZE_MB ?? 100);
    const row = '0.123456,0.654321,0.111111\n';
    const rows = Math.ceil(((limitMb + 1) * 1024 * 1024) / row.length);
    const content = `a,b,c\n${row.repeat(rows)}`;
    const res = await client.upload(
      '/api/datasets/upload',
      { filename: 'big.csv', content },
      { name: 'too-big' },
    );
    expectStatus(
      res,
      413,
      `a ${limitMb + 1} MB upload over the ${limitMb} MB limit must be refused with 413`,
    );
    expectCleanError(res, stack, 'oversized upload');
  });

  test('CSV formula injection is neutralised on export (or refused on upload)', async ({
    helper,
    client,
    stack,
  }) => {
    const csv = 'value,comment\n1,"=cmd|\' /C calc\'!A0"\n2,+1+1\n3,-2+3\n4,@SUM(1:1)\n5,plain\n';
    const res = await client.upload(
      '/api/datasets/upload',
      { filename: 'formulas.csv', content: csv },
      {
        name: helper.name('formula'),
      },
    );
    expectStatus(res, [200, 201, 400, 422], 'an upload with formula cells');
    if (res.status >= 400) {
      expectCleanError(res, stack, 'refused formula upload');
      return;
    }
    helper.track('dataset', res.body.data.id);
    const exported = await client.post(`/api/datasets/${res.body.data.id}/export`, { format: 'csv' });
    expectStatus(exported, 200, 'export as CSV');
    const csvText: string =
      typeof exported.body === 'string'
        ? exported.body
        : (exported.body.data?.content ?? exported.body.data?.csv ?? JSON.stringify(exported.body));
    const cells = csvText
      .split(/\r?\n/)
      .flatMap((line) => line.split(','))
      .map((cell) => cell.replace(/^"|"$/g, ''));
    const dangerous = cells.filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));
    expect(dangerous, `exported CSV must neutralise formula cells: ${describeResponse(exported)}`).toEqual(
      [],
    );
    expect(csvText, 'the neutralised cells must still carry their text').toContain('SUM(1:1)');
  });

  test('a traversal file name is stored as a plain name', async ({ helper, client, stack }) => {
    const res = await client.upload(
      '/api/datasets/upload',
      { filename: '../../../../tmp/evil.csv', content: CSV },
      {
        name: helper.name('traversal'),
      },
    );
    expectStatus(res, [200, 201, 400, 422], 'an upload with a traversal file name');
    if (res.status < 300) {
      helper.track('dataset', res.body.data.id);
      expect(res.text, 'the answer must not echo a traversal path').not.toContain('../');
    } else expectCleanError(res, stack, 'traversal file name');
  });
});
