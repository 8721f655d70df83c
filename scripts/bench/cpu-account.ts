import { readFileSync } from "node:fs";
import pg from "pg";

/** The application_name the bench's dispatcher workers give PostgreSQL (node-postgres reads PGAPPNAME). */
export const WORKER_APP_NAME = "nudge-bench-dispatch";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux (man 5 proc: utime, stime)

/** CPU seconds a process has used so far, from /proc/<pid>/stat; null once it has exited. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** Per process, its reading when the measured work began and its latest: what it used since. */
class Tally {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  note(pid: number, begun: boolean) {
    const value = cpuSeconds(pid);
    if (value === null) return;
    if (!begun || !this.first.has(pid)) this.first.set(pid, begun && !this.first.has(pid) ? 0 : value);
    this.last.set(pid, value);
  }
  total() {
    return [...this.last].reduce((sum, [pid, value]) => sum + value - this.first.get(pid)!, 0);
  }
}

export interface CpuSplit {
  /** The watched processes: by default every process this one started (with PGlite, the database runs inside them). */
  workers: number;
  /** The PostgreSQL backends serving them. */
  postgres: number;
  /** This process: the fake Twilio, and the sampling itself. */
  bench: number;
}

export interface CpuWatch {
  /** The processes to count as `workers`; default: every descendant of this one. */
  processes?: () => number[];
  /** The application_name their PostgreSQL connections carry (PGAPPNAME); default WORKER_APP_NAME. */
  appName?: string;
}

/**
 * Where the CPU of a run goes, by process, sampled every 100 ms: the worker processes this one
 * starts (or those `watch` names), their PostgreSQL backends (found by application_name in pg_stat_activity),
 * and this process. Counted from the last sample before `begun()` (the first text reached the
 * fake), so start-up isn't; a process first seen after that counts from zero. Linux only; on a
 * machine shared with other work it still counts only these processes.
 */
export async function watchCpu(databaseUrl: string | undefined, begun: () => boolean, watch: CpuWatch = {}): Promise<{ stop(): Promise<CpuSplit> }> {
  const processes = watch.processes ?? (() => descendants(process.pid));
  const appName = watch.appName ?? WORKER_APP_NAME;
  const admin = databaseUrl ? new pg.Client({ connectionString: databaseUrl, application_name: "nudge-bench-cpu" }) : null;
  await admin?.connect();
  const workers = new Tally();
  const backends = new Tally();
  let self = process.cpuUsage();
  let sampling: Promise<void> = Promise.resolve();
  const sample = async () => {
    const now = begun();
    if (!now) self = process.cpuUsage();
    for (const pid of processes()) workers.note(pid, now);
    if (!admin) return;
    const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [appName]);
    for (const { pid } of rows) backends.note(pid, now);
  };
  const timer = setInterval(() => (sampling = sampling.then(sample).catch(() => undefined)), 100);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      const used = process.cpuUsage(self);
      await admin?.end();
      return { workers: workers.total(), postgres: backends.total(), bench: (used.user + used.system) / 1e6 };
    },
  };
}
