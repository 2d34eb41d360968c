import { childrenNamed, type DdexSettings, textOf, type XmlElement } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DDEX_XSD,
  NO_XSD_MESSAGE,
  parseXmlTree,
  validateDdexXml,
  xmllintValidate,
} from '../../../shared/test/ddex/ddex-xml-check.js';
import { type Actors, ownedRelease, signInActors } from '../support/api-actors.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// Shaped for the schema (`PADPIDA` + letters and digits) but no DPID: a test names no real company.
const LABEL_SETTINGS: DdexSettings = {
  sender: { dpid: 'PADPIDATESTLABEL', name: 'Loopback Records (test)' },
  recipient: { dpid: 'PADPIDATESTSTORE', name: 'Test Store' },
};

let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1, ddex: LABEL_SETTINGS });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

const at = (root: XmlElement, path: string) =>
  path.split('/').reduce<XmlElement[]>((found, name) => found.flatMap((e) => childrenNamed(e, name)), [root]);
const texts = (root: XmlElement, path: string) => at(root, path).map(textOf);

describe('GET /releases/:id/export.ddex.xml', () => {
  it("gives a viewer the demo release as a valid ERN 4.3 message from the label's sender to its recipient", async () => {
    const releaseId = stack.demoReleaseId;
    const response = await actors.api.viewer.get<string>(`/releases/${releaseId}/export.ddex.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="release-${releaseId}.ddex.xml"`,
    );
    const message = response.body;
    expect(validateDdexXml(message)).toEqual([]);

    const root = parseXmlTree(message);
    const sheet = (
      await actors.api.viewer.get<{ release: { upc: string }; tracks: { isrc: string }[] }>(
        `/releases/${releaseId}/export.json`,
      )
    ).body;
    expect(texts(root, 'MessageHeader/MessageThreadId')).toEqual([`patchline-release-${releaseId}`]);
    expect(texts(root, 'MessageHeader/MessageId')[0]).toMatch(new RegExp(`^${releaseId}-[0-9a-z]{12}$`));
    expect(texts(root, 'MessageHeader/MessageSender/PartyId')).toEqual(['PADPIDATESTLABEL']);
    expect(texts(root, 'MessageHeader/MessageRecipient/PartyName/FullName')).toEqual(['Test Store']);
    // The demo release is a draft: a test message.
    expect(texts(root, 'MessageHeader/MessageControlType')).toEqual(['TestMessage']);
    expect(texts(root, 'ReleaseList/Release/ReleaseId/ICPN')).toEqual([sheet.release.upc]);
    expect(texts(root, 'ResourceList/SoundRecording/SoundRecordingEdition/ResourceId/ISRC')).toEqual(
      sheet.tracks.map((t) => t.isrc),
    );
    expect(texts(root, 'ReleaseList/Release/ReleaseType')).toEqual(['EP']);

    if (DDEX_XSD) {
      const result = await xmllintValidate(DDEX_XSD, { demo: message });
      expect(result.ok, result.output).toBe(true);
    } else {
      console.log(`[ddex-export] xmllint ${NO_XSD_MESSAGE}`);
    }
  });

  it('answers 404 to someone who cannot read the release, exactly as for a release that does not exist', async () => {
    const asOutsider = await actors.api.outsider.get(`/releases/${stack.demoReleaseId}/export.ddex.xml`);
    const unknown = await actors.api.outsider.get('/releases/0123456789abcdef/export.ddex.xml');
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.body).toEqual({ error: 'not-found', message: expect.any(String) });
    expect(asOutsider.body).toEqual(unknown.body);
    expect((await actors.api.anonymous.get(`/releases/${stack.demoReleaseId}/export.ddex.xml`)).status).toBe(
      401,
    );
  });

  it('is a live message once the release is delivered', async () => {
    const releaseId = await ownedRelease(stack, actors, { status: 'delivered', title: 'Delivered' });
    const response = await actors.api.viewer.get<string>(`/releases/${releaseId}/export.ddex.xml`);
    expect(response.status).toBe(200);
    expect(validateDdexXml(response.body)).toEqual([]);
    expect(texts(parseXmlTree(response.body), 'MessageHeader/MessageControlType')).toEqual(['LiveMessage']);
  });

  it('refuses a release that is not ready with its blocking problems, like submitting does', async () => {
    const created = await actors.api.owner.post<{ releaseId: string }>('/releases', { title: 'Unfinished' });
    expect(created.status).toBe(201);
    const response = await actors.api.owner.get<{ error: string; details: { path: string }[] }>(
      `/releases/${created.body.releaseId}/export.ddex.xml`,
    );
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('not-ready');
    expect(response.body.details.map((p) => p.path)).toEqual(
      expect.arrayContaining(['release.upc', 'release.label', 'release.genre']),
    );
  });
});
