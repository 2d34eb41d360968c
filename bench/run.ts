/**
 * `npm run bench` (issue 3, "Benchmark"): propagation latency and delivery for 2, 10 and 50
 * clients on Patchline and on the reference servers, opening a 10,000-edit release, and the
 * bytes it takes in DynamoDB; (issue 5) keystroke-to-visible latency between two Chromium pages
 * and the editor route's first-load JavaScript. `--quick` (or `BENCH_QUICK=1`) is a smoke run:
 * 5 s, 2 and 10 clients, 60 keystrokes. `--sizes=2,10` picks the client counts. `--workers=N` sets Patchline's handler processes (default 2, as `npm start`).
 * `--quiet-wait=S`: before each measurement, wait up to S seconds (default 60, quick 30) for
 * other processes on this shared machine to go quiet; each run records the CPU others used.
 * `--only=patchline,y-websocket,hocuspocus,open,path,browser` runs a subset. Everything stays on 127.0.0.1;
 * every load is bounded in clients, edits and time. Exits 1 when a bar fails.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { measureBrowser } from './browser.js';
import { startCpuMeter, waitForQuiet } from './machine-load.js';
import { openLargeRelease } from './open-large-release.js';
import { type BenchResults, formatReport, judgeBars, latencyRatios, writeResults } from './report.js';
import { startHocuspocus } from './targets/hocuspocus.js';
import { type PatchlineTarget, startPatchline } from './targets/patchline.js';
import { startYWebsocket } from './targets/y-websocket.js';
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

const settings = {
  sizes: flag('sizes')?.split(',').map(Number) ?? (isQuick ? [2, 10] : [2, 10, 50]),
  editsPerSecond: 5,
  durationMs: isQuick ? 5_000 : 20_000,
  graceMs: isQuick ? 5_000 : 10_000,
  convergeWaitMs: isQuick ? 30_000 : 60_000,
  warmup: { clients: 2, durationMs: 2_000, graceMs: 3_000, convergeWaitMs: 10_000 },
  workers,
  largeRelease: { edits: 10_000, editsPerSession: 100, concurrency: 25, opens: isQuick ? 3 : 5 },
  updatePath: { clients: 10, logUpdates: 50, iterations: isQuick ? 10 : 30 },
  browser: { keystrokes: isQuick ? 60 : 200, keystrokeGapMs: 80 },
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
  ratios: [],
  largeRelease: null,
  updatePath: null,
  browser: null,
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
if (runs('patchline') || runs('path') || runs('open')) {
  await withTarget(
    () => startPatchline(workers),
    async (target) => {
      if (runs('patchline')) await measureWorkloads(target);
      if (runs('path')) await measureUpdateSteps(target);
      if (runs('open')) await measureLargeRelease(target);
    },
  );
}
if (runs('y-websocket')) await withTarget(startYWebsocket, measureWorkloads);
if (runs('hocuspocus')) await withTarget(startHocuspocus, measureWorkloads);

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

results.ratios = latencyRatios(results.workloads);
results.bars = judgeBars(results.workloads, results.largeRelease, results.browser);
const path = await writeResults(results);
console.log(formatReport(results));
console.log(`\nwritten: ${path} (and bench/results/latest.json)`);
if (results.bars.some((bar) => !bar.pass)) process.exitCode = 1;
