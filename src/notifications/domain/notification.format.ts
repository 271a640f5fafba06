/**
 * An amount in minor units of `currency` as the locale writes it (`€12.34`, `12,34 €`): the currency's
 * own number of decimals, from Intl.
 */
export const formatMoney = (minor: number, currency: string, locale: string): string => {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
};
