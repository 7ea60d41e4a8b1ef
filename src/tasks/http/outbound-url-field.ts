import { z } from 'zod'
import { checkOutboundUrl } from '../../security/check-outbound-url.ts'
import type { OutboundAllowList } from '../../security/outbound-allow-list.ts'
import { OutboundUrlError } from '../../security/outbound-url-error.ts'

/**
 * A URL field checked at enqueue without DNS (scheme, literal addresses in every spelling, local
 * names), so an API caller gets a 400 naming the field. The worker checks again, DNS included.
 */
export function outboundUrlField(allow: OutboundAllowList) {
  return z
    .string()
    .max(2048)
    .superRefine((text, ctx) => {
      try {
        checkOutboundUrl(text, allow)
      } catch (err) {
        if (!(err instanceof OutboundUrlError)) throw err
        ctx.addIssue({ code: 'custom', message: err.message })
      }
    })
}
