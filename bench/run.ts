/**
 * `npm run bench` (issue 3, "Benchmark"): propagation latency and delivery for 2, 10 and 50
 * clients on Patchline and on the reference servers, opening a 10,000-edit release, and the
 * bytes it takes in DynamoDB; (issue 5) keystroke-to-visible latency between two Chromium pages
 * and the editor route's first-load JavaScript. `--quick` (or `BENCH_QUICK=1`) is a smoke run:
 * 5 s, 2 and 10 clients, 60 keystrokes. `--sizes=2,10` picks the client counts. `--workers=N` sets Patchline's handler processes (default 2, as `npm start`).
 * `--quiet-wait=S`: before each measurement, wait up to S seconds (default 60, quick 30) for
 * other processes on this shared machine to go quiet; each run records the CPU others used.
 * `--only=patchline,y-websocket,hocuspocus,open,path,browser` runs a subset. Everything stays on 127.0.0.1;
 * `--only=import` times the preview and apply of a 1,000-row spreadsheet import (≤ 2 s, issue 14).
 * `--only=ddex` times the DDEX ERN 4.3 export of a 100-track release with its validation (issue 14;
 * xmllint too when PATCHLINE_DDEX_XSD is set). `--only=history` builds a 10,000-edit release with 100 versions
 * and times its timeline and versions (issue 13, bench/history.ts). `--only=typing` runs the typing workload (`typing.ts`) against the three servers and the CPU
 * bar; `typing-cpu` that bar alone. With a server name too (`--only=typing,patchline`), typing
 * runs against the servers named only. Typing sizes come from `--sizes=` as well, where
 * `10@100KB` means 10 people after the notes were pre-typed to 100 KB (default
 * `2,10,50,10@100KB`; quick `2,10@100KB`, 4 s each, which takes about a minute).
 * every load is bounded in clients, edits and time. Exits 1 when a bar fails.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { measureBrowser } from './browser.js';
import { measureDdexExport } from './ddex.js';
import { formatHistory, historyBars, measureHistory } from './history.js';
import { type ImportBenchResult, importBar, measureImport } from './import.js';
import { startCpuMeter, waitForQuiet } from './machine-load.js';
import { openLargeRelease } from './open-large-release.js';
import {
  type BenchResults,
  formatReport,
  judgeBars,
  latencyRatios,
  type TypingRow,
  writeResults,
} from './report.js';
import { startServerCpuMeter } from './server-cpu.js';
import { startHocuspocus } from './targets/hocuspocus.js';
import { type PatchlineTarget, startPatchline } from './targets/patchline.js';
import { startYWebsocket } from './targets/y-websocket.js';
import { runTypingWorkload, type TypingOptions } from './typing.js';
import { measureUpdatePath } from './update-path.js';
import { type BenchTarget, runWorkload, type WorkloadOptions } from './workload.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Each y-websocket provider in this process adds a process `exit` listener: 50 clients is no leak.
process.setMaxListeners(200);

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const isQuick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const workers = Number(flag('workers') ?? 2);
const quietWaitMs = Number(flag('quiet-wait') ?? (isQuick ? 30 : 60)) * 1000;
const only = flag('only')?.split(',');
const runs = (part: string) => !only || only.includes(part);
const SERVERS = ['patchline', 'y-websocket', 'hocuspocus'];
/** Typing runs against the servers `--only` names, or all three when it names none. */
const runsTyping = (server: string) =>
  runs('typing') && (!only?.some((part) => SERVERS.includes(part)) || only.includes(server));
const runsTypingCpu = runs('typing-cpu') || runsTyping('patchline');

const sizeTokens = flag('sizes')?.split(',');
/** A typing case: `10` or `10@100KB` (people, and the size the notes are pre-typed to). */
function typingCase(token: string): { label: string; clients: number; pretypeBytes: number } {
  const [people, size] = token.split('@');
  const match = size?.match(/^(\d+(?:\.\d+)?)(KB|MB)$/i);
  if (size !== undefined && !match) throw new Error(`--sizes: cannot read ${token} (e.g. 10@100KB)`);
  const unit = match?.[2]?.toUpperCase() === 'MB' ? 1024 * 1024 : 1024;
  const pretypeBytes = match ? Math.round(Number(match[1]) * unit) : 0;
  return { label: token.replace('@', ' @ '), clients: Number(people), pretypeBytes };
}

const settings = {
  sizes: sizeTokens?.filter((t) => !t.includes('@')).map(Number) ?? (isQuick ? [2, 10] : [2, 10, 50]),
  editsPerSecond: 5,
  durationMs: isQuick ? 5_000 : 20_000,
  graceMs: isQuick ? 5_000 : 10_000,
  convergeWaitMs: isQuick ? 30_000 : 60_000,
  warmup: { clients: 2, durationMs: 2_000, graceMs: 3_000, convergeWaitMs: 10_000 },
  workers,
  largeRelease: { edits: 10_000, editsPerSession: 100, concurrency: 25, opens: isQuick ? 3 : 5 },
  updatePath: { clients: 10, logUpdates: 50, iterations: isQuick ? 10 : 30 },
  browser: { keystrokes: isQuick ? 60 : 200, keystrokeGapMs: 80 },
  ddex: { tracks: 100, runs: isQuick ? 10 : 30 },
  history: { edits: 10_000, versions: 100, runs: isQuick ? 10 : 30, writeSamples: isQuick ? 100 : 300 },
  import: { rows: 1_000, runs: isQuick ? 3 : 10 },
  typing: {
    cases: (sizeTokens ?? (isQuick ? ['2', '10@100KB'] : ['2', '10', '50', '10@100KB'])).map(typingCase),
    editsPerSecond: 5,
    durationMs: isQuick ? 4_000 : 20_000,
    graceMs: isQuick ? 4_000 : 10_000,
    convergeWaitMs: isQuick ? 10_000 : 60_000,
    pretypeUpdates: isQuick ? 200 : 800,
    warmup: { clients: 2, durationMs: isQuick ? 1_000 : 2_000 },
    // The CPU bar: the same small run on a new release and on one grown to ~1 MB first.
    cpu: {
      clients: 2,
      durationMs: isQuick ? 4_000 : 10_000,
      largeBytes: 1024 * 1024,
      pretypeUpdates: isQuick ? 300 : 1_000,
      bar: 1.5,
    },
  },
};

const results: BenchResults = {
  startedAt: new Date().toISOString(),
  mode: isQuick ? 'quick' : 'full',
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
  },
  source: sourceVersion(),
  settings,
  workloads: [],
  typing: [],
  typingCpu: null,
  ratios: [],
  largeRelease: null,
  updatePath: null,
  browser: null,
  ddex: null,
  bars: [],
};

/** Which code was measured: the commit, and the server-side files changed on top of it. */
function sourceVersion(): BenchResults['source'] {
  // Read-only git: the commit, and `git status --porcelain` lines ("XY path").
  const git = (...gitArgs: string[]) => execFileSync('git', gitArgs, { encoding: 'utf8' });
  try {
    const status = git('status', '--porcelain', '--', 'shared', 'permissions', 'collab-server');
    return {
      commit: git('rev-parse', 'HEAD').trim(),
      changedFiles: status
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3)),
    };
  } catch {
    return { commit: 'unknown', changedFiles: [] };
  }
}

const log = (message: string) => console.error(`[bench] ${message}`);

/** The machine is shared: give other people's builds a moment to finish before measuring. */
async function settle(): Promise<void> {
  const others = await waitForQuiet(quietWaitMs);
  if (others >= 0.25) log(`  the machine is still busy (${others} cores used by others); measuring anyway`);
}

/** Starts a server, hands it to `measure`, and always stops it. */
async function withTarget<T extends BenchTarget>(
  start: () => Promise<T>,
  measure: (target: T) => Promise<void>,
) {
  const target = await start();
  try {
    await measure(target);
  } finally {
    await target.stop();
  }
}

/** The latency workload at every size, after an unreported warm-up (JIT, first connections). */
async function measureWorkloads(target: BenchTarget): Promise<void> {
  const warmup = { editsPerSecond: settings.editsPerSecond, ...settings.warmup };
  await runWorkload(target, warmup).catch((error) => log(`${target.name} warm-up failed: ${error}`));
  for (const clients of settings.sizes) {
    const options: WorkloadOptions = { clients, ...settings };
    log(
      `${target.name}: ${clients} clients × ${options.editsPerSecond}/s for ${options.durationMs / 1000} s`,
    );
    try {
      await settle();
      const stopMeter = startCpuMeter();
      const result = { ...(await runWorkload(target, options)), cpu: stopMeter() };
      results.workloads.push(result);
      log(`  p50 ${result.latencyMs.p50} p99 ${result.latencyMs.p99} ms, delivered ${result.deliveryRatio}`);
    } catch (error) {
      results.workloads.push({ target: target.name, clients, error: String(error) });
      log(`  failed: ${error}`);
    }
  }
}

function typingOptions(
  clients: number,
  pretypeBytes: number,
  pretypeUpdates = settings.typing.pretypeUpdates,
) {
  const { editsPerSecond, durationMs, graceMs, convergeWaitMs } = settings.typing;
  return { clients, editsPerSecond, durationMs, graceMs, convergeWaitMs, pretypeBytes, pretypeUpdates };
}

/**
 * Waits (up to 10 s, quick 2 s) until the server uses under a tenth of a core over half a second, so its
 * CPU per edit leaves out what joining cost it (Patchline: a 1 MB sync step 2 per client, the
 * compaction after pre-typing, the typist's and watcher's disconnects).
 */
async function serverIdle(pid: number): Promise<void> {
  const deadline = performance.now() + (isQuick ? 2_000 : 10_000);
  while (performance.now() < deadline) {
    const stop = startServerCpuMeter(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (!(stop().serverMs > 50)) return;
  }
}

/** One typing run as a table row: its failure is a figure too (the server may not cope). */
async function typingRow(target: BenchTarget, label: string, options: TypingOptions): Promise<TypingRow> {
  const stopMeter = startCpuMeter();
  const pid = target.serverPid;
  try {
    const result = await runTypingWorkload(target, {
      ...options,
      ...(pid ? { serverCpu: () => startServerCpuMeter(pid), beforeEdits: () => serverIdle(pid) } : {}),
    });
    const row = { ...result, label, cpu: stopMeter() };
    if (row.pretype)
      log(
        `  pre-typed ${row.documentBytes.atStart} B in ${row.pretype.updates} updates, ${row.pretype.ms} ms`,
      );
    log(
      `  p50 ${row.latencyMs.p50} p99 ${row.latencyMs.p99} ms, delivered ${row.deliveryRatio}, ` +
        `converged ${row.converged}, server ${row.serverCpu?.msPerAcceptedEdit} ms cpu/edit`,
    );
    return row;
  } catch (error) {
    log(`  failed: ${error}`);
    return { target: target.name, label, clients: options.clients, error: String(error) };
  }
}

/** The typing workload at every case (`--sizes`), after an unreported warm-up. */
async function measureTyping(target: BenchTarget): Promise<void> {
  const { warmup } = settings.typing;
  await runTypingWorkload(target, {
    ...typingOptions(warmup.clients, 0),
    durationMs: warmup.durationMs,
  }).catch((error) => log(`${target.name} typing warm-up failed: ${error}`));
  for (const { label, clients, pretypeBytes } of settings.typing.cases) {
    log(
      `${target.name}: typing, ${label} (people @ pre-typed notes) × ${settings.typing.editsPerSecond}/s for ` +
        `${settings.typing.durationMs / 1000} s`,
    );
    // A quick run is a smoke test: no waiting for the machine to go quiet.
    if (!isQuick) await settle();
    results.typing.push(await typingRow(target, label, typingOptions(clients, pretypeBytes)));
  }
}

/** Server CPU per accepted edit: the same small typing run on a new release, then on a ~1 MB one. */
async function measureTypingCpu(target: PatchlineTarget): Promise<void> {
  const { cpu } = settings.typing;
  const run = async (label: string, pretypeBytes: number) => {
    log(`patchline: typing CPU, ${cpu.clients} people for ${cpu.durationMs / 1000} s, ${label} release`);
    if (!isQuick) await settle();
    return typingRow(target, label, {
      ...typingOptions(cpu.clients, pretypeBytes, cpu.pretypeUpdates),
      durationMs: cpu.durationMs,
    });
  };
  try {
    const fresh = await run('new', 0);
    const large = await run('~1 MB', cpu.largeBytes);
    const perEdit = (row: TypingRow) => ('error' in row ? null : (row.serverCpu?.msPerAcceptedEdit ?? null));
    const [a, b] = [perEdit(fresh), perEdit(large)];
    const ratio = a && b ? Math.round((b / a) * 100) / 100 : null;
    results.typingCpu = { fresh, large, ratio, bar: cpu.bar };
    log(`  ${b} vs ${a} ms of server CPU per accepted edit: ${ratio}×`);
  } catch (error) {
    log(`  failed: ${error}`);
    results.typingCpu = { error: String(error) };
  }
}

async function measureUpdateSteps(target: PatchlineTarget): Promise<void> {
  log('patchline: timing the steps of one update on the idle stack');
  await settle();
  results.updatePath = await measureUpdatePath(target, settings.updatePath).catch((error) => {
    log(`  failed: ${error}`);
    return null;
  });
}

async function measureLargeRelease(target: PatchlineTarget): Promise<void> {
  log(`patchline: building a ${settings.largeRelease.edits}-edit release, then opening it`);
  try {
    const stopMeter = startCpuMeter();
    const large = await openLargeRelease(target, { ...settings.largeRelease, settle });
    results.largeRelease = { ...large, cpu: stopMeter() };
  } catch (error) {
    log(`  failed: ${error}`);
    results.largeRelease = { error: String(error) };
  }
}

// One server at a time, so none competes with another for the two cores.
if (runs('patchline') || runs('path') || runs('open') || runsTyping('patchline') || runsTypingCpu) {
  await withTarget(
    () => startPatchline(workers),
    async (target) => {
      if (runs('patchline')) await measureWorkloads(target);
      if (runs('path')) await measureUpdateSteps(target);
      if (runs('open')) await measureLargeRelease(target);
      if (runsTyping('patchline')) await measureTyping(target);
      if (runsTypingCpu) await measureTypingCpu(target);
    },
  );
}
for (const [name, start] of [
  ['y-websocket', startYWebsocket],
  ['hocuspocus', startHocuspocus],
] as const) {
  if (!runs(name) && !runsTyping(name)) continue;
  await withTarget(start, async (target) => {
    if (runs(name)) await measureWorkloads(target);
    if (runsTyping(name)) await measureTyping(target);
  });
}

if (runs('browser')) {
  log(
    `browser: ${settings.browser.keystrokes} keystrokes between two Chromium pages, and the editor's first-load JS`,
  );
  await settle();
  results.browser = await measureBrowser(settings.browser).catch((error) => {
    log(`  failed: ${error}`);
    return { error: String(error) };
  });
}

if (runs('ddex')) {
  log(`ddex: export and validate a ${settings.ddex.tracks}-track release, ${settings.ddex.runs} times`);
  if (!isQuick) await settle();
  results.ddex = await measureDdexExport(settings.ddex).catch((error) => {
    log(`  failed: ${error}`);
    return { error: String(error) };
  });
}

if (runs('history')) {
  log(
    `history: ${settings.history.edits} attributed edits and ${settings.history.versions} versions, then timing`,
  );
  await withTarget(
    () => startPatchline(workers),
    async (target) => {
      if (!isQuick) await settle();
      results.history = await measureHistory(target, settings.history).catch((error) => {
        log(`  failed: ${error}`);
        return { error: String(error) };
      });
    },
  );
}

let importResult: ImportBenchResult | { error: string } | null = null;
if (runs('import')) {
  log(`import: preview and apply a ${settings.import.rows}-row spreadsheet, ${settings.import.runs} times`);
  if (!isQuick) await settle();
  importResult = await measureImport(settings.import).catch((error) => {
    log(`  failed: ${error}`);
    return { error: String(error) };
  });
  Object.assign(results, { import: importResult });
}

results.ratios = latencyRatios(results.workloads);
results.bars = judgeBars(
  results.workloads,
  results.largeRelease,
  results.browser,
  results.typingCpu,
  results.typing,
  results.ddex,
);
if (results.history) results.bars.push(...historyBars(results.history));
if (importResult && !('error' in importResult)) {
  const bar = importBar(importResult);
  results.bars.push(bar);
  log(`import: ${bar.figure} — bar ${bar.bar}: ${bar.pass ? 'met' : 'NOT met'}`);
}
const path = await writeResults(results);
console.log(formatReport(results));
if (results.history) console.log(`\n${formatHistory(results.history)}`);
console.log(`\nwritten: ${path} (and bench/results/latest.json)`);
if (results.bars.some((bar) => !bar.pass)) process.exitCode = 1;
