import { describe, expect, it } from 'vitest';
import type { MailData } from '../../application/mail-renderer.port.js';
import { formatMoney } from '../../domain/notification.format.js';
import { NOTIFICATION_TEMPLATES } from '../../domain/notification.lifecycle.js';
import { EtaMailRenderer } from './eta.mail-renderer.js';

const renderer = new EtaMailRenderer();

const data = (locale: string, over: Partial<MailData> = {}): MailData => ({
  name: 'Ada <Countess>',
  orderNumber: 'EU-000042',
  lines: [{ name: 'Blue mug', quantity: 2, total: formatMoney(2500, 'EUR', locale) }],
  total: formatMoney(2990, 'EUR', locale),
  trackingNumber: 'TRK-777',
  amount: formatMoney(1250, 'EUR', locale),
  reason: null,
  returnNumber: 'EU-000042-R1',
  returnLines: [
    { sku: 'MUG-1', name: 'Blue mug', quantity: 2 },
    { sku: 'CUP-9', name: 'CUP-9', quantity: 1 },
  ],
  returnsAddress: 'Shop Returns & Co, 1 Dock Road, 10115 Berlin',
  ...over,
});

describe('EtaMailRenderer', () => {
  it('has every template in English and German, each with subject, text and HTML', () => {
    for (const template of NOTIFICATION_TEMPLATES) {
      for (const locale of ['en', 'de']) expect(renderer.localeOf(template, [locale])).toBe(locale);
    }
  });

  describe.each([
    {
      locale: 'en',
      approved: 'Your return EU-000042-R1 is approved',
      refunded: 'Your return EU-000042-R1 is refunded',
      complete: 'Your return EU-000042-R1 is complete',
      nothingLeft: 'nothing left to refund',
      replacement: 'Your replacement for return EU-000042-R1 is on its way',
      tracking: 'Tracking number',
    },
    {
      locale: 'de',
      approved: 'Ihre Rücksendung EU-000042-R1 ist genehmigt',
      refunded: 'Erstattung zu Ihrer Rücksendung EU-000042-R1',
      complete: 'Ihre Rücksendung EU-000042-R1 ist abgeschlossen',
      nothingLeft: 'nichts mehr zu erstatten',
      replacement: 'Ihr Ersatz zur Rücksendung EU-000042-R1 ist unterwegs',
      tracking: 'Sendungsnummer',
    },
  ])('in $locale', (t) => {
    it('return-approved: the return number, its lines, the returns address — in text and HTML', () => {
      const mail = renderer.render('return-approved', [t.locale], data(t.locale));
      expect(mail.subject).toBe(t.approved);
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain('EU-000042-R1');
        expect(part).toContain('EU-000042');
        expect(part).toContain('2 × Blue mug');
        expect(part).toContain('MUG-1');
        expect(part).toContain('1 × CUP-9');
      }
      expect(mail.text).toContain('Shop Returns & Co, 1 Dock Road, 10115 Berlin');
      expect(mail.html).toContain('Shop Returns &amp; Co, 1 Dock Road, 10115 Berlin');
      expect(mail.html).toContain('Ada &lt;Countess&gt;');
      expect(mail.html).not.toContain('<Countess>');
      expect(mail.html).toContain(`lang="${t.locale}"`);
    });

    it('return-refunded: the return number and the amount as the locale writes it — in text and HTML', () => {
      const mail = renderer.render('return-refunded', [t.locale], data(t.locale));
      expect(mail.subject).toBe(t.refunded);
      const amount = formatMoney(1250, 'EUR', t.locale);
      expect(amount).toBe(t.locale === 'en' ? '€12.50' : '12,50\u00a0€');
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain('EU-000042-R1');
        expect(part).toContain(amount);
        expect(part).not.toContain(t.nothingLeft);
      }
    });

    it('return-refunded without an amount (nothing left to refund) says so and names no sum', () => {
      const mail = renderer.render('return-refunded', [t.locale], data(t.locale, { amount: null }));
      expect(mail.subject).toBe(t.complete);
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain('EU-000042-R1');
        expect(part).toContain(t.nothingLeft);
        expect(part).not.toContain('null');
      }
    });

    it('replacement-shipped: the tracking number and the return it replaces goods of — in text and HTML', () => {
      const mail = renderer.render('replacement-shipped', [t.locale], data(t.locale));
      expect(mail.subject).toBe(t.replacement);
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain('EU-000042-R1');
        expect(part).toContain('TRK-777');
        expect(part).toContain(t.tracking);
      }
      const untracked = renderer.render(
        'replacement-shipped',
        [t.locale],
        data(t.locale, { trackingNumber: null }),
      );
      expect(untracked.text).not.toContain(t.tracking);
      expect(untracked.html).not.toContain(t.tracking);
    });
  });
});
