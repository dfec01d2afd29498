/** The signals that stop a CI step (runner cancel: SIGINT, then SIGTERM) or a terminal session. */
const terminating: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `cleanup` when the process is told to stop, then re-raises the signal so that the process ends as
 * it would have (killed by that signal). Without this, a temporary directory holding a k6 bundle and its
 * summary outlives a cancelled `shipgate stress`. `cleanup` gets `deadlineMs`; the signal is re-raised then
 * even if it has not finished. Returns the function that unregisters the handlers.
 */
export function onTermination(cleanup: () => Promise<void>, deadlineMs = 10_000): () => void {
  const handler = (signal: NodeJS.Signals) => {
    dispose();
    const end = () => process.kill(process.pid, signal);
    const timer = setTimeout(end, deadlineMs);
    void cleanup()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        end();
      });
  };
  const dispose = () => {
    for (const signal of terminating) process.off(signal, handler);
  };
  for (const signal of terminating) process.on(signal, handler);
  return dispose;
}
