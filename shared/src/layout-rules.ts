// biome-ignore-all lint/suspicious/noExplicitAny: Yjs types its parent links as AbstractType<any>.
import * as Y from 'yjs';
import {
  DOC_ROOTS,
  META_FIELDS,
  RELEASE_FIELDS,
  TRACK_LIST_FIELDS,
  TRACK_POSITION_KEY,
  TRACK_SCALAR_FIELDS,
} from './doc-layout.js';
import { isValidId } from './domain/ids.js';
import {
  creditSchema,
  releaseFieldsSchema,
  splitSchema,
  trackScalarFieldsSchema,
} from './domain/release-sheet.js';

/**
 * The document layout of `doc-layout.ts` as checkable rules, read straight from Yjs items so that
 * nothing stored in a document (any Yjs type, any JSON, a map entry in a list, list content in a
 * map) makes a check throw, and nothing foreign is walked into:
 *
 * - `release`: a Y.Map of RELEASE_FIELDS, each a plain value its `releaseFieldsSchema` accepts.
 * - `meta`: a Y.Map of META_FIELDS (`schemaVersion`, a safe integer).
 * - `tracks`: a Y.Map from track ids (`isValidId`) to Y.Maps holding TRACK_SCALAR_FIELDS (plain
 *   values per `trackScalarFieldsSchema`), a string `position` (required) and the lists
 *   `credits` / `splits`: Y.Arrays of Y.Maps whose keys are exactly those of `creditSchema` /
 *   `splitSchema`, with plain values the schema accepts.
 * - `notes`: a Y.XmlFragment of Y.XmlElements and Y.XmlTexts only; elements hold elements and
 *   texts, with attributes that are primitive JSON values; texts hold strings and formatting only.
 *
 * Maps hold no list content, lists no map entries, and no other root holds anything. A value is
 * "plain" when it was written with `map.set(key, json)` (a ContentAny item), not as a Yjs type,
 * binary, embed or subdocument.
 */

type Schema = { safeParse(value: unknown): { success: boolean } };
type EntrySchema = Schema & { shape: Record<string, unknown> };
type AnyType = Y.AbstractType<any>;

type Role =
  | 'release'
  | 'meta'
  | 'tracks'
  | 'track'
  | 'credits'
  | 'splits'
  | 'credit'
  | 'split'
  | 'notes'
  | 'element'
  | 'text';

const releaseSchemas = releaseFieldsSchema.shape as Record<string, Schema>;
const trackSchemas = trackScalarFieldsSchema.shape as Record<string, Schema>;
const entrySchemas: Record<'credit' | 'split', EntrySchema> = { credit: creditSchema, split: splitSchema };
const metaSchemas: Record<string, Schema> = {
  schemaVersion: { safeParse: (value) => ({ success: Number.isSafeInteger(value) }) },
};
const releaseFieldSet = new Set<string>(RELEASE_FIELDS);
const metaFieldSet = new Set<string>(META_FIELDS);
const trackScalarSet = new Set<string>(TRACK_SCALAR_FIELDS);

const ROOT_ROLES: Record<string, Role> = {
  [DOC_ROOTS.release]: 'release',
  [DOC_ROOTS.meta]: 'meta',
  [DOC_ROOTS.tracks]: 'tracks',
  [DOC_ROOTS.notes]: 'notes',
};
const ROOT_CLASSES: Partial<Record<Role, unknown>> = {
  release: Y.Map,
  meta: Y.Map,
  tracks: Y.Map,
  notes: Y.XmlFragment,
};
const MAP_ROLES = new Set<Role>(['release', 'meta', 'tracks', 'track', 'credit', 'split']);

/** One piece of foreign content; `item` is what deleting repairs it (null: not repairable). */
interface Finding {
  where: string;
  problem: string;
  item: Y.Item | null;
}

const describe = (finding: Finding) => `${finding.where}: ${finding.problem}`;

/** `where` of a map entry: `release.title`, `tracks["a.b"]`. */
const keyIn = (where: string, key: string) =>
  /^[A-Za-z0-9_]+$/.test(key) ? `${where}.${key}` : `${where}[${JSON.stringify(key)}]`;

/** Exact class: Y.XmlHook is a Y.Map subclass and Y.XmlElement a Y.XmlFragment subclass. */
const className = (value: unknown): string =>
  (value as { constructor?: { name?: unknown } } | null)?.constructor?.name?.toString() ?? typeof value;

/** The Yjs type an item holds, if it holds one. */
const typeOf = (item: Y.Item): AnyType | null =>
  item.content instanceof Y.ContentType ? item.content.type : null;

/** The plain (JSON) value an item holds, as `Y.Map#get` reads it; `undefined` when not plain. */
function plainOf(item: Y.Item): { value: unknown } | undefined {
  const content = item.content;
  if (!(content instanceof Y.ContentAny) || content.arr.length === 0) return undefined;
  return { value: content.arr[content.arr.length - 1] };
}

const isPrimitive = (value: unknown) =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/** The live item of map key `key` of any type, as `Y.Map#get` sees it. */
function liveEntry(type: AnyType, key: string): Y.Item | undefined {
  const item = type._map.get(key);
  return item instanceof Y.Item && !item.deleted ? item : undefined;
}

function* liveEntries(type: AnyType): Generator<[string, Y.Item]> {
  for (const [key, item] of type._map) if (item instanceof Y.Item && !item.deleted) yield [key, item];
}

function* liveItems(type: AnyType): Generator<Y.Item> {
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) yield item;
}

/** The role of a Yjs type stored under `key` of a type of role `parent`, or null if none may be. */
function childRole(parent: Role, key: string | null, type: AnyType): Role | null {
  const cls = type.constructor;
  switch (parent) {
    case 'tracks':
      return key !== null && isValidId(key) && cls === Y.Map ? 'track' : null;
    case 'track':
      if (cls !== Y.Array) return null;
      return key === 'credits' ? 'credits' : key === 'splits' ? 'splits' : null;
    case 'credits':
    case 'splits':
      return key === null && cls === Y.Map ? (parent === 'credits' ? 'credit' : 'split') : null;
    case 'notes':
    case 'element':
      if (key !== null) return null;
      return cls === Y.XmlElement ? 'element' : cls === Y.XmlText ? 'text' : null;
    default:
      return null;
  }
}

/** Whether `type` may be root `role`: its own class, or not instantiated yet (a bare AbstractType). */
const fitsRoot = (type: AnyType, role: Role) =>
  type.constructor === ROOT_CLASSES[role] || type.constructor === Y.AbstractType;

/**
 * Collects findings. With `since` (a state vector), notes nodes that already existed before it are
 * taken as checked (only their own changes are checked), so checking a change costs the change.
 */
class Checker {
  readonly findings: Finding[] = [];
  constructor(private readonly since?: Map<number, number>) {}

  private add(where: string, problem: string, item: Y.Item | null): void {
    this.findings.push({ where, problem, item });
  }

  /**
   * Whether `item` holds nothing written since `since`. An item that ends after it is new, even if
   * it starts before: Yjs merges a new item into an adjacent older one of the same client.
   */
  private isOld(item: Y.Item): boolean {
    return this.since !== undefined && item.id.clock + item.length <= (this.since.get(item.id.client) ?? 0);
  }

  /** Everything stored in the type `type` of role `role`. */
  type(type: AnyType, role: Role, where: string): void {
    if (role === 'notes' || role === 'element' || role === 'text') {
      this.notes(type, role, where);
      return;
    }
    if (role === 'credit' || role === 'split') {
      this.entry(type, role, where);
      return;
    }
    if (role === 'track') {
      this.track(type, where);
      return;
    }
    if (role === 'credits' || role === 'splits') {
      this.list(type, role, where);
      return;
    }
    for (const [key, item] of liveEntries(type)) this.mapEntry(type, role, key, item, where);
    this.noListContent(type, where);
  }

  /** Map key `key` of `type` (role `role`) after a change: `item` is its live value, if any. */
  mapEntry(type: AnyType, role: Role, key: string, item: Y.Item | undefined, where: string): void {
    const at = keyIn(where, key);
    switch (role) {
      case 'release':
      case 'meta': {
        if (item === undefined) return;
        const isField = role === 'release' ? releaseFieldSet.has(key) : metaFieldSet.has(key);
        if (!isField) {
          this.add(at, `not a ${role} field`, item);
          return;
        }
        const schema = (role === 'release' ? releaseSchemas : metaSchemas)[key];
        const plain = plainOf(item);
        if (plain === undefined) {
          this.add(at, `holds ${this.kind(item)}, not a plain value`, item);
          return;
        }
        if (schema?.safeParse(plain.value).success !== true)
          this.add(at, 'value does not fit the field', item);
        return;
      }
      case 'tracks': {
        if (!isValidId(key)) {
          this.add(at, 'key is not a track id', item ?? null);
          return;
        }
        if (item === undefined) return;
        const track = typeOf(item);
        if (track === null || track.constructor !== Y.Map) {
          this.add(at, `holds ${this.kind(item)}, not a Y.Map`, item);
          return;
        }
        this.track(track, at);
        return;
      }
      case 'track': {
        this.trackField(type, key, item, where);
        return;
      }
      case 'credit':
      case 'split': {
        this.entry(type, role, where);
        return;
      }
      case 'element': {
        if (item === undefined) return;
        const plain = plainOf(item);
        if (plain === undefined || !isPrimitive(plain.value))
          this.add(at, 'attribute is not a primitive JSON value', item);
        return;
      }
      default:
        if (item !== undefined) this.add(at, `map entry in a ${role === 'text' ? 'text' : 'list'}`, item);
    }
  }

  /** The list content of `type` (role `role`) after a change. */
  listContent(type: AnyType, role: Role, where: string): void {
    if (MAP_ROLES.has(role)) {
      if (role === 'credit' || role === 'split') {
        this.entry(type, role, where);
        return;
      }
      this.noListContent(type, where);
      return;
    }
    if (role === 'credits' || role === 'splits') {
      this.list(type, role, where);
      return;
    }
    this.notes(type, role, where, true);
  }

  private kind(item: Y.Item): string {
    const type = typeOf(item);
    return type !== null ? `a ${className(type)}` : `${className(item.content)}`;
  }

  private noListContent(type: AnyType, where: string): void {
    let index = 0;
    for (const item of liveItems(type)) this.add(`${where}[${index++}]`, 'list content in a map', item);
  }

  private track(track: AnyType, where: string): void {
    if (!this.hasPosition(track, where)) return;
    for (const [key, item] of liveEntries(track)) this.trackField(track, key, item, where);
    this.noListContent(track, where);
  }

  /** A track needs a string position; without one it is foreign as a whole. */
  hasPosition(track: AnyType, where: string): boolean {
    const item = liveEntry(track, TRACK_POSITION_KEY);
    const plain = item === undefined ? undefined : plainOf(item);
    if (typeof plain?.value === 'string') return true;
    this.add(where, 'track has no string position', track._item);
    return false;
  }

  private trackField(track: AnyType, key: string, item: Y.Item | undefined, where: string): void {
    const at = keyIn(where, key);
    if (key === TRACK_POSITION_KEY) {
      this.hasPosition(track, where);
      return;
    }
    if (item === undefined) return;
    if (trackScalarSet.has(key)) {
      const plain = plainOf(item);
      if (plain === undefined) {
        this.add(at, `holds ${this.kind(item)}, not a plain value`, item);
        return;
      }
      if (trackSchemas[key]?.safeParse(plain.value).success !== true)
        this.add(at, 'value does not fit the field', item);
      return;
    }
    if ((TRACK_LIST_FIELDS as readonly string[]).includes(key)) {
      const list = typeOf(item);
      if (list === null || list.constructor !== Y.Array) {
        this.add(at, `holds ${this.kind(item)}, not a Y.Array`, item);
        return;
      }
      this.list(list, key === 'credits' ? 'credits' : 'splits', at);
      return;
    }
    this.add(at, 'not a track field', item);
  }

  private list(list: AnyType, role: 'credits' | 'splits', where: string): void {
    for (const [key, item] of liveEntries(list)) this.add(keyIn(where, key), 'map entry in a list', item);
    let index = 0;
    for (const item of liveItems(list)) {
      const at = `${where}[${index++}]`;
      const entry = typeOf(item);
      if (entry === null || entry.constructor !== Y.Map)
        this.add(at, `${this.kind(item)} is not a Y.Map`, item);
      else this.entry(entry, role === 'credits' ? 'credit' : 'split', at);
    }
  }

  /** A credit or split: exactly the schema's keys, plain values, accepted as a whole. */
  private entry(entry: AnyType, role: 'credit' | 'split', where: string): void {
    const schema = entrySchemas[role];
    const candidate: Record<string, unknown> = {};
    let fits = liveItems(entry).next().done === true;
    for (const [key, item] of liveEntries(entry)) {
      const plain = plainOf(item);
      if (!Object.hasOwn(schema.shape, key) || plain === undefined) fits = false;
      else candidate[key] = plain.value;
    }
    if (!fits || !schema.safeParse(candidate).success) this.add(where, `not a valid ${role}`, entry._item);
  }

  /**
   * Notes content, depth first with a loop (nesting depth is the writer's choice). `listOnly`:
   * only the list content of `root` itself, and of it only what was written since `since` (with
   * what it walks into); older nodes were checked when they were written, and their own changes
   * are checked on their own.
   */
  private notes(root: AnyType, rootRole: Role, rootWhere: string, listOnly = false): void {
    const pending: Array<[AnyType, Role, string]> = [];
    const push = (child: AnyType, role: Role, at: string) => pending.push([child, role, at]);
    this.notesNode(root, rootRole, rootWhere, !listOnly, listOnly, push);
    while (pending.length > 0) {
      const [type, role, where] = pending.pop()!;
      this.notesNode(type, role, where, true, false, push);
    }
  }

  /**
   * One notes node: its attributes (if `withEntries`) and children (only new ones if `onlyNew`);
   * valid child nodes go to `visit`.
   */
  private notesNode(
    type: AnyType,
    role: Role,
    where: string,
    withEntries: boolean,
    onlyNew: boolean,
    visit: (child: AnyType, role: Role, where: string) => void,
  ): void {
    if (withEntries) for (const [key, item] of liveEntries(type)) this.mapEntry(type, role, key, item, where);
    let index = 0;
    for (const item of liveItems(type)) {
      const at = `${where}[${index++}]`;
      if (onlyNew && this.isOld(item)) continue;
      if (role === 'text') {
        if (!(item.content instanceof Y.ContentString || item.content instanceof Y.ContentFormat))
          this.add(at, `${this.kind(item)} in text`, item);
        continue;
      }
      const child = typeOf(item);
      const childAs = child === null ? null : childRole(role, null, child);
      if (child === null || childAs === null) this.add(at, `${this.kind(item)} in notes`, item);
      else visit(child, childAs, at);
    }
  }
}

function rootNameOf(doc: Y.Doc | null, root: AnyType): string | null {
  if (doc === null) return null;
  for (const name of Object.keys(ROOT_ROLES)) if (doc.share.get(name) === root) return name;
  for (const [name, type] of doc.share) if (type === root) return name;
  return null;
}

/** Everything in `doc` that breaks the layout, as `where: problem` lines (empty for a clean doc). */
export function foreignContentIn(doc: Y.Doc): string[] {
  return findingsIn(doc).map(describe);
}

function findingsIn(doc: Y.Doc): Finding[] {
  const checker = new Checker();
  const unrepairable: Finding[] = [];
  for (const [name, type] of doc.share) {
    const role = ROOT_ROLES[name];
    const where = keyIn('', name).replace(/^\./, '');
    if (role === undefined) {
      for (const [key, item] of liveEntries(type))
        checker.findings.push({ where: keyIn(where, key), problem: 'unknown root', item });
      let index = 0;
      for (const item of liveItems(type))
        checker.findings.push({ where: `${where}[${index++}]`, problem: 'unknown root', item });
    } else if (!fitsRoot(type, role)) {
      unrepairable.push({ where, problem: `root is a ${className(type)}`, item: null });
    } else {
      checker.type(type, role, where);
    }
  }
  return [...unrepairable, ...checker.findings];
}

/**
 * Deletes all foreign content of `doc` in one transaction (a one-off repair of documents stored
 * before the layout was enforced) and returns how many items it deleted. What is deleted is the
 * smallest enclosing part readers would skip anyway: a track without a position goes as a whole,
 * an invalid credit as a whole, a wrongly typed field alone (it then reads as its empty value). A
 * root instantiated in memory with the wrong class is reported but cannot be repaired here.
 */
export function dropForeignContent(doc: Y.Doc): number {
  const findings = findingsIn(doc);
  let removed = 0;
  doc.transact((transaction) => {
    for (const { item } of findings) {
      if (item !== null && !item.deleted) {
        item.delete(transaction);
        removed++;
      }
    }
  });
  return removed;
}

/**
 * What breaks the layout at one change of a transaction: map key `key` of `type`, or its list
 * content when `key` is null (the shape of `Y.Transaction#changed`). Checks only that spot: the
 * value now stored under the key (a whole track if a track was set), or the list (all credits of a
 * changed credits list; only the nodes added since `since` in a notes list). Content inside a type
 * that is no longer in the document (deleted) is fine. Assumes the rest of the document is clean.
 */
export function foreignContentAt(type: AnyType, key: string | null, since?: Map<number, number>): string[] {
  const chain: AnyType[] = [];
  let root: AnyType = type;
  while (root._item !== null) {
    if (root._item.deleted) return [];
    chain.unshift(root);
    const parent = root._item.parent;
    if (!(parent instanceof Y.AbstractType)) return [];
    root = parent;
  }
  const name = rootNameOf(root.doc, root);
  const where0 = name === null ? '?' : name;
  const role0 = name === null ? undefined : ROOT_ROLES[name];
  if (role0 === undefined) return [`${where0}: unknown root`];
  if (!fitsRoot(root, role0)) return [`${where0}: root is a ${className(root)}`];
  let role: Role = role0;
  let where = where0;
  const checker = new Checker(since);
  for (const inner of chain) {
    const sub = inner._item?.parentSub ?? null;
    where = sub === null ? `${where}[]` : keyIn(where, sub);
    const next = childRole(role, sub, inner);
    if (next === null) return [`${where}: a ${className(inner)} is not allowed here`];
    role = next;
    // Whatever changes in a track, the track keeps needing its position.
    if (role === 'track' && !(inner === type && key === TRACK_POSITION_KEY))
      checker.hasPosition(inner, where);
  }
  if (key === null) checker.listContent(type, role, where);
  else checker.mapEntry(type, role, key, liveEntry(type, key), where);
  return checker.findings.map(describe);
}
