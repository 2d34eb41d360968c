import { describe, expect, it } from 'vitest';
import {
  describeConnectionError,
  describeRejection,
  formatSize,
  MAX_EDIT_BYTES,
  MAX_RELEASE_BYTES,
} from '../lib/collab/rejection-messages';

const REASONS = [
  'read-only',
  'forbidden-field',
  'invalid-value',
  'undecodable-update',
  'foreign-client-id',
  'clock-claim',
  'update-too-large',
  'document-too-large',
] as const;

const refused = (reason: string, fields: string[] = []) => ({
  reason,
  fields,
  message: `An update may be at most ${MAX_EDIT_BYTES} bytes; nothing was stored`,
});

describe(describeRejection.name, () => {
  it('words every refusal reason of PROTOCOL.md in plain language, and says the edit is gone', () => {
    for (const reason of REASONS) {
      const { title, description } = describeRejection(refused(reason));
      expect(title.length).toBeGreaterThan(0);
      expect(description).toMatch(/^[A-Z].*\.$/);
      // No reason ids, Yjs terms or raw byte counts reach the person.
      expect(`${title} ${description}`).not.toContain(reason);
      expect(`${title} ${description}`).not.toMatch(/Yjs|client id|bytes|\d{4,}/i);
      expect(description).toContain('edit is gone');
    }
  });

  it('says how large a paste may be, and how large a release may grow', () => {
    expect(describeRejection(refused('update-too-large'))).toEqual({
      title: 'This paste is too large to save',
      description: expect.stringContaining('at most 360 KB'),
    });
    expect(describeRejection(refused('document-too-large'))).toEqual({
      title: 'This release is full',
      description: expect.stringContaining('at most 1.5 MB'),
    });
  });

  it('names the fields a role may not change', () => {
    const labels: Record<string, string> = {
      'release.upc': 'Release · UPC / EAN',
      'release.label': 'Release · Label',
    };
    const { description } = describeRejection(
      refused('forbidden-field', ['release.upc', 'release.label']),
      (path) => labels[path] ?? path,
    );
    expect(description).toContain('Your role cannot change Release · UPC / EAN and Release · Label.');
  });

  it("falls back to the server's message for a reason it does not know", () => {
    expect(
      describeRejection({ reason: 'something-new', fields: [], message: 'Not today.' }).description,
    ).toContain('Not today.');
  });

  it('uses the server\'s limits (PROTOCOL.md, "Limits": maxUpdateBytes, maxDocumentBytes)', () => {
    expect(MAX_EDIT_BYTES).toBe(368_640);
    expect(MAX_RELEASE_BYTES).toBe(1_572_864);
    expect(formatSize(MAX_EDIT_BYTES)).toBe('360 KB');
    expect(formatSize(MAX_RELEASE_BYTES)).toBe('1.5 MB');
  });
});

describe(describeConnectionError.name, () => {
  it('explains a close after too many refusals, and stays quiet about the rest', () => {
    expect(describeConnectionError({ code: 'too-many-refusals' })?.title).toBe('Too many edits were refused');
    expect(describeConnectionError({ code: 'bad-awareness' })).toBeNull();
  });

  it.each([
    ['too-many-connections', 'Open in too many tabs'],
    ['too-many-messages', 'Too many changes at once'],
    ['too-many-pending-chunks', 'A large change could not be sent'],
  ])('tells the person about %s', (code, title) => {
    expect(describeConnectionError({ code })?.title).toBe(title);
  });
});
