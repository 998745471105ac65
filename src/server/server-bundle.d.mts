/** Types of server-bundle.mjs (plain JavaScript: it runs before anything compiles TypeScript). */
export const PROJECT_ROOT: string;
export const SERVER_INPUTS: string[];
export function serverBundle(options: {
  entries: Record<string, string>;
  inputs: string[];
  dir: string;
}): Promise<string>;
