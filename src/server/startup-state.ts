/** What the server is doing while it loads reference and demo data; /readyz and the home page show it. */
export type StartupState = { ready: boolean; stage: string; progress: number };

export function createStartupState(ready = false): StartupState {
  return { ready, stage: ready ? 'ready' : 'starting', progress: ready ? 1 : 0 };
}
