// Stage 1 for the programmatic API: a pipeline given as a plain object instead of a file. It becomes
// a YAML document without source ranges, so interpolation and validation take the same road as a
// file and their errors have paths but no file location.
import { Document, LineCounter } from 'yaml';
import type { PipelineSource } from './yaml-locate.js';

/** A pipeline in the file's format, as a JavaScript value (what the YAML would parse to). */
export type PipelineObject = Record<string, unknown>;

export function objectSource(pipeline: PipelineObject, file: string): PipelineSource {
  // aliasDuplicateObjects: a `with` object shared by two steps must stay two plain copies.
  const doc = new Document(pipeline, { aliasDuplicateObjects: false }) as unknown as Document.Parsed;
  return { file, text: '', doc, lineCounter: new LineCounter(), edits: new Map() };
}
