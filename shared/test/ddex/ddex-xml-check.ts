import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkErn43Structure, type StructureProblem, type XmlElement } from '@patchline/shared';
import { SaxesParser } from 'saxes';

/**
 * Reading a DDEX export back the way a recipient would: a maintained, strict XML parser (saxes)
 * turns the text into the export's element tree, which `checkErn43Structure` then judges. Used
 * by the DDEX tests, the REST test and `bench/ddex.ts`.
 */

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** The element tree of `xml`; throws on text that is not well-formed, a DOCTYPE or mixed content. */
export function parseXmlTree(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const open: Array<{ element: XmlElement; elements: XmlElement[]; text: string }> = [];
  let root: XmlElement | undefined;
  parser.on('doctype', () => {
    throw new Error('a DOCTYPE is not expected in a DDEX message');
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.local, namespace: tag.uri, attributes: {}, children: [] };
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === XMLNS) continue;
      element.attributes[attribute.uri ? `{${attribute.uri}}${attribute.local}` : attribute.local] =
        attribute.value;
    }
    open.at(-1)?.elements.push(element);
    open.push({ element, elements: [], text: '' });
    root ??= element;
  });
  const addText = (text: string) => {
    const current = open.at(-1);
    if (current) current.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const { element, elements, text } = open.pop()!;
    if (elements.length > 0 && text.trim() !== '')
      throw new Error(`<${element.name}> mixes text and elements`);
    element.children = elements.length > 0 ? elements : text;
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

/** Every structural problem of a DDEX export's text (one for text that does not even parse). */
export function validateDdexXml(xml: string): StructureProblem[] {
  let root: XmlElement;
  try {
    root = parseXmlTree(xml);
  } catch (error) {
    return [{ path: '(document)', message: `not well-formed XML: ${(error as Error).message}` }];
  }
  return checkErn43Structure(root);
}

/** The official ERN 4.3 schema (`release-notification.xsd`), when a copy is given; DDEX's, never in the repo. */
export const DDEX_XSD = process.env.PATCHLINE_DDEX_XSD || undefined;
export const NO_XSD_MESSAGE =
  'skipped: set PATCHLINE_DDEX_XSD=<path to release-notification.xsd> (with allowed-value-sets.xsd beside it) to validate with xmllint';

/**
 * `xmllint --noout --schema "$PATCHLINE_DDEX_XSD" <file>…` over messages written to a temporary
 * folder as `<name>.xml`: xmllint's verdict and output per run (exit 0 only when all validate).
 */
export async function xmllintValidate(
  xsd: string,
  messages: Record<string, string>,
): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'patchline-ddex-'));
  try {
    const files: string[] = [];
    for (const [name, xml] of Object.entries(messages)) {
      const file = join(dir, `${name}.xml`);
      await writeFile(file, xml);
      files.push(file);
    }
    try {
      const { stdout, stderr } = await promisify(execFile)(
        'xmllint',
        ['--noout', '--schema', xsd, ...files],
        {
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      return { ok: true, output: `${stdout}${stderr}` };
    } catch (error) {
      const failed = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
      if (failed.code === 'ENOENT') throw new Error('xmllint is missing: apt-get install -y libxml2-utils');
      return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? failed.message}` };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
