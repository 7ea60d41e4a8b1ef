/**
 * The message a node answers a pidbox call with (kombu/pidbox.py Mailbox._publish_reply):
 * `{node: reply}` as JSON, the caller's ticket in the headers so its collector matches it.
 */
export function encodePidboxReply(o: {
  node: string
  reply: unknown
  ticket: string
  exchange: string
  routingKey: string
  deliveryTag: string
}): string {
  const body = JSON.stringify({ [o.node]: o.reply })
  return JSON.stringify({
    body: Buffer.from(body, 'utf8').toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { ticket: o.ticket, clock: 1 },
    properties: {
      delivery_mode: 1,
      delivery_info: { exchange: o.exchange, routing_key: o.routingKey },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: o.deliveryTag,
    },
  })
}
