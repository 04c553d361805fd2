/**
 * Calls `onOrphaned` when this process's parent dies (we get re-parented). Children of
 * `npm start` use it so a SIGKILLed launcher leaves no stray web, worker or sandbox process.
 */
export function watchParent(onOrphaned: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
