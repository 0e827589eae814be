/** Samples a process's resident memory from /proc/<pid>/status (Linux). */
import { readFileSync } from 'node:fs'

export function readMemory(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 }
  } catch {
    return null
  }
}

/** Polls VmRSS every `everyMs` until stopped; reports the peak and the samples. */
export function sampleRss(pid: number, everyMs = 20) {
  const samples: number[] = []
  const timer = setInterval(() => {
    const m = readMemory(pid)
    if (m) samples.push(m.rssMb)
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      const m = readMemory(pid)
      if (m) samples.push(m.rssMb)
      return { peakMb: Math.max(...samples), samples, hwmMb: m?.hwmMb ?? Number.NaN }
    },
  }
}
