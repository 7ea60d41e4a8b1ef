import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { SMTPServer } from 'smtp-server'
import type { Mailer } from '../../../src/tasks/email/mailer.ts'
import { smtpFailureKind } from '../../../src/tasks/email/smtp-failure.ts'
import { createSmtpMailer } from '../../../src/tasks/email/smtp-mailer.ts'

const PASSWORD = 'hunter2-the-secret'

/** A real SMTP server that offers AUTH over plain text and has no STARTTLS: a password sent to it travels in clear. */
async function startPlainAuthServer() {
  const passwords: string[] = []
  const delivered: string[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      passwords.push(String(auth.password))
      callback(null, { user: auth.username })
    },
    onData(stream, session, callback) {
      stream.resume()
      stream.on('end', () => {
        delivered.push(session.envelope.rcptTo.map((r) => r.address).join(','))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as { port: number }
  return {
    port,
    passwords,
    delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

let server: Awaited<ReturnType<typeof startPlainAuthServer>>
const mailers: Mailer[] = []

beforeAll(async () => {
  server = await startPlainAuthServer()
})
afterAll(() => server.close())
afterEach(() => {
  for (const mailer of mailers.splice(0)) mailer.close()
  server.passwords.length = 0
  server.delivered.length = 0
})

function mailer(url: string): Mailer {
  const made = createSmtpMailer(url)
  mailers.push(made)
  return made
}

const EMAIL = { from: 'app@example.com', to: 'ann@example.com', subject: 'hi', text: 'hi', html: '<p>hi</p>' }

describe('smtp:// with a password: TLS before AUTH', () => {
  test('refuses to send the password to a server without STARTTLS, with an error saying how to opt out', async () => {
    const send = mailer(`smtp://user:${PASSWORD}@127.0.0.1:${server.port}`).send(EMAIL)
    const err = await send.then(
      () => null,
      (e: unknown) => e as Error,
    )
    expect(err).toBeInstanceOf(Error)
    expect(err?.message).toContain('STARTTLS')
    expect(err?.message).toContain('insecureAuth=true')
    expect(err?.message).not.toContain(PASSWORD)
    expect(smtpFailureKind(err)).toBe('permanent')
    expect(server.passwords).toEqual([])
    expect(server.delivered).toEqual([])
  })

  test('sends in clear only when the URL opts out explicitly with ?insecureAuth=true', async () => {
    const sent = await mailer(`smtp://user:${PASSWORD}@127.0.0.1:${server.port}?insecureAuth=true`).send(
      EMAIL,
    )
    expect(sent.response).toContain('250')
    expect(server.passwords).toEqual([PASSWORD])
    expect(server.delivered).toEqual(['ann@example.com'])
  })

  test('a URL without credentials needs no TLS: there is no password to protect', async () => {
    const sent = await mailer(`smtp://127.0.0.1:${server.port}`).send(EMAIL)
    expect(sent.response).toContain('250')
    expect(server.passwords).toEqual([])
  })

  test('the description never shows the password', () => {
    const made = mailer(`smtp://user:${PASSWORD}@127.0.0.1:${server.port}?insecureAuth=true`)
    expect(made.description).not.toContain(PASSWORD)
  })
})
