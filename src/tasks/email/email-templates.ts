import digestHtml from '../../../templates/emails/digest.html' with { type: 'text' }
import digestSubject from '../../../templates/emails/digest.subject' with { type: 'text' }
import digestText from '../../../templates/emails/digest.txt' with { type: 'text' }
import notificationHtml from '../../../templates/emails/notification.html' with { type: 'text' }
import notificationSubject from '../../../templates/emails/notification.subject' with { type: 'text' }
import notificationText from '../../../templates/emails/notification.txt' with { type: 'text' }
import welcomeAdminHtml from '../../../templates/emails/welcome_admin.html' with { type: 'text' }
import welcomeAdminSubject from '../../../templates/emails/welcome_admin.subject' with { type: 'text' }
import welcomeAdminText from '../../../templates/emails/welcome_admin.txt' with { type: 'text' }
import welcomeUserHtml from '../../../templates/emails/welcome_user.html' with { type: 'text' }
import welcomeUserSubject from '../../../templates/emails/welcome_user.subject' with { type: 'text' }
import welcomeUserText from '../../../templates/emails/welcome_user.txt' with { type: 'text' }

/** The source of one email template: both parts, and a default subject line. */
export interface EmailTemplateSource {
  html: string
  text: string
  subject: string | null
}

// bun-types declare `*.html` as an HTML bundle; imported `with { type: 'text' }` it is a string.
const text = (imported: unknown): string => imported as string

/**
 * The manifest of embedded templates: imported as text, so `bun build --compile` puts them in the
 * binary and nothing is read from disk at run time. Add a template here and in templates/emails/.
 */
export const EMBEDDED_EMAIL_TEMPLATES: Readonly<Record<string, EmailTemplateSource>> = Object.freeze({
  welcome_user: { html: text(welcomeUserHtml), text: welcomeUserText, subject: welcomeUserSubject },
  welcome_admin: { html: text(welcomeAdminHtml), text: welcomeAdminText, subject: welcomeAdminSubject },
  notification: { html: text(notificationHtml), text: notificationText, subject: notificationSubject },
  digest: { html: text(digestHtml), text: digestText, subject: digestSubject },
})
