import { z } from 'zod'

/** E.164: a plus, a country code that does not start with 0, then up to 15 digits in all. */
export const PhoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "an E.164 phone number like '+15551234567' (a plus, country code, digits only)")

/** One text: providers split long texts into parts; 1,600 characters is Twilio's own limit. */
export const SmsText = z.string().min(1).max(1_600)

/** Most recipients one `sms.bulk` takes: past it the API answers 400; split the list. */
export const SMS_BULK_MAX = 1_000

export const SmsSendInput = z.object({ to: PhoneNumber, message: SmsText }).strict()
export type SmsSendInput = z.infer<typeof SmsSendInput>

export const SmsBulkInput = z
  .object({
    recipients: z
      .array(PhoneNumber)
      .min(1)
      .max(SMS_BULK_MAX, `at most ${SMS_BULK_MAX} recipients per sms.bulk`)
      .refine((list) => new Set(list).size === list.length, 'each number may appear only once'),
    message: SmsText,
  })
  .strict()
