import type { NotificationTemplate } from '../domain/notification.lifecycle.js';

export interface RenderedContent {
  subject: string;
  text: string;
  html: string;
}

/** What a template is rendered with: the recipient's name, the order and the event's facts, formatted. */
export interface MailData {
  name: string | null;
  orderNumber: string;
  lines: { name: string; quantity: number; total: string }[];
  total: string;
  trackingNumber: string | null;
  amount: string | null;
  reason: string | null;
  /** the return the mail is about (return-approved, return-refunded) or replaces goods of (replacement-shipped) */
  returnNumber: string | null;
  /** the units of an approved return, named as on the order (the SKU when the order has no such line) */
  returnLines: { sku: string; name: string; quantity: number }[];
  /** where returned parcels go (`RETURNS_ADDRESS`) */
  returnsAddress: string;
}

/**
 * Renders an email from templates kept as files, per locale: the first of `locales` that has the
 * template (the notification's locale, then the region's, then English).
 */
export interface MailRenderer {
  render(template: NotificationTemplate, locales: readonly string[], data: MailData): RenderedContent;
}
