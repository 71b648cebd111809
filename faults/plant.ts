import type { Fault } from './catalog.ts';

/** `source` with the fault planted: `find` replaced by `replace`; throws unless `find` occurs exactly once. */
export function plant(source: string, fault: Fault): string {
  const parts = source.split(fault.find);
  if (parts.length !== 2)
    throw new Error(
      `fault ${fault.name}: expected the text to plant in containers/pynomaly/src/${fault.file} exactly once, ` +
        `found it ${parts.length - 1} times: ${JSON.stringify(fault.find)}. Fix faults/catalog.ts.`,
    );
  return parts.join(fault.replace);
}
