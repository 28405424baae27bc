import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process times in clock ticks; USER_HZ is 100 on every mainstream kernel build.
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) this Node process has used. */
export function nodeCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU milliseconds (user + system) of process `pid`, from `/proc/<pid>/stat` (fields 14 and 15,
 * after the parenthesised command name). Undefined where there is no `/proc` or no such process.
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the DynamoDB Local JVM listening on `port`, found by its command line. */
export function dynamoLocalPid(port: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const portAt = args.indexOf('-port');
    if (args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && args[portAt + 1] === String(port))
      return Number(entry);
  }
  return undefined;
}

/** CPU used by this process and the DynamoDB Local JVM while `work` runs. */
export async function cpuDuring<T>(
  jvmPid: number | undefined,
  work: () => Promise<T>,
): Promise<{ value: T; nodeMs: number; jvmMs?: number }> {
  const node = nodeCpuMs();
  const jvm = jvmPid === undefined ? undefined : processCpuMs(jvmPid);
  const value = await work();
  const jvmAfter = jvmPid === undefined ? undefined : processCpuMs(jvmPid);
  return {
    value,
    nodeMs: nodeCpuMs() - node,
    jvmMs: jvm === undefined || jvmAfter === undefined ? undefined : jvmAfter - jvm,
  };
}
