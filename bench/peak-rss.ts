import { readFileSync } from 'node:fs'

/** A process's peak resident set so far (VmHWM from /proc), in MB; 0 once it has exited. Linux only. */
export function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
  } catch {
    return 0
  }
}
