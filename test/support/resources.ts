/** Open pools, workers and browsers of the current test file; the leak guard fails a file that leaves any. */
const open = new Map<string, string>();
let counter = 0;

export function trackResource(description: string): () => void {
  const id = `${description}#${++counter}`;
  open.set(id, description);
  return () => open.delete(id);
}

export function openResources(): string[] {
  return [...open.values()];
}
