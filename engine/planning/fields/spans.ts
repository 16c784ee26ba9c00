// Where an expression reads a top-level field of `r`: the span of the name, so an error can point
// inside the expression string (`r.temp_maxx` -> the characters of `temp_maxx`).
import { children, unwrap, type Node } from '../../../steps/kit/expr/ast.js';
import { parse } from '../../../steps/kit/expr/parse.js';

/** The first place the expression reads `r.<name>` or `r["<name>"]`; undefined when it does not (or does not parse). */
export function fieldSpan(source: string, name: string): { start: number; end: number } | undefined {
  const { ast } = parse(source);
  if (!ast) return undefined;
  // Without recursion: an expression may nest deeply. Source order: a node's children left to right.
  const stack: Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'member' && node.name === name) {
      const object = unwrap(node.object);
      if (object.type === 'identifier' && object.name === 'r') return { start: node.keyStart, end: node.keyEnd };
    }
    const next = children(node);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
  return undefined;
}
