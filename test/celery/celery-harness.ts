import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { RunningCeleriac } from '../cli/celeriac-process.ts'

/** Debian's interpreter, where python3-celery and python3-redis are installed (not a pyenv one). */
export const PYTHON = '/usr/bin/python3'
const TASKS = join(import.meta.dir, '../fixtures/celery-tasks.ts')

/**
 * kombu's keys (queue lists, unacked, unacked_index) have fixed names, so each test file owns a
 * Redis database number and empties it before and after.
 */
export function celeryRedisUrl(db: number): string {
  return `redis://127.0.0.1:6379/${db}`
}

export async function flushDb(url: string): Promise<void> {
  const redis = new Redis(url)
  try {
    await redis.flushdb()
  } finally {
    redis.disconnect()
  }
}

export function startCeleryWorker(
  url: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): RunningCeleriac {
  const cwd = mkdtempSync(join(tmpdir(), 'celeriac-celery-'))
  return new RunningCeleriac(['worker', '--celery', '-Q', 'celery,emails', '-A', TASKS, ...extra], {
    cwd,
    env: { CELERIAC_BROKER_URL: url, CELERIAC_LOG_LEVEL: 'info', ...env },
  })
}

/** The app a test's Python script starts from: broker and result backend on the test's database. */
const PRELUDE = `
import json, os, sys, time
from datetime import datetime, timedelta, timezone
from celery import Celery
app = Celery('t', broker=os.environ['CELERY_URL'], backend=os.environ['CELERY_URL'])
`

/** Runs a Python script (written to a temp file) with real Celery; returns what it prints as JSON. */
export async function runPython<T>(url: string, body: string, timeoutMs = 60_000): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-py-'))
  const file = join(dir, 'client.py')
  writeFileSync(file, `${PRELUDE}\n${body}`)
  try {
    const proc = Bun.spawn([PYTHON, file], {
      env: { ...process.env, CELERY_URL: url },
      stdout: 'pipe',
      stderr: 'pipe',
      timeout: timeoutMs,
    })
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ])
    if (code !== 0) throw new Error(`python exited ${code}:\n${err}\n${out}`)
    const last = out.trim().split('\n').at(-1) ?? ''
    return JSON.parse(last) as T
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
