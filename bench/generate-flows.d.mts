// Types for generate-flows.mjs, so TypeScript tests can reuse the generator.
export interface GenerateOptions {
	records?: number;
	seed?: number;
	header?: boolean;
	malformed?: number;
	start?: number;
	gzip?: boolean;
}
export const HEADER: string;
export function random(seed: number): () => number;
export function generateFlowLines(options?: GenerateOptions): Generator<string>;
export function writeFlowFile(path: string, options?: GenerateOptions): Promise<number>;
