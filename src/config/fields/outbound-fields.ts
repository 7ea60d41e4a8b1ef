import { z } from 'zod'
import { ALLOW_ENTRY } from '../../security/outbound-allow-list.ts'
import { field } from '../define-field.ts'

/** Outbound requests: what private hosts they may reach, and how they are signed. */
export const OUTBOUND_FIELDS = {
  outboundAllowList: field({
    schema: z.array(z.string().regex(ALLOW_ENTRY)),
    default: [],
    env: 'CELERIAC_OUTBOUND_ALLOW',
    kind: 'list',
    help: 'hosts (hooks.internal, *.corp.example) and IPs/CIDRs outbound requests may reach although private',
    defaultText: 'none',
    expected: 'a comma-separated list of host names (*.example allowed) and IPs or CIDRs',
  }),
  webhookSecret: field({
    schema: z.string().min(16).max(512).nullable(),
    default: null,
    env: 'CELERIAC_WEBHOOK_SECRET',
    kind: 'nullable-string',
    help: 'shared secret for the HMAC signature of webhook requests and HTTP tasks',
    defaultText: 'none (unsigned)',
    expected: 'a secret of 16 to 512 characters',
    secret: true,
  }),
}
