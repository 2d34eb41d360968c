/**
 * A small XML element tree: what the DDEX export builds, checks and then writes. DDEX content
 * is never mixed: an element holds either text or elements.
 */
export interface XmlElement {
  /** Local name. */
  name: string;
  /** Namespace URI; '' for an unqualified element (ERN's children all are). */
  namespace: string;
  /** Attributes by local name; a namespaced one as `{uri}local`. No `xmlns` declarations. */
  attributes: Record<string, string>;
  /** Child elements, or one text. */
  children: XmlElement[] | string;
}

type Attributes = Record<string, string | number | boolean | undefined>;
type Content = XmlElement | string | number | boolean | null | undefined | false | Content[];

/**
 * An unqualified element. `content` is text (a string, number or boolean) or elements; nested
 * arrays flatten and `null`, `undefined`, `false` and `''` drop out, so optional parts read
 * inline (`version && xml(…)`).
 */
export function xml(name: string, attributes: Attributes | null, ...content: Content[]): XmlElement {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined) attrs[key] = String(value);
  }
  const flat = content.flat(Number.POSITIVE_INFINITY as 1) as Content[];
  const parts = flat.filter((part) => part !== null && part !== undefined && part !== false && part !== '');
  const isText = parts.length === 1 && typeof parts[0] !== 'object';
  if (!isText && parts.some((part) => typeof part !== 'object')) {
    throw new Error(`<${name}> would mix text and elements`);
  }
  return {
    name,
    namespace: '',
    attributes: attrs,
    children: isText ? String(parts[0]) : (parts as XmlElement[]),
  };
}

/** The element children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return typeof element.children === 'string' ? [] : element.children.filter((c) => c.name === name);
}

/** The text of an element ('' for one with element children). */
export const textOf = (element: XmlElement): string =>
  typeof element.children === 'string' ? element.children : '';

// XML 1.0 §2.2: tab, LF, CR and U+0020 onwards, without surrogates (a lone one cannot be
// encoded), U+FFFE and U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text as XML can carry it: a character XML 1.0 cannot hold at all becomes U+FFFD, and the
 * markup characters are escaped. CR is escaped so a parser's line-end normalisation keeps it;
 * in attributes tab and LF are too, or attribute-value normalisation would turn them to spaces.
 */
function escapeXml(text: string, inAttribute: boolean): string {
  let out = text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
  if (inAttribute) out = out.replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
  return out;
}

export interface SerializeOptions {
  /** Prefix per namespace URI used by the tree, e.g. `{ 'http://ddex.net/xml/ern/43': 'ern' }`. */
  prefixes: Record<string, string>;
  /** Extra attributes written on the root as they are (e.g. `xsi:schemaLocation`). */
  rootAttributes?: Record<string, string>;
}

/** UTF-8 XML text of `root`, indented by two spaces, with the namespace declarations on the root. */
export function serializeXml(root: XmlElement, options: SerializeOptions): string {
  const qualified = (element: XmlElement) => {
    if (!element.namespace) return element.name;
    const prefix = options.prefixes[element.namespace];
    if (!prefix) throw new Error(`No prefix for namespace ${element.namespace}`);
    return `${prefix}:${element.name}`;
  };
  const attributeText = (attributes: Record<string, string>) =>
    Object.entries(attributes)
      .map(([key, value]) => {
        if (key.startsWith('{')) throw new Error(`Namespaced attribute ${key} needs rootAttributes`);
        return ` ${key}="${escapeXml(value, true)}"`;
      })
      .join('');
  const declarations = Object.entries(options.prefixes)
    .map(([uri, prefix]) => ` xmlns:${prefix}="${escapeXml(uri, true)}"`)
    .join('');
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const write = (element: XmlElement, depth: number, rootExtra: string) => {
    const indent = '  '.repeat(depth);
    const open = `${qualified(element)}${rootExtra}${attributeText(element.attributes)}`;
    if (typeof element.children === 'string') {
      lines.push(`${indent}<${open}>${escapeXml(element.children, false)}</${qualified(element)}>`);
    } else if (element.children.length === 0) {
      lines.push(`${indent}<${open}/>`);
    } else {
      lines.push(`${indent}<${open}>`);
      for (const child of element.children) write(child, depth + 1, '');
      lines.push(`${indent}</${qualified(element)}>`);
    }
  };
  write(root, 0, declarations + attributeText(options.rootAttributes ?? {}));
  return `${lines.join('\n')}\n`;
}
