let pending: Promise<void> | undefined;

/**
 * Resolves at the end of the event loop's current turn, once the I/O it polled has been handled (setImmediate).
 * Every caller in one turn shares one promise.
 */
export function turnEnd(): Promise<void> {
  return (pending ??= new Promise((resolve) =>
    setImmediate(() => {
      pending = undefined;
      resolve();
    }),
  ));
}
