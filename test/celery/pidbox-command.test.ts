import { describe, expect, test } from 'bun:test'
import { isForNode, parsePidboxCommand, revokeOf } from '../../src/celery/pidbox-command.ts'
import { RevokedIds } from '../../src/celery/revoked-ids.ts'

/** A broadcast as kombu's Mailbox._publish sends it through the Redis fanout. */
function broadcast(body: object): string {
  return JSON.stringify({
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { clock: 3, expires: 0 },
    properties: {
      delivery_mode: 1,
      delivery_info: { exchange: 'celery.pidbox', routing_key: '' },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: 't1',
    },
  })
}

describe('pidbox commands', () => {
  test('a revoke of several ids with terminate, for every node', () => {
    const command = parsePidboxCommand(
      broadcast({
        method: 'revoke',
        arguments: { task_id: ['a', 'b'], terminate: true, signal: 'SIGTERM' },
        destination: null,
      }),
    )
    if (!command) throw new Error('not parsed')
    expect(revokeOf(command)).toEqual({ ids: ['a', 'b'], terminate: true })
    expect(isForNode(command, 'celeriac@x')).toBe(true)
  })

  test('a destination list names the nodes it is for', () => {
    const command = parsePidboxCommand(
      broadcast({ method: 'revoke', arguments: { task_id: 'a' }, destination: ['celery@y'] }),
    )
    if (!command) throw new Error('not parsed')
    expect(revokeOf(command)).toEqual({ ids: ['a'], terminate: false })
    expect(isForNode(command, 'celeriac@x')).toBe(false)
    expect(isForNode(command, 'celery@y')).toBe(true)
  })

  test('a pickle or malformed message is no command', () => {
    const pickled = JSON.parse(broadcast({ method: 'revoke' }))
    pickled['content-type'] = 'application/x-python-serialize'
    expect(parsePidboxCommand(JSON.stringify(pickled))).toBeNull()
    expect(parsePidboxCommand('not json')).toBeNull()
    expect(parsePidboxCommand(broadcast({ arguments: {} }))).toBeNull()
  })

  test('revoked ids are kept up to the cap, oldest dropped first, and forgotten after their time', () => {
    const ids = new RevokedIds(2, 1000)
    ids.add('a', false, 0)
    ids.add('b', true, 0)
    ids.add('c', false, 0)
    expect(ids.get('a', 10)).toBeNull()
    expect(ids.get('b', 10)).toEqual({ terminate: true })
    expect(ids.get('c', 2000)).toBeNull()
  })
})
