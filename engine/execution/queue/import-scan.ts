// The specifiers a JavaScript or TypeScript module imports, found by a small scanner rather than a
// parser (a worker computes its fingerprint at its start): comments are blanked first, so a
// commented-out import is not followed. Strings and template literals are kept as they are: an
// import written inside one may be followed too, which only hashes one more file.

/** The text with its comments replaced by spaces; strings, templates and regular expressions are skipped whole. */
export function withoutComments(text: string): string {
  const out: string[] = [];
  let from = 0;
  let i = 0;
  // Open `${` of the template literals we are inside, each with its depth of braces at the start.
  const templates: number[] = [];
  let braces = 0;
  let previous = ''; // the last character of code that is not a space, to tell a regex from a division
  const blank = (end: number) => {
    out.push(text.slice(from, i), text.slice(i, end).replace(/[^\n]/g, ' '));
    i = from = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      blank(end === -1 ? text.length : end);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      blank(end === -1 ? text.length : end + 2);
      continue;
    }
    if (c === "'" || c === '"') i = quoted(text, i, c);
    else if (c === '`' || (c === '}' && braces === templates.at(-1))) {
      if (c === '}') templates.pop();
      i = templateText(text, i + 1);
      if (text.startsWith('${', i)) {
        templates.push(braces);
        i += 2;
      } else i += 1;
    } else if (c === '/' && startsRegex(previous, text.slice(Math.max(0, i - 11), i))) i = regexEnd(text, i);
    else {
      if (c === '{') braces++;
      if (c === '}') braces--;
      i++;
    }
    if (!/\s/.test(c)) previous = text[i - 1] ?? '';
  }
  out.push(text.slice(from));
  return out.join('');
}

/** The index after the string literal opened at `start` by `quote`. */
function quoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** From inside a template's text: the index of its closing backtick or of its next `${`. */
function templateText(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '`' && !text.startsWith('${', i)) i += text[i] === '\\' ? 2 : 1;
  return i;
}

const regexAfterWord = /(?<![\w$.])(?:return|typeof|case|do|else|in|of|void|yield|await|delete|throw|new)\s*$/;

/** A `/` after one of these (or at the start, or after a keyword such as `return`) opens a regular expression, else it divides. */
function startsRegex(previous: string, before: string): boolean {
  return previous === '' || '(,=:[!&|?{};+-*%<>~^'.includes(previous) || regexAfterWord.test(before);
}

/** The index after the regular expression literal opened at `start` (a `/` in a class does not close it). */
function regexEnd(text: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < text.length && text[i] !== '\n') {
    const c = text[i]!;
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
    i++;
  }
  return i;
}

const literal = String.raw`(?:'([^'\n]*)'|"([^"\n]*)"|\x60([^\x60$]*)\x60)`;
const forms = [
  // import x from '...', import { a } from '...', export * from '...', export { a } from '...'
  new RegExp(String.raw`(?<![\w$.])(?:import|export)\s[^;'"\x60]*?\bfrom\s*${literal}`, 'g'),
  // import '...'
  new RegExp(String.raw`(?<![\w$.])import\s*${literal}`, 'g'),
  // import('...'), require('...')
  new RegExp(String.raw`(?<![\w$.])(?:import|require)\s*\(\s*${literal}\s*[,)]`, 'g'),
];

/** The specifiers the module imports: static, side-effect, re-export and dynamic with a literal, and `require`. */
export function importedSpecifiers(source: string): string[] {
  const code = withoutComments(source);
  const found = new Set<string>();
  for (const form of forms) for (const m of code.matchAll(form)) found.add(m[1] ?? m[2] ?? m[3]!);
  return [...found];
}
