import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { ApiError, badRequest, tooLarge, unsupportedMedia } from '../http/errors.ts';

export interface Upload {
  fileName: string;
  mimeType: string;
  content: Buffer;
  fields: Record<string, string>;
}

const ALLOWED_EXTENSIONS = ['.csv', '.txt', '.tsv'];
const ALLOWED_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'text/tab-separated-values',
  'application/octet-stream',
];

/** A file name without any directory part or unusual characters (never a path). */
export function safeFileName(raw: string): string {
  const base = path.posix.basename(raw.replace(/\\/g, '/'));
  const cleaned = base
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 200);
  return cleaned === '' ? 'upload.csv' : cleaned;
}

/** Refuses names that are not CSV files (executables, scripts): 415. */
export function checkFileType(fileName: string, mimeType: string): void {
  const extension = path.extname(fileName).toLowerCase();
  if (!ALLOWED_EXTENSIONS.includes(extension))
    throw unsupportedMedia(
      `Only CSV files can be uploaded (got a ${extension || 'file without an extension'})`,
    );
  const type = mimeType.split(';')[0].trim().toLowerCase();
  if (type !== '' && !ALLOWED_TYPES.includes(type))
    throw unsupportedMedia(`Only text/csv content can be uploaded (got ${type})`);
}

/**
 * Reads a multipart upload: its text fields and one file named "file". The whole request is
 * read even past the size limit (the excess is discarded), so the client gets its 413.
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart())
    throw unsupportedMedia('Upload a CSV as multipart/form-data with a "file" field');
  const fields: Record<string, string> = {};
  let file: { name: string; type: string; chunks: Buffer[] } | null = null;
  let oversize = false;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const keep = part.fieldname === 'file' && file === null;
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (keep && size <= maxBytes) chunks.push(chunk);
        }
        if (part.file.truncated || size > maxBytes) oversize = true;
        if (keep) file = { name: part.filename, type: part.mimetype, chunks };
      } else if (
        typeof part.value === 'string' ||
        typeof part.value === 'number' ||
        typeof part.value === 'boolean'
      ) {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' || oversize)
      throw tooLarge(`The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
    if (error instanceof ApiError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw tooLarge('The upload has too many parts or fields');
    throw badRequest('The multipart body could not be read');
  }
  if (oversize) throw tooLarge(`The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
  if (!file) throw badRequest('The multipart body has no "file" part');
  return { fileName: file.name, mimeType: file.type, content: Buffer.concat(file.chunks), fields };
}
