import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  rcpt: string[]
  mail: ParsedMail
}

/** A real SMTP server on a random loopback port, in the test process. */
export interface SmtpTestServer {
  url: string
  received: ReceivedMail[]
  /** Answer RCPT TO for `address` with `code` (e.g. 450, 550) the next `times` times (default always). */
  reject(address: string, code: number, times?: number): void
  close(): Promise<void>
}

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = []
  const rejections = new Map<string, { code: number; times: number }>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const rule = rejections.get(address.address)
      if (!rule || rule.times <= 0) return callback()
      rule.times--
      const err = Object.assign(new Error(`${rule.code >= 500 ? 'no such user' : 'try again later'}`), {
        responseCode: rule.code,
      })
      callback(err)
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail })
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as { port: number }
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    reject: (address, code, times = Number.POSITIVE_INFINITY) => rejections.set(address, { code, times }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
