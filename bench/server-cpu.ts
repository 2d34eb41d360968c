import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + sys) a server's processes used during a measurement. */
export interface ServerCpu {
  /** Wall time measured. */
  seconds: number;
  /** The server child and every process under it (Patchline: gateway, dynalite, handler workers). */
  serverMs: number;
  /** Patchline's handler worker processes only; null for a server without them. */
  workersMs: number | null;
  /** Processes counted (the server child included). */
  processes: number;
}

const MS_PER_TICK = 10; // USER_HZ = 100 on Linux

interface ProcessTicks {
  ppid: number;
  ticks: number;
  isWorker: boolean;
}

function readProcesses(): Map<number, ProcessTicks> {
  const processes = new Map<number, ProcessTicks>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command name: state ppid … utime(14) stime(15).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(Number(entry), {
      ppid: Number(rest[1]),
      ticks: Number(rest[11]) + Number(rest[12]),
      // The local gateway forks `gateway/local/handler-worker.ts` (see worker-pool.ts).
      isWorker: cmdline.includes('handler-worker'),
    });
  }
  return processes;
}

/** `rootPid` and its descendants, with their CPU ticks so far. */
function treeOf(rootPid: number): Map<number, ProcessTicks> {
  const all = readProcesses();
  const isInTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p && p > 1; p = all.get(p)?.ppid) if (p === rootPid) return true;
    return false;
  };
  return new Map([...all].filter(([pid]) => isInTree(pid)));
}

/**
 * Starts measuring the CPU of the server process `rootPid` and everything it started, read from
 * /proc/<pid>/stat (10 ms ticks; Linux only, NaN elsewhere). A process that exits before the
 * stop loses its share; one started meanwhile counts from zero.
 */
export function startServerCpuMeter(rootPid: number): () => ServerCpu {
  const startedAt = performance.now();
  let before: Map<number, ProcessTicks>;
  try {
    before = treeOf(rootPid);
  } catch {
    return () => ({ seconds: NaN, serverMs: NaN, workersMs: null, processes: 0 });
  }
  return () => {
    const after = treeOf(rootPid);
    let serverTicks = 0;
    let workerTicks = 0;
    let workers = 0;
    for (const [pid, now] of after) {
      const used = now.ticks - (before.get(pid)?.ticks ?? 0);
      serverTicks += used;
      if (now.isWorker) {
        workerTicks += used;
        workers++;
      }
    }
    return {
      seconds: Math.round((performance.now() - startedAt) / 10) / 100,
      serverMs: serverTicks * MS_PER_TICK,
      workersMs: workers > 0 ? workerTicks * MS_PER_TICK : null,
      processes: after.size,
    };
  };
}
