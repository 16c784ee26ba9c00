// Prints a run's warnings on stderr like errors: file:line:col, the source line, a caret run, a hint.
import type { RunWarning } from '../contract/outcomes.js';
import { displayPath, frameWindow } from './format-error.js';

/** The warnings as text, one block each (empty when there are none). */
export function formatWarnings(warnings: readonly RunWarning[] | undefined, readSource: (file: string) => string | undefined, color = false): string {
  const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const [bold, yellow, blue, cyan] = [paint('1'), paint('1;33'), paint('1;34'), paint('36')];
  return (warnings ?? [])
    .map((w) => {
      const head = `${yellow('warning')}${bold(`: ${w.step ? `${w.step}: ` : ''}${w.message}`)}`;
      const loc = w.location;
      const lines = [loc ? `${bold(`${displayPath(loc.file)}:${loc.line}:${loc.column}`)} ${head}` : head];
      const sourceLine = loc ? readSource(loc.file)?.split(/\r?\n/)[loc.line - 1] : undefined;
      if (loc && sourceLine !== undefined) {
        const gutter = String(loc.line).padStart(5);
        const shown = frameWindow(sourceLine, loc.column, loc.length ?? 1);
        const pad = shown.text.slice(0, shown.column - 1).replace(/[^\t]/g, ' ');
        lines.push(`${blue(`${gutter} |`)} ${shown.text}`, `${blue(`${' '.repeat(gutter.length)} |`)} ${pad}${yellow('^'.repeat(shown.width))}`);
      }
      if (w.hint) lines.push(`  ${cyan('hint')}: ${w.hint}`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** Writes the warnings on stderr (also with --quiet: like errors, they are the run's verdict). */
export function printWarnings(warnings: readonly RunWarning[] | undefined, readSource: (file: string) => string | undefined): void {
  if (!warnings?.length) return;
  process.stderr.write(formatWarnings(warnings, readSource, process.stderr.isTTY === true && !process.env.NO_COLOR));
}
