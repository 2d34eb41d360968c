import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserResult } from './browser.js';
import { DDEX_BAR_MS, type DdexBenchResult } from './ddex.js';
import type { HistoryBenchResult } from './history.js';
import type { CpuLoad } from './machine-load.js';
import type { LargeReleaseResult } from './open-large-release.js';
import { round } from './stats.js';
import type { TypingResult } from './typing.js';
import type { UpdatePathResult } from './update-path.js';
import type { WorkloadResult } from './workload.js';

/** One bar of the spec (issue 3, "Benchmark") next to the figure measured. */
export interface BarResult {
  name: string;
  figure: string;
  bar: string;
  pass: boolean;
}

/** Patchline's latency over a reference's at the same client count. */
export interface LatencyRatio {
  clients: number;
  reference: string;
  p50: number;
  p95: number;
  p99: number;
}

/** A finished run with the CPU it took, or the error that stopped it. */
export type WorkloadRow =
  | (WorkloadResult & { cpu: CpuLoad })
  | { target: string; clients: number; error: string };

/** One typing run (`typing.ts`): its case label is the size, `10 @ 100 KB` when pre-typed. */
export type TypingRow =
  | (TypingResult & { label: string; cpu: CpuLoad })
  | { target: string; label: string; clients: number; error: string };

/** Server CPU per accepted edit, the same small typing run on a new release and on a ~1 MB one. */
export type TypingCpuResult =
  | { fresh: TypingRow; large: TypingRow; ratio: number | null; bar: number }
  | { error: string };

export interface BenchResults {
  startedAt: string;
  mode: 'full' | 'quick';
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  source: { commit: string; changedFiles: string[] };
  settings: Record<string, unknown>;
  workloads: WorkloadRow[];
  typing: TypingRow[];
  typingCpu: TypingCpuResult | null;
  ratios: LatencyRatio[];
  largeRelease: (LargeReleaseResult & { cpu: CpuLoad }) | { error: string } | null;
  updatePath: UpdatePathResult | null;
  browser: BrowserResult | { error: string } | null;
  ddex: DdexBenchResult | { error: string } | null;
  /** `--only=history` (bench/history.ts). */
  history?: HistoryBenchResult | { error: string } | null;
  bars: BarResult[];
}

const RESULTS_DIR = new URL('./results/', import.meta.url);

/** Writes `results/<timestamp>.json` and `results/latest.json`; returns the first path. */
export async function writeResults(results: BenchResults): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const stamped = new URL(`${results.startedAt.replace(/[:.]/g, '-')}.json`, RESULTS_DIR);
  await writeFile(stamped, json);
  await writeFile(new URL('latest.json', RESULTS_DIR), json);
  return fileURLToPath(stamped);
}

export function latencyRatios(workloads: BenchResults['workloads']): LatencyRatio[] {
  const ok = workloads.filter((w): w is Exclude<WorkloadRow, { error: string }> => !('error' in w));
  const ratios: LatencyRatio[] = [];
  for (const own of ok.filter((w) => w.target === 'patchline')) {
    for (const ref of ok.filter((w) => w.target !== 'patchline' && w.clients === own.clients)) {
      ratios.push({
        clients: own.clients,
        reference: ref.target,
        p50: round(own.latencyMs.p50 / ref.latencyMs.p50, 1),
        p95: round(own.latencyMs.p95 / ref.latencyMs.p95, 1),
        p99: round(own.latencyMs.p99 / ref.latencyMs.p99, 1),
      });
    }
  }
  return ratios;
}

/** The spec's bars for this machine, judged on Patchline's figures. */
export function judgeBars(
  workloads: BenchResults['workloads'],
  large: BenchResults['largeRelease'],
  browser: BenchResults['browser'] = null,
  typingCpu: BenchResults['typingCpu'] = null,
  typing: BenchResults['typing'] = [],
  ddex: BenchResults['ddex'] = null,
): BarResult[] {
  const bars: BarResult[] = [];
  if (ddex) bars.push(ddexBar(ddex));
  bars.push(...typingBars(typing));
  if (typingCpu) bars.push(typingCpuBar(typingCpu));
  for (const run of workloads.filter((w) => w.target === 'patchline')) {
    if ('error' in run) {
      bars.push({ name: `delivery, ${run.clients} clients`, figure: run.error, bar: '100 %', pass: false });
      continue;
    }
    bars.push({
      name: `delivery, ${run.clients} clients`,
      figure: `${percent(run.deliveryRatio)}, ${run.converged ? 'converged' : `NOT converged${lateBy(run)}`}${
        run.storedConverged === false ? ', store differs' : ''
      }`,
      bar: '100 %, all converged',
      pass: run.deliveries === run.expectedDeliveries && run.converged && run.storedConverged !== false,
    });
    if (run.clients === 10) {
      bars.push({
        name: 'p99 latency, 10 clients',
        figure: `${run.latencyMs.p99} ms`,
        bar: '≤ 30 ms',
        pass: run.latencyMs.p99 <= 30,
      });
    }
  }
  if (large && 'error' in large) {
    bars.push({ name: 'open 10,000-edit release', figure: large.error, bar: '≤ 150 ms', pass: false });
  } else if (large) {
    bars.push({
      name: `open ${large.edits.toLocaleString('en')}-edit release (median)`,
      figure: `${large.openMs.median} ms${large.openedIntact ? '' : ', CONTENT DIFFERS'}`,
      bar: '≤ 150 ms',
      pass: large.openMs.median <= 150 && large.openedIntact,
    });
    bars.push({
      name: 'stored bytes / encoded document',
      figure: `${large.stored.ratioToEncoded}×`,
      bar: '≤ 3×',
      pass: large.stored.ratioToEncoded <= 3,
    });
  }
  if (browser && 'error' in browser) {
    bars.push({
      name: 'browser: keystroke → visible (p95)',
      figure: browser.error,
      bar: '≤ 150 ms',
      pass: false,
    });
  } else if (browser) {
    const all = browser.delivered === browser.keystrokes;
    bars.push({
      name: 'browser: keystroke → visible (p95)',
      figure: `${browser.keystrokeToVisibleMs.p95} ms${all ? '' : `, only ${browser.delivered}/${browser.keystrokes} shown`}`,
      bar: '≤ 150 ms',
      pass: all && browser.keystrokeToVisibleMs.p95 <= 150,
    });
    bars.push({
      name: 'editor route first-load JS (gzip)',
      figure: `${browser.editorFirstLoadJs.gzipKb} kB`,
      bar: '≤ 350 kB',
      pass: browser.editorFirstLoadJs.gzipKb <= 350,
    });
  }
  return bars;
}

/** The human summary: latency per target and size, ratios, the large release, then the bars. */
export function formatReport(results: BenchResults): string {
  const lines: string[] = [];
  lines.push(
    `Patchline benchmark (${results.mode}), node ${results.machine.node}, ${results.machine.cpus} cpus, ` +
      `commit ${results.source.commit.slice(0, 10)}` +
      (results.source.changedFiles.length > 0
        ? ` + ${results.source.changedFiles.length} uncommitted server-side files`
        : ''),
  );
  if (results.workloads.length > 0) {
    lines.push('');
    lines.push('Propagation latency (ms, edit on one client → observed on each other client)');
    lines.push(
      table(
        [
          'target',
          'clients',
          'edits',
          'delivered',
          'p50',
          'p95',
          'p99',
          'max',
          'drain',
          'converged',
          'cpu',
          'cpu/edit',
        ],
        results.workloads.map((w) =>
          'error' in w
            ? [w.target, String(w.clients), '-', w.error, '', '', '', '', '', '', '', '']
            : [
                w.target,
                String(w.clients),
                String(w.edits),
                percent(w.deliveryRatio),
                String(w.latencyMs.p50),
                String(w.latencyMs.p95),
                String(w.latencyMs.p99),
                String(w.latencyMs.max),
                String(w.drainMs),
                convergence(w),
                `${w.cpu.bench} + ${w.cpu.others}`,
                `${round((w.cpu.bench * w.cpu.seconds * 1000) / w.edits, 1)} ms`,
              ],
        ),
      ),
    );
    lines.push(
      'drain: last edit sent → last delivery; cpu: cores used by the bench and its servers + by other ' +
        'processes; cpu/edit: CPU time of the bench, clients and servers per edit made',
    );
    const busy = results.workloads.filter((w) => 'cpu' in w && w.cpu.others > 0.2);
    if (busy.length > 0) {
      lines.push(
        `WARNING: other processes used up to ${Math.max(...busy.map((w) => ('cpu' in w ? w.cpu.others : 0)))} ` +
          'cores during a run; latencies are inflated. Rerun on a quiet machine.',
      );
    }
  }
  if (results.ratios.length > 0) {
    lines.push('');
    lines.push('Patchline / reference latency');
    lines.push(
      table(
        ['clients', 'reference', 'p50', 'p95', 'p99'],
        results.ratios.map((r) => [String(r.clients), r.reference, `${r.p50}×`, `${r.p95}×`, `${r.p99}×`]),
      ),
    );
  }
  if (results.typing.length > 0) {
    lines.push('');
    lines.push(formatTyping(results.typing));
  }
  if (results.typingCpu) {
    lines.push('');
    lines.push(formatTypingCpu(results.typingCpu));
  }
  const path = results.updatePath;
  if (path) {
    lines.push('');
    lines.push(
      `One update's handler steps, timed alone on the idle stack (${path.clients} clients, log of ` +
        `${path.logUpdates}; median of ${path.iterations}): ${path.sumMs} ms, ${path.sumCpuMs} ms of CPU`,
    );
    lines.push(
      table(
        ['step', 'ms', 'cpu ms'],
        Object.entries(path.stepsMs).map(([step, ms]) => [step, String(ms), String(path.stepsCpuMs[step])]),
      ),
    );
  }
  const large = results.largeRelease;
  if (large && !('error' in large)) {
    lines.push('');
    lines.push(
      `Large release: ${large.edits} edits in ${large.sessions} sessions, built in ${large.buildMs} ms ` +
        `with ${large.compactions} compactions; encoded ${large.encodedStateBytes} B, log after: ` +
        `${large.logUpdatesAfter} updates`,
    );
    lines.push(
      `  documents.load(): median ${large.loadMs.median} ms (${large.loadMs.runs.join(', ')}); ` +
        `client open until synced: median ${large.openMs.median} ms (${large.openMs.runs.join(', ')}), ` +
        `of which handshake ${large.openPhasesMs.handshake} ms, first frame at ${large.openPhasesMs.firstFrame} ms`,
    );
    lines.push(
      `  opened through ${large.openFrames.count} frames, largest ${large.openFrames.largestBytes} B; ` +
        `stored ${large.stored.itemBytes} B in items (${large.stored.dataBytes} B of data) = ` +
        `${large.stored.ratioToEncoded}× the encoded document; cpu ${large.cpu.bench} + ${large.cpu.others} others`,
    );
  }
  const browser = results.browser;
  if (browser && !('error' in browser)) {
    const k = browser.keystrokeToVisibleMs;
    lines.push('');
    lines.push(
      `Browser (Chromium, two people in the demo release's notes): ${browser.delivered}/${browser.keystrokes} ` +
        `keystrokes shown, keystroke → visible p50 ${k.p50} ms, p95 ${k.p95} ms, max ${k.max} ms ` +
        `(one key every ${browser.keystrokeGapMs} ms)`,
    );
    const js = browser.editorFirstLoadJs;
    lines.push(
      `  editor route first-load JS: ${js.gzipKb} kB gzip (${js.rawKb} kB raw) in ${js.files} scripts; ` +
        `with the lazy chunks loaded until editable: ${browser.editorAllJsUntilEditable.gzipKb} kB gzip in ` +
        `${browser.editorAllJsUntilEditable.files} scripts`,
    );
  }
  const ddex = results.ddex;
  if (ddex && !('error' in ddex)) {
    lines.push('');
    lines.push(
      `DDEX ERN 4.3 export of a ${ddex.tracks}-track release (${Math.round(ddex.messageBytes / 1024)} KB): ` +
        `export + structural validation median ${ddex.exportAndCheckMs.median} ms, max ${ddex.exportAndCheckMs.max} ms ` +
        `(${ddex.runs} runs)` +
        (ddex.withXmllintMs
          ? `; with xmllint against the official XSD median ${ddex.withXmllintMs.median} ms, max ${ddex.withXmllintMs.max} ms`
          : '; xmllint not run (PATCHLINE_DDEX_XSD not set)'),
    );
  }
  lines.push('');
  lines.push('Bars');
  lines.push(
    table(
      ['bar', 'figure', 'target', 'result'],
      results.bars.map((b) => [b.name, b.figure, b.bar, b.pass ? 'PASS' : 'FAIL']),
    ),
  );
  return lines.join('\n');
}

const lateBy = (w: WorkloadResult) =>
  w.convergedAfterMs === null
    ? ' (nor later)'
    : ` (did ${round(w.convergedAfterMs / 1000, 1)} s after the last edit)`;

function convergence(w: WorkloadResult): string {
  const late =
    !w.converged && w.convergedAfterMs !== null ? `, at ${round(w.convergedAfterMs / 1000, 1)} s` : '';
  const store = w.storedConverged === null ? '' : ` (store ${w.storedConverged})`;
  return `${w.converged}${late}${store}`;
}

const percent = (ratio: number) => `${round(ratio * 100, 2)} %`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const isTypingRun = (row: TypingRow): row is TypingResult & { label: string; cpu: CpuLoad } =>
  !('error' in row);

const kb = (bytes: number | null) => (bytes === null ? '-' : `${round(bytes / 1024, 1)} KB`);

function formatTyping(rows: TypingRow[]): string {
  const lines = [
    'Typing (ms, edit → visible at each other client; each edit 1–3 letters in the shared notes ' +
      "paragraph or the person's own, plus one release field)",
    table(
      [
        'target',
        'people',
        'edits',
        'delivered',
        'p50',
        'p95',
        'p99',
        'max',
        'drain',
        'converged',
        'doc start→end',
        'refused',
        'server cpu/edit',
        'cpu',
      ],
      rows.map((w) =>
        isTypingRun(w)
          ? [
              w.target,
              w.label,
              String(w.edits),
              percent(w.deliveryRatio),
              String(w.latencyMs.p50),
              String(w.latencyMs.p95),
              String(w.latencyMs.p99),
              String(w.latencyMs.max),
              String(w.drainMs),
              convergence(w),
              `${kb(w.documentBytes.atStart)}→${kb(w.documentBytes.atEnd)}`,
              String(w.rejections),
              w.serverCpu ? `${w.serverCpu.msPerAcceptedEdit} ms` : '-',
              `${w.cpu.bench} + ${w.cpu.others}`,
            ]
          : [w.target, w.label, '-', w.error, '', '', '', '', '', '', '', '', '', ''],
      ),
    ),
    'server cpu/edit: CPU time (user+sys) of the server process and its children from the first ' +
      'edit to the end of the run, per edit the server accepted (Patchline: in the stored document)',
  ];
  const pretyped = rows.filter(isTypingRun).filter((w) => w.pretype);
  for (const w of pretyped)
    lines.push(
      `  ${w.target} ${w.label}: pre-typed in ${w.pretype!.updates} updates, ${round(w.pretype!.ms / 1000, 1)} s`,
    );
  if (rows.some((w) => 'cpu' in w && w.cpu.others > 0.2))
    lines.push('WARNING: other processes used CPU during some typing runs; latencies are inflated.');
  return lines.join('\n');
}

function formatTypingCpu(result: TypingCpuResult): string {
  if ('error' in result) return `Server CPU per accepted edit, new vs ~1 MB release: failed: ${result.error}`;
  const line = (name: string, row: TypingRow) =>
    isTypingRun(row)
      ? `  ${name}: document ${kb(row.documentBytes.atStart)} → ${kb(row.documentBytes.atEnd)} ` +
        `(stored ${kb(row.documentBytes.stored)}), ${row.acceptedEdits}/${row.edits} edits accepted, ` +
        `server ${row.serverCpu?.serverMs} ms of CPU = ${row.serverCpu?.msPerAcceptedEdit} ms/edit ` +
        `(handler workers ${row.serverCpu?.workersMs} ms = ${row.serverCpu?.workersMsPerAcceptedEdit} ms/edit), ` +
        `p50 ${row.latencyMs.p50} p99 ${row.latencyMs.p99} ms, delivered ${percent(row.deliveryRatio)}, ` +
        `converged ${convergence(row)}`
      : `  ${name}: failed: ${row.error}`;
  return [
    'Patchline server CPU per accepted edit, same typing run on a new release and on a ~1 MB one',
    line('new', result.fresh),
    line('~1 MB', result.large),
    `  ratio ${result.ratio ?? '-'}× (bar ≤ ${result.bar}×)`,
  ].join('\n');
}

function typingCpuBar(result: TypingCpuResult): BarResult {
  const name = 'server CPU/accepted edit, 1 MB doc vs new';
  const bar = '≤ 1.5×';
  if ('error' in result) return { name, figure: result.error, bar, pass: false };
  const { fresh, large, ratio } = result;
  if (!isTypingRun(fresh) || !isTypingRun(large) || ratio === null)
    return { name, figure: 'a run failed', bar, pass: false };
  return {
    name,
    figure: `${ratio}× (${large.serverCpu?.msPerAcceptedEdit} vs ${fresh.serverCpu?.msPerAcceptedEdit} ms)`,
    bar,
    pass: ratio <= result.bar,
  };
}

/**
 * The typing workload's bars (the sync-core issue): every size delivered and converged, and at
 * 10 people (document not pre-typed) p99 ≤ 30 ms and p50 ≤ 2× Hocuspocus+SQLite's in the same run.
 */
function typingBars(rows: TypingRow[]): BarResult[] {
  const bars: BarResult[] = [];
  for (const row of rows.filter((r) => r.target === 'patchline')) {
    const name = `typing delivery, ${row.label} people`;
    if (!isTypingRun(row)) {
      bars.push({ name, figure: row.error, bar: '100 %, all converged', pass: false });
      continue;
    }
    bars.push({
      name,
      figure: `${percent(row.deliveryRatio)}, ${row.converged ? 'converged' : 'NOT converged'}${
        row.storedConverged === false ? ', store differs' : ''
      }`,
      bar: '100 %, all converged',
      pass: row.deliveries === row.expectedDeliveries && row.converged && row.storedConverged !== false,
    });
    if (row.clients !== 10 || row.pretype) continue;
    bars.push({
      name: 'typing p99, 10 people',
      figure: `${row.latencyMs.p99} ms`,
      bar: '≤ 30 ms',
      pass: row.latencyMs.p99 <= 30,
    });
    const hocuspocus = rows.find(
      (r): r is TypingResult & { label: string; cpu: CpuLoad } =>
        isTypingRun(r) && r.target === 'hocuspocus' && r.label === row.label,
    );
    if (hocuspocus) {
      const ratio = Math.round((row.latencyMs.p50 / hocuspocus.latencyMs.p50) * 100) / 100;
      bars.push({
        name: 'typing p50, 10 people, vs Hocuspocus+SQLite',
        figure: `${ratio}× (${row.latencyMs.p50} vs ${hocuspocus.latencyMs.p50} ms)`,
        bar: '≤ 2×',
        pass: ratio <= 2,
      });
    }
  }
  return bars;
}

/** Export and validate a 100-track release (median, as the other timed bars): with xmllint when it ran. */
function ddexBar(result: NonNullable<BenchResults['ddex']>): BarResult {
  const bar = `≤ ${DDEX_BAR_MS} ms`;
  if ('error' in result)
    return { name: 'DDEX export + validation, 100 tracks', figure: result.error, bar, pass: false };
  const timed = result.withXmllintMs ?? result.exportAndCheckMs;
  return {
    name: `DDEX export + ${result.withXmllintMs ? 'xmllint' : 'structural'} validation, ${result.tracks} tracks (median)`,
    figure: `${timed.median} ms`,
    bar,
    pass: timed.median <= DDEX_BAR_MS,
  };
}
