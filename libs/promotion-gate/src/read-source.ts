import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { ShipgateError } from '@shipgate/model';

/** An evidence file: a path on disk or a stream of its bytes. */
export type EvidenceSource = string | Readable;

/** What a parser returns: the summary, plus the sha256 and size of the bytes it was parsed from. */
export interface ParsedReport<T> {
  summary: T;
  /** sha256 hex of the source bytes (the evidence record's `sourceHash`). */
  sourceHash: string;
  bytes: number;
}

/** Reads a source as UTF-8 text chunks, hashing the bytes and refusing more than `maxBytes`. */
export interface SourceReader {
  chunks: AsyncIterable<string>;
  /** Valid once `chunks` is exhausted. */
  totals(): { bytes: number; sourceHash: string };
  /** A name for messages: the path, or "the input stream". */
  label: string;
}

/** 512 MiB: larger than any real test report, small enough to refuse a runaway file early. */
export const defaultMaxEvidenceBytes = 512 * 1024 * 1024;

function tooLarge(label: string, maxBytes: number, found: string): ShipgateError {
  return new ShipgateError(
    'EVIDENCE_TOO_LARGE',
    `expected ${label} to be at most ${formatBytes(maxBytes)}, found ${found}`,
    {
      hint: 'Split the report into smaller files (`shipgate evidence add` takes --junit more than once); the limit is fixed.',
      location: { file: label },
    },
  );
}

/** `512 MiB`, `1.5 KiB`, `200 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}

/** Opens a path or stream for bounded, hashed, streaming reading. A path's size is checked before reading. */
export async function openSource(source: EvidenceSource, maxBytes: number): Promise<SourceReader> {
  const label = typeof source === 'string' ? source : 'the input stream';
  let stream: Readable;
  if (typeof source === 'string') {
    const info = await stat(source).catch((error: NodeJS.ErrnoException) => {
      throw new ShipgateError(
        'EVIDENCE_INVALID',
        `expected an evidence file at ${source}, found ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)}`,
        {
          hint: 'Check the path; it is relative to the current directory.',
          location: { file: source },
        },
      );
    });
    if (!info.isFile())
      throw new ShipgateError(
        'EVIDENCE_INVALID',
        `expected ${source} to be a file, found a directory or special file`,
        { location: { file: source } },
      );
    if (info.size > maxBytes) throw tooLarge(label, maxBytes, formatBytes(info.size));
    stream = createReadStream(source, { highWaterMark: 256 * 1024 });
  } else {
    stream = source;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  async function* chunks(): AsyncGenerator<string> {
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of stream as AsyncIterable<Buffer | string>) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        bytes += buffer.length;
        if (bytes > maxBytes) throw tooLarge(label, maxBytes, `more than that (${formatBytes(bytes)} read so far)`);
        hash.update(buffer);
        const text = decoder.write(buffer);
        if (text) yield text;
      }
      const rest = decoder.end();
      if (rest) yield rest;
    } finally {
      // Stops reading a large file as soon as the parser gives up.
      stream.destroy();
    }
  }
  return { chunks: chunks(), totals: () => ({ bytes, sourceHash: hash.digest('hex') }), label };
}

/** Reads a whole (small) source into a string, bounded and hashed. */
export async function readSourceText(
  source: EvidenceSource,
  maxBytes: number,
): Promise<{ text: string; bytes: number; sourceHash: string; label: string }> {
  const reader = await openSource(source, maxBytes);
  const parts: string[] = [];
  for await (const chunk of reader.chunks) parts.push(chunk);
  return { text: parts.join(''), ...reader.totals(), label: reader.label };
}
