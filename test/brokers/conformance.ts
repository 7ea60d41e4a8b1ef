import { describe } from 'bun:test'
import { describeAdmin } from './conformance/admin.ts'
import { describeEnqueueReserve } from './conformance/enqueue-reserve.ts'
import { describeFairness } from './conformance/fairness.ts'
import type { MakeBroker } from './conformance/harness.ts'
import { describeLeases } from './conformance/leases.ts'
import { describeRatesAndPing } from './conformance/rates-ping.ts'
import { describeRecords } from './conformance/records.ts'
import { describeResultsAndEvents } from './conformance/results-events.ts'
import { describeRevocations } from './conformance/revocations.ts'
import { describeSettle } from './conformance/settle.ts'
import { describeUniqueTasks } from './conformance/unique-tasks.ts'
import { describeWorkersAndControl } from './conformance/workers-control.ts'
import { describeWorkflows } from './conformance/workflows.ts'

export type { MakeBroker } from './conformance/harness.ts'

/**
 * The behaviour every broker engine must show, written against the interface only so each engine's
 * test file runs it unchanged. `make` returns a fresh broker on the given fake clock; tests use
 * their own queue and worker names and clean up through the broker, so a shared server is fine.
 */
export function describeBroker(name: string, make: MakeBroker): void {
  describe(`broker conformance: ${name}`, () => {
    describeEnqueueReserve(make)
    describeSettle(make)
    describeLeases(make)
    describeResultsAndEvents(make)
    describeAdmin(make)
    describeWorkersAndControl(make)
    describeRatesAndPing(make)
    describeRecords(make)
    describeRevocations(make)
    describeUniqueTasks(make)
    describeWorkflows(make)
    describeFairness(make)
  })
}
