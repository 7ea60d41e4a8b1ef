import { z } from 'zod'
import type { Config } from '../../config/config-schema.ts'
import { emailFields } from './email-input.ts'
import { EmailAddress } from './header-text.ts'
import { TemplateContext } from './template-name.ts'

/** A recipient: an address, or an address with values merged over the shared context. */
const Recipient = z.union([EmailAddress, z.object({ to: EmailAddress, context: TemplateContext }).strict()])

/** The most recipients one `email.bulk` accepts (config `emailBulkMax`): the API answers 400 above it. */
export function bulkRecipientCap(config: Config): number {
  return config.emailBulkMax
}

export function emailBulkInput(config: Config) {
  const cap = bulkRecipientCap(config)
  return z
    .object({
      recipients: z
        .array(Recipient)
        .min(1)
        .max(cap, `at most ${cap} recipients per email.bulk (config emailBulkMax)`)
        .refine(uniqueAddresses, 'each address may appear only once'),
      ...emailFields(config),
    })
    .strict()
}

function uniqueAddresses(list: z.infer<typeof Recipient>[]): boolean {
  const addresses = list.map((r) => (typeof r === 'string' ? r : r.to).toLowerCase())
  return new Set(addresses).size === addresses.length
}
