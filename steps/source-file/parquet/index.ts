export type { ParquetChunk, ParquetColumnChunk } from './chunk.js';
export { readParquetMetadata, topLevelNames } from './metadata.js';
export { parquetChunks, rowsPerPart, type ParquetCut, type ParquetChunkOut } from './plan.js';
export { plain, timestampText, dateText } from './values.js';
