// CPU time of this process and of its children (Linux /proc), so a bench can say what bounded a
// figure: on a 2-core machine, Azurite, the app instances and the load generator share the cores.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

/** CPU seconds so far by process: `bench` (this one), `azurite`, or the child's pid. */
export function cpuSeconds(): Map<string, number> {
  const seconds = new Map<string, number>();
  const own = process.cpuUsage();
  seconds.set('bench', (own.user + own.system) / 1e6);
  for (const pid of children()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start at ") "; utime, stime are 14, 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      seconds.set(command.includes('azurite') ? 'azurite' : pid, ticks / TICKS_PER_SECOND);
    } catch {
      // gone meanwhile
    }
  }
  return seconds;
}

/** CPU seconds used between two readings by Azurite, the app instances and the load generator. */
export function cpuUsed(
  before: Map<string, number>,
  after: Map<string, number>,
): { azurite: number; instances: number; bench: number } {
  const used = { azurite: 0, instances: 0, bench: 0 };
  for (const [name, value] of after) {
    const seconds = value - (before.get(name) ?? 0);
    if (name === 'azurite') used.azurite += seconds;
    else if (name === 'bench') used.bench += seconds;
    else used.instances += seconds;
  }
  return used;
}

/** `azurite 12.1 s, instances 9.3 s, load generator 2.0 s` between two readings. */
export function describeCpu(before: Map<string, number>, after: Map<string, number>): string {
  const { azurite, instances, bench } = cpuUsed(before, after);
  const s = (n: number) => `${Math.round(n * 10) / 10} s`;
  return `Azurite ${s(azurite)}, app instances ${s(instances)}, load generator ${s(bench)}`;
}

function children(): string[] {
  try {
    return readdirSync(`/proc/${process.pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean),
    );
  } catch {
    return [];
  }
}
