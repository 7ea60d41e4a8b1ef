import { connect as tcpConnect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

/**
 * Opens a connection to the SMTP server of `url` and waits for its 220 greeting, then quits. The
 * detail never includes the URL's credentials.
 */
export function probeSmtp(url: string, timeoutMs: number): Promise<string> {
  const parsed = new URL(url)
  const secure = parsed.protocol === 'smtps:'
  const port = Number(parsed.port || (secure ? 465 : 587))
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve, reject) => {
    const socket = secure ? tlsConnect({ host, port, servername: host }) : tcpConnect({ host, port })
    const fail = (message: string) => {
      socket.destroy()
      reject(new Error(`${host}:${port}: ${message}`))
    }
    const timer = setTimeout(() => fail(`no greeting within ${timeoutMs} ms`), timeoutMs)
    socket.once('error', (err) => {
      clearTimeout(timer)
      fail(err.message)
    })
    socket.once('data', (data) => {
      clearTimeout(timer)
      const line = data.toString('utf8').split('\r\n')[0] ?? ''
      if (!line.startsWith('220')) return fail(`unexpected greeting '${line.slice(0, 80)}'`)
      socket.end('QUIT\r\n')
      resolve(`${host}:${port} ${line.slice(0, 80)}`)
    })
  })
}
