import { mkdir, rename } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Transporter } from 'nodemailer'
import { loadOnce } from '../../core/load-once.ts'
import { loadNodemailer, type Mailer } from './mailer.ts'

/**
 * Writes each message as an `.eml` file in `dir` instead of sending it: the zero-setup transport,
 * so `celeriac all` works with no SMTP server, and a developer can open what would have gone out.
 * nodemailer builds the exact message an SMTP send would (streamTransport); the file is written
 * under a temporary name and renamed, so a reader never sees half a message.
 */
export function createOutboxMailer(dir: string): Mailer {
  const root = resolve(dir)
  let created: Transporter | null = null
  const transport = loadOnce(async () => {
    created = (await loadNodemailer()).createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'crlf',
    })
    return created
  })
  return {
    description: `outbox ${root}`,
    async send(email) {
      const info = await (await transport()).sendMail(email)
      await mkdir(root, { recursive: true })
      const file = join(root, `${new Date().toISOString().replace(/[:.]/g, '-')}-${Bun.randomUUIDv7()}.eml`)
      await Bun.write(`${file}.part`, info.message as Buffer)
      await rename(`${file}.part`, file)
      return { messageId: String(info.messageId), response: `written to ${file}` }
    },
    close: () => created?.close(),
  }
}
