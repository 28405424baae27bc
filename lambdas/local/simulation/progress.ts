import type { SimulationProgress } from './simulation';

const WIDTH = 30;

/**
 * A one-line progress bar on stderr (redrawn in place on a terminal, one line per step
 * otherwise), so stdout keeps only the summary.
 */
export function progressBar(
  stream: NodeJS.WriteStream = process.stderr,
): (progress: SimulationProgress) => void {
  const began = Date.now();
  let lastPercent = -1;
  return ({ phase, day, days, at }) => {
    const share = days === 0 ? 1 : day / days;
    const percent = Math.floor(share * 100);
    if (!stream.isTTY && percent === lastPercent && phase === 'run') return;
    lastPercent = percent;
    const filled = Math.round(share * WIDTH);
    const elapsed = ((Date.now() - began) / 1000).toFixed(0);
    const line = `${phase.padEnd(5)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] day ${day}/${days} ${at.toISOString().slice(0, 10)} ${elapsed}s`;
    stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
    if (stream.isTTY && phase === 'check') stream.write('\n');
  };
}
