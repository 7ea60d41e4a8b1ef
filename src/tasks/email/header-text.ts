import { z } from 'zod'

/** Text that ends up in a mail header: CR or LF there would let a caller add headers (injection). */
export const HeaderText = z
  .string()
  .max(998)
  .refine((text) => !/[\r\n]/.test(text), 'must not contain CR or LF (header injection)')

/** One address: the bare form only (`a@b.example`), so display names cannot smuggle header text. */
export const EmailAddress = z.email({ message: 'must be an email address like name@example.com' }).max(254)
