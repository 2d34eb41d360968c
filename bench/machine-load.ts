import { readdirSync, readFileSync } from 'node:fs';

/** CPU used during a measurement, in cores (1 = one core busy the whole time). */
export interface CpuLoad {
  machine: number;
  /** This process and every process it started (server children, handler workers). */
  bench: number;
  /** Everything else on the machine: other people's builds and tests skew the figures. */
  others: number;
  seconds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function readTicks(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Busy jiffies of the whole machine, from the first line of /proc/stat. */
function machineBusyTicks(): number {
  const fields = (readTicks('/proc/stat') ?? '').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

/** utime + stime of every process descending from this one (and this one). */
function benchTicks(): Map<number, number> {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readTicks(`/proc/${entry}/stat`);
    if (!stat) continue;
    // Fields after the parenthesised command name: state ppid … utime(14) stime(15).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parents.set(Number(entry), Number(rest[1]));
    ticks.set(Number(entry), Number(rest[11]) + Number(rest[12]));
  }
  const isOurs = (pid: number): boolean => {
    for (let p: number | undefined = pid; p && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  return new Map([...ticks].filter(([pid]) => isOurs(pid)));
}

/**
 * Starts measuring CPU use; the returned function stops and reports it. Linux only: elsewhere
 * it reports NaN. Two cores are shared here, so the others' share says how far to trust a run.
 */
export function startCpuMeter(): () => CpuLoad {
  const startedAt = performance.now();
  const machineStart = machineBusyTicks();
  const benchStart = benchTicks();
  return () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const machine = (machineBusyTicks() - machineStart) / TICKS_PER_SECOND / seconds;
    let ours = 0;
    for (const [pid, ticks] of benchTicks()) ours += ticks - (benchStart.get(pid) ?? 0);
    const bench = ours / TICKS_PER_SECOND / seconds;
    const round2 = (n: number) => Math.round(n * 100) / 100;
    return {
      machine: round2(machine),
      bench: round2(bench),
      others: round2(Math.max(0, machine - bench)),
      seconds: round2(seconds),
    };
  };
}

/**
 * Waits, at most `maxMs`, until other processes use less than `threshold` cores over a
 * two-second sample, so a measurement does not start in the middle of someone's build.
 * Resolves with the last sample of the others' load.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.25): Promise<number> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const stop = startCpuMeter();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const { others } = stop();
    if (others < threshold || performance.now() >= deadline) return others;
  }
}
