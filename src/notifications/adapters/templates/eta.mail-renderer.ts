import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { MailData, MailRenderer, RenderedContent } from '../../application/mail-renderer.port.js';
import type { NotificationTemplate } from '../../domain/notification.lifecycle.js';

/** The templates beside this file: `<locale>/<template>.{subject,text,html}.eta`. */
export const TEMPLATES_DIR = fileURLToPath(new URL('.', import.meta.url));

const PARTS = ['subject', 'text', 'html'] as const;

/**
 * The `MailRenderer` over eta templates kept as files, one folder per locale: the first locale of the
 * list whose folder has the template renders all three parts. HTML interpolations are escaped; the
 * subject and the text are plain text (not escaped). A template missing in every locale is a
 * programming error (throws).
 */
export class EtaMailRenderer implements MailRenderer {
  private readonly html: Eta;
  private readonly plain: Eta;

  constructor(private readonly dir: string = TEMPLATES_DIR) {
    this.html = new Eta({ views: dir, autoEscape: true, cache: true });
    this.plain = new Eta({ views: dir, autoEscape: false, cache: true });
  }

  /** The locales that have this template, in the order asked. */
  localeOf(template: NotificationTemplate, locales: readonly string[]): string {
    const found = locales.find((l) =>
      PARTS.every((p) => existsSync(path.join(this.dir, l, `${template}.${p}.eta`))),
    );
    if (!found) throw new Error(`no template ${template} in ${locales.join(', ')} under ${this.dir}`);
    return found;
  }

  render(template: NotificationTemplate, locales: readonly string[], data: MailData): RenderedContent {
    const locale = this.localeOf(template, locales);
    const name = (part: string) => `./${locale}/${template}.${part}.eta`;
    return {
      subject: this.plain.render(name('subject'), data).replace(/\s+/g, ' ').trim(),
      text: this.plain.render(name('text'), data),
      html: this.html.render(name('html'), data),
    };
  }
}
