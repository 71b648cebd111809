import { writeFile } from 'node:fs/promises';
import { parseStackEndpoints, type StackEndpoints } from '../../shared/stack-endpoints.ts';

/** The endpoints file a suite reads (PYNOMALY_IT_STACK_FILE), checked against the shared schema. */
export async function writeStackFile(
  file: string,
  endpoints: StackEndpoints,
  controlUrl?: string,
): Promise<void> {
  const value = parseStackEndpoints({ ...endpoints, ...(controlUrl ? { controlUrl } : {}) }, 'the stack');
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
