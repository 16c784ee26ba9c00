#!/usr/bin/env node
// Assembles steps/kit/wasm/kernels.wat into steps/kit/wasm/kernels-bytes.ts (the module as base64), so
// neither the build nor an install needs a WebAssembly toolchain. The assembler takes the subset of
// the text format that kernels.wat is written in: memories, globals and functions with exports,
// named params/locals/globals/labels, and flat (not folded) instructions. Anything else is an error.
//   node scripts/gen-wasm.mjs           rewrites kernels-bytes.ts
//   node scripts/gen-wasm.mjs --check   exits 1 when kernels-bytes.ts is stale
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

// Opcodes without immediates.
const PLAIN = {
  unreachable: 0x00, nop: 0x01, else: 0x05, end: 0x0b, return: 0x0f, drop: 0x1a, select: 0x1b,
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.le_u': 0x4d, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'i64.eqz': 0x50, 'i64.eq': 0x51, 'i64.ne': 0x52, 'i64.lt_s': 0x53, 'i64.lt_u': 0x54, 'i64.gt_s': 0x55,
  'i64.gt_u': 0x56, 'i64.le_s': 0x57, 'i64.le_u': 0x58, 'i64.ge_s': 0x59, 'i64.ge_u': 0x5a,
  'f64.eq': 0x61, 'f64.ne': 0x62, 'f64.lt': 0x63, 'f64.gt': 0x64, 'f64.le': 0x65, 'f64.ge': 0x66,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73,
  'i32.shl': 0x74, 'i32.shr_s': 0x75, 'i32.shr_u': 0x76,
  'i64.add': 0x7c, 'i64.sub': 0x7d, 'i64.mul': 0x7e, 'i64.and': 0x83, 'i64.or': 0x84, 'i64.xor': 0x85,
  'i64.shl': 0x86, 'i64.shr_s': 0x87, 'i64.shr_u': 0x88,
  'f64.abs': 0x99, 'f64.neg': 0x9a, 'f64.ceil': 0x9b, 'f64.floor': 0x9c, 'f64.trunc': 0x9d,
  'f64.nearest': 0x9e, 'f64.sqrt': 0x9f, 'f64.add': 0xa0, 'f64.sub': 0xa1, 'f64.mul': 0xa2, 'f64.div': 0xa3,
  'i32.wrap_i64': 0xa7, 'i64.extend_i32_s': 0xac, 'i64.extend_i32_u': 0xad, 'i64.trunc_f64_s': 0xb0,
  'i64.trunc_f64_u': 0xb1, 'f64.convert_i32_s': 0xb7, 'f64.convert_i32_u': 0xb8, 'f64.convert_i64_s': 0xb9,
  'f64.convert_i64_u': 0xba, 'i64.reinterpret_f64': 0xbd, 'f64.reinterpret_i64': 0xbf,
};
// Loads and stores: opcode and natural alignment (log2 bytes).
const MEMORY = {
  'i32.load': [0x28, 2], 'i64.load': [0x29, 3], 'f64.load': [0x2b, 3],
  'i32.store': [0x36, 2], 'i64.store': [0x37, 3], 'f64.store': [0x39, 3],
};
const VARIABLE = { 'local.get': 0x20, 'local.set': 0x21, 'local.tee': 0x22, 'global.get': 0x23, 'global.set': 0x24 };
const BLOCKS = { block: 0x02, loop: 0x03, if: 0x04 };
const BRANCHES = { br: 0x0c, br_if: 0x0d };

// --- text to S-expressions ---

function tokenize(text) {
  const tokens = [];
  const re = /\s+|;;[^\n]*|\(;[\s\S]*?;\)|(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()";]+)/gy;
  for (let at = 0; at < text.length; at = re.lastIndex) {
    const m = re.exec(text);
    if (!m) throw new Error(`wat: cannot read at offset ${at}`);
    if (m[1] !== undefined) tokens.push(m[1]);
  }
  return tokens;
}

function parse(tokens) {
  const stack = [[]];
  for (const t of tokens) {
    if (t === '(') stack.push([]);
    else if (t === ')') {
      const list = stack.pop();
      if (stack.length === 0) throw new Error('wat: unbalanced )');
      stack.at(-1).push(list);
    } else stack.at(-1).push(t);
  }
  if (stack.length !== 1) throw new Error('wat: unbalanced (');
  return stack[0];
}

// --- binary encoding ---

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(big) {
  const out = [];
  for (;;) {
    const b = Number(big & 0x7fn);
    big >>= 7n;
    if ((big === 0n && (b & 0x40) === 0) || (big === -1n && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const str = (s) => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => (bytes.length ? [id, ...uleb(bytes.length), ...bytes] : []);

function intLiteral(text, bits) {
  const t = text.replaceAll('_', '');
  const negative = t.startsWith('-');
  let v = BigInt(negative || t.startsWith('+') ? t.slice(1) : t);
  if (negative) v = -v;
  if (v < -(1n << BigInt(bits - 1)) || v >= 1n << BigInt(bits)) throw new Error(`wat: ${text} is not an i${bits}`);
  return BigInt.asIntN(bits, v); // hex literals above the signed range wrap, as in the text format
}

function f64Literal(text) {
  const t = text.replaceAll('_', '');
  const hex = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(t);
  let v;
  if (hex) {
    const [, sign, int, frac = '', exp = '0'] = hex;
    const mantissa = BigInt('0x' + int + frac);
    if (mantissa >= 1n << 53n) throw new Error(`wat: ${text}: too many hex digits`);
    v = Number(mantissa) * 2 ** (Number(exp) - 4 * frac.length); // exact: a 53-bit integer times a power of two
    if (sign === '-') v = -v;
  } else v = Number(t);
  if (Number.isNaN(v)) throw new Error(`wat: ${text} is not an f64`);
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...b];
}

// --- the module ---

function nameOf(list, i) {
  return typeof list[i] === 'string' && list[i].startsWith('$') ? list[i] : undefined;
}

function exportOf(list) {
  const e = list.find((x) => Array.isArray(x) && x[0] === 'export');
  return e ? JSON.parse(e[1]) : undefined;
}

/** Assembles WebAssembly text (the subset described above) into a module's bytes. */
export function assemble(text) {
  const [mod, ...rest] = parse(tokenize(text));
  if (rest.length || !Array.isArray(mod) || mod[0] !== 'module') throw new Error('wat: expected one (module ...)');
  const fields = mod.slice(1);
  const types = [];
  const funcs = [];
  const memories = [];
  const globals = [];
  const exports = [];
  const funcNames = new Map();
  const globalNames = new Map();

  for (const f of fields) {
    if (f[0] === 'func') {
      const name = nameOf(f, 1);
      if (name) funcNames.set(name, funcs.length);
      funcs.push(f);
    } else if (f[0] === 'global') {
      const name = nameOf(f, 1);
      if (name) globalNames.set(name, globals.length);
      globals.push(f);
    } else if (f[0] === 'memory') memories.push(f);
    else throw new Error(`wat: unsupported module field ${f[0]}`);
  }

  const typeIndex = (params, results) => {
    const bytes = [0x60, ...vec(params.map((t) => [t])), ...vec(results.map((t) => [t]))];
    const key = bytes.join(',');
    let i = types.findIndex((t) => t.join(',') === key);
    if (i < 0) i = types.push(bytes) - 1;
    return i;
  };

  const memorySection = memories.map((m, i) => {
    const name = exportOf(m);
    if (name !== undefined) exports.push([...str(name), 0x02, ...uleb(i)]);
    const pages = m.filter((x) => typeof x === 'string' && /^\d+$/.test(x)).map(Number);
    return pages.length === 1 ? [0x00, ...uleb(pages[0])] : [0x01, ...uleb(pages[0]), ...uleb(pages[1])];
  });

  const globalSection = globals.map((g, i) => {
    const name = exportOf(g);
    if (name !== undefined) exports.push([...str(name), 0x03, ...uleb(i)]);
    const [type, init] = g.filter((x) => Array.isArray(x) && x[0] !== 'export');
    const mutable = type[0] === 'mut';
    const t = mutable ? type[1] : type;
    if (!init || init[0] !== `${t}.const`) throw new Error('wat: a global needs a constant initialiser');
    return [TYPES[t], mutable ? 1 : 0, ...instruction([init[0], init[1]], {}), 0x0b];
  });

  function instruction(words, ctx) {
    const out = [];
    for (let i = 0; i < words.length; i++) {
      const op = words[i];
      if (Array.isArray(op)) throw new Error(`wat: folded instructions are not supported: (${op.join(' ')})`);
      const next = () => {
        if (i + 1 >= words.length) throw new Error(`wat: ${op} needs an immediate`);
        return words[++i];
      };
      if (op in PLAIN) {
        out.push(PLAIN[op]);
        if (op === 'end') ctx.labels.pop();
      } else if (op in BLOCKS) {
        out.push(BLOCKS[op], 0x40); // no block results: the kernels keep values in locals
        ctx.labels.push(nameOf(words, i + 1) ?? null);
        if (nameOf(words, i + 1)) i++;
      } else if (op in BRANCHES) {
        const label = next();
        const depth = /^\d+$/.test(label) ? Number(label) : ctx.labels.length - 1 - ctx.labels.lastIndexOf(label);
        if (depth < 0 || depth >= ctx.labels.length || (!/^\d+$/.test(label) && !ctx.labels.includes(label))) {
          throw new Error(`wat: unknown label ${label}`);
        }
        out.push(BRANCHES[op], ...uleb(depth));
      } else if (op === 'call') {
        const f = next();
        const index = funcNames.get(f) ?? (/^\d+$/.test(f) ? Number(f) : undefined);
        if (index === undefined) throw new Error(`wat: unknown function ${f}`);
        out.push(0x10, ...uleb(index));
      } else if (op in VARIABLE) {
        const v = next();
        const names = op.startsWith('local') ? ctx.locals : globalNames;
        const index = names.get(v) ?? (/^\d+$/.test(v) ? Number(v) : undefined);
        if (index === undefined) throw new Error(`wat: unknown variable ${v}`);
        out.push(VARIABLE[op], ...uleb(index));
      } else if (op in MEMORY) {
        const [code, natural] = MEMORY[op];
        let offset = 0;
        let align = natural;
        while (i + 1 < words.length && /^(offset|align)=/.test(words[i + 1])) {
          const [key, value] = next().split('=');
          if (key === 'offset') offset = Number(value);
          else align = Math.log2(Number(value));
        }
        out.push(code, ...uleb(align), ...uleb(offset));
      } else if (op === 'i32.const') out.push(0x41, ...sleb(intLiteral(next(), 32)));
      else if (op === 'i64.const') out.push(0x42, ...sleb(intLiteral(next(), 64)));
      else if (op === 'f64.const') out.push(0x44, ...f64Literal(next()));
      else throw new Error(`wat: unsupported instruction ${op}`);
    }
    return out;
  }

  const functionSection = [];
  const codeSection = funcs.map((f, fi) => {
    const name = exportOf(f);
    if (name !== undefined) exports.push([...str(name), 0x00, ...uleb(fi)]);
    const params = [];
    const results = [];
    const locals = new Map();
    const localTypes = [];
    const body = [];
    for (const x of f.slice(nameOf(f, 1) ? 2 : 1)) {
      if (Array.isArray(x) && x[0] === 'export') continue;
      if (Array.isArray(x) && (x[0] === 'param' || x[0] === 'local')) {
        const named = nameOf(x, 1);
        if (named) locals.set(named, params.length + localTypes.length);
        for (const t of x.slice(named ? 2 : 1)) (x[0] === 'param' ? params : localTypes).push(TYPES[t]);
        if (x[0] === 'param' && localTypes.length) throw new Error('wat: params come before locals');
      } else if (Array.isArray(x) && x[0] === 'result') results.push(...x.slice(1).map((t) => TYPES[t]));
      else body.push(x);
    }
    functionSection.push(uleb(typeIndex(params, results)));
    const ctx = { locals, labels: [null] };
    const code = [...instruction(body, ctx), 0x0b];
    if (ctx.labels.length !== 1) throw new Error(`wat: unbalanced block/end in function ${fi}`);
    const localGroups = localTypes.map((t) => [1, t]); // one entry per local: simple, and valid
    const entry = [...vec(localGroups), ...code];
    return [...uleb(entry.length), ...entry];
  });

  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types.length ? vec(types) : []),
    ...section(3, functionSection.length ? vec(functionSection) : []),
    ...section(5, memorySection.length ? vec(memorySection) : []),
    ...section(6, globalSection.length ? vec(globalSection) : []),
    ...section(7, exports.length ? vec(exports) : []),
    ...section(10, codeSection.length ? vec(codeSection) : []),
  ]);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WAT_PATH = path.join(root, 'steps/kit/wasm/kernels.wat');
export const BYTES_PATH = path.join(root, 'steps/kit/wasm/kernels-bytes.ts');

/** The TypeScript module that embeds the assembled bytes. */
export function bytesModule(bytes) {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = b64.match(/.{1,96}/g) ?? [''];
  return (
    '// Generated by scripts/gen-wasm.mjs from kernels.wat: do not edit, run `node scripts/gen-wasm.mjs`.\n' +
    `export const KERNELS_WASM_BASE64 =\n${lines.map((l) => `  '${l}'`).join(' +\n')};\n`
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = bytesModule(assemble(readFileSync(WAT_PATH, 'utf8')));
  if (process.argv.includes('--check')) {
    if (readFileSync(BYTES_PATH, 'utf8') !== text) {
      console.error(`${path.relative(root, BYTES_PATH)} is stale: run node scripts/gen-wasm.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(BYTES_PATH, text);
    console.log(`wrote ${path.relative(root, BYTES_PATH)}`);
  }
}
