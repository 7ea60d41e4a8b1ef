export type StopSignal = 'SIGTERM' | 'SIGINT'

/**
 * Calls `onStop` on the first SIGTERM or SIGINT, and `onForce` on a second one (an operator who
 * presses Ctrl-C twice wants out now). Returns a function that removes both handlers.
 */
export function onStopSignals(
  onStop: (signal: StopSignal) => void,
  onForce?: (signal: StopSignal) => void,
): () => void {
  let count = 0
  const handler = (signal: StopSignal) => {
    count++
    if (count === 1) onStop(signal)
    else onForce?.(signal)
  }
  process.on('SIGTERM', handler)
  process.on('SIGINT', handler)
  return () => {
    process.off('SIGTERM', handler)
    process.off('SIGINT', handler)
  }
}
