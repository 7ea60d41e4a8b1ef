import { afterEach } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { describeBroker } from './conformance.ts'
import { describeScheduleStore } from './schedule-store-conformance.ts'

const files: string[] = []

afterEach(() => {
  for (const file of files.splice(0)) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
  }
})

describeBroker('sqlite', async (clock) => {
  const path = join(tmpdir(), `celeriac-test-${process.pid}-${Bun.randomUUIDv7()}.db`)
  files.push(path)
  return createSqliteBroker({ path, clock })
})

describeScheduleStore('sqlite', async (clock) => {
  const path = join(tmpdir(), `celeriac-test-${process.pid}-${Bun.randomUUIDv7()}.db`)
  files.push(path)
  return createSqliteBroker({ path, clock })
})
