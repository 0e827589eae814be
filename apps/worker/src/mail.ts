import { email, type Db } from '@costwise/db'
import nodemailer, { type Transporter } from 'nodemailer'

export interface MailConfig {
  smtpUrl?: string | undefined
  from: string
}

export interface Mailer {
  transport: 'smtp' | 'outbox'
  /** Sends (or files in the outbox) every pending message whose dedupe key starts with `prefix`. */
  deliverPending(db: Db, prefix: string): Promise<{ delivered: number; failed: number }>
  close(): void
}

/**
 * nodemailer over SMTP when SMTP_URL is set; otherwise every message goes to the outbox (shown in the app),
 * so a newcomer reads alert and report emails without a mail server. Every attempt is logged.
 */
export function createMailer(config: MailConfig): Mailer {
  const transporter: Transporter | null = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null
  return {
    transport: transporter ? 'smtp' : 'outbox',
    async deliverPending(db, prefix) {
      let delivered = 0
      let failed = 0
      let lastError: unknown = null
      for (const message of await email.pendingEmails(db, prefix)) {
        if (!transporter) {
          await email.recordDelivery(db, { messageId: message.id, ok: true, transport: 'outbox' })
          delivered++
          continue
        }
        try {
          await transporter.sendMail({
            from: config.from,
            to: message.to_address,
            subject: message.subject,
            text: message.text_body,
            html: message.html_body ?? undefined,
            attachments: message.attachments
              .filter((a) => a.base64)
              .map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: Buffer.from(a.base64!, 'base64'),
              })),
            // A stable Message-ID: if a crash after the server accepted a message makes us send it again, mail
            // systems recognise the copy (the delivery log is written right after each accepted send).
            messageId: `<${message.id}@costwise.local>`,
          })
          await email.recordDelivery(db, { messageId: message.id, ok: true, transport: 'smtp' })
          delivered++
        } catch (error) {
          lastError = error
          await email.recordDelivery(db, {
            messageId: message.id,
            ok: false,
            transport: 'smtp',
            error: error instanceof Error ? error.message : String(error),
          })
          failed++
        }
      }
      // A failure fails the job, so graphile-worker retries it with backoff; sent messages aren't resent.
      if (failed > 0)
        throw new Error(
          `${failed} email(s) failed: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
        )
      return { delivered, failed }
    },
    close() {
      transporter?.close()
    },
  }
}
