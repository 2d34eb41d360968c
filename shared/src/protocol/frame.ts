import { randomId } from '../domain/ids.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { type ControlMessage, readControlMessage, writeControlMessage } from './control-message.js';
import { ProtocolError, ProtocolErrorReason } from './errors.js';
import { type ProtocolLimits, resolveLimits } from './limits.js';

/**
 * The three kinds of text frame (PROTOCOL.md):
 * - data: bare base64 of one whole y-protocols message;
 * - chunk: `~<id>:<index>:<count>:<base64 of this slice>`, parts of a larger message;
 * - control: a JSON object (`{…}`).
 * The first character tells them apart: `~` and `{` are not base64 symbols.
 */
export type Frame =
  | { kind: 'data'; message: Uint8Array }
  | { kind: 'chunk'; id: string; index: number; count: number; bytes: Uint8Array }
  | { kind: 'control'; message: ControlMessage };

export const CHUNK_PREFIX = '~';
const CHUNK_HEADER = /^~([A-Za-z0-9_-]{1,32}):(0|[1-9]\d{0,5}):([1-9]\d{0,5}):/;
/** Longest header the encoder writes for `id`: prefix, id, two 6-digit numbers, three colons. */
const maxHeaderLength = (id: string) => CHUNK_PREFIX.length + id.length + 6 + 6 + 3;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** UTF-8 length without allocating: frames are mostly ASCII, so this is usually `length`. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3; // includes a lone surrogate, which UTF-8 encoders replace with U+FFFD
  }
  return bytes;
}

/**
 * Frames for one y-protocols message: a single data frame when it fits, otherwise chunks of
 * at most `maxFrameBytes` each. Throws `message-too-large` above `maxMessageBytes` so the sender
 * learns before anything is sent.
 */
export function writeMessageFrames(
  message: Uint8Array,
  overrides: Partial<ProtocolLimits> = {},
  id = randomId(16),
): string[] {
  const limits = resolveLimits(overrides);
  if (message.length === 0)
    throw new ProtocolError(ProtocolErrorReason.emptyFrame, 'cannot send an empty message');
  if (message.length > limits.maxMessageBytes) {
    throw new ProtocolError(
      ProtocolErrorReason.messageTooLarge,
      `message of ${message.length} bytes exceeds the ${limits.maxMessageBytes}-byte limit`,
    );
  }
  if (Math.ceil(message.length / 3) * 4 <= limits.maxFrameBytes) return [encodeBase64(message)];
  // 3 bytes become 4 symbols, so slice on multiples of 3 to keep padding only in the last chunk.
  const sliceBytes = Math.floor((limits.maxFrameBytes - maxHeaderLength(id)) / 4) * 3;
  if (sliceBytes <= 0)
    throw new ProtocolError(
      ProtocolErrorReason.frameTooLarge,
      'maxFrameBytes is too small for a chunk header',
    );
  const count = Math.ceil(message.length / sliceBytes);
  // The receiver refuses headers above maxChunks (P4), so refuse here before anything is sent.
  if (count > limits.maxChunks) {
    throw new ProtocolError(
      ProtocolErrorReason.messageTooLarge,
      `message of ${message.length} bytes needs ${count} chunks, more than ${limits.maxChunks}`,
    );
  }
  const frames: string[] = [];
  for (let index = 0; index < count; index++) {
    const slice = message.subarray(index * sliceBytes, (index + 1) * sliceBytes);
    frames.push(`${CHUNK_PREFIX}${id}:${index}:${count}:${encodeBase64(slice)}`);
  }
  return frames;
}

export function writeControlFrame(message: ControlMessage): string {
  return writeControlMessage(message);
}

/** Decodes one text frame; throws `ProtocolError` and nothing else. */
export function readFrame(text: string, overrides: Partial<ProtocolLimits> = {}): Frame {
  const limits = resolveLimits(overrides);
  if (typeof text !== 'string')
    throw new ProtocolError(ProtocolErrorReason.unknownFrame, 'frames must be text');
  if (text.length === 0) throw new ProtocolError(ProtocolErrorReason.emptyFrame, 'empty frame');
  if (text.length > limits.maxFrameBytes || utf8Length(text) > limits.maxFrameBytes) {
    throw new ProtocolError(ProtocolErrorReason.frameTooLarge, `frame exceeds ${limits.maxFrameBytes} bytes`);
  }
  const first = text[0];
  if (first === '{') return { kind: 'control', message: readControlMessage(text) };
  if (first === CHUNK_PREFIX) return readChunk(text, limits);
  return { kind: 'data', message: decodeBase64(text) };
}

function readChunk(text: string, limits: ProtocolLimits): Frame {
  const header = CHUNK_HEADER.exec(text);
  if (!header) throw new ProtocolError(ProtocolErrorReason.badChunkHeader, 'malformed chunk header');
  const [, id, indexText, countText] = header;
  const index = Number(indexText);
  const count = Number(countText);
  if (count < 2 || count > limits.maxChunks || index >= count) {
    throw new ProtocolError(ProtocolErrorReason.badChunkHeader, `chunk ${index} of ${count} is out of range`);
  }
  const bytes = decodeBase64(text.slice(header[0].length));
  if (bytes.length === 0) throw new ProtocolError(ProtocolErrorReason.emptyFrame, 'empty chunk');
  return { kind: 'chunk', id: id!, index, count, bytes };
}
