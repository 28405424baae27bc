import { isTty } from './io';

/** Progress of a long command on stderr: a bar redrawn in place on a terminal, else only the summary. */
export type Progress = {
  /** `fraction` in [0, 1] when the total is known. */
  update(text: string, fraction?: number): void;
  /** Clears the bar and writes the summary line (always, terminal or not). */
  done(summary: string): void;
};

const BAR_WIDTH = 24;
// Redrawing on every row would spend more time on the terminal than on the work.
const REDRAW_EVERY_MS = 100;

export function progressOn(stream: NodeJS.WritableStream): Progress {
  const tty = isTty(stream);
  let lastDraw = 0;
  let drawn = false;
  return {
    update(text, fraction) {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDraw < REDRAW_EVERY_MS) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r\x1b[K${fraction === undefined ? '' : `${bar(fraction)} `}${text}`);
    },
    done(summary) {
      stream.write(`${tty && drawn ? '\r\x1b[K' : ''}${summary}\n`);
    },
  };
}

function bar(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}
