/**
 * A region is data, not code. Each process serves exactly one region; adding a region means adding
 * one preset here and one deploy overlay under deploy/overlays.
 */
export interface ShippingOptionPreset {
  code: string;
  name: string;
  /** integer minor units of the region currency */
  price: number;
}

/** Tax per region: prices include tax or get it added; a rate per tax class in basis points (2000 = 20 %). */
export interface TaxRules {
  mode: 'inclusive' | 'exclusive';
  rates: Readonly<Record<string, number>>;
  /** the tax class shipping is taxed at */
  shippingTaxClass: string;
}

export interface WarehousePreset {
  code: string;
  name: string;
}

export interface RegionPreset {
  code: string;
  name: string;
  currency: string;
  /** first locale is the default (fallback for localized content) */
  locales: string[];
  pricesIncludeTax: boolean;
  tax: TaxRules;
  shippingOptions: ShippingOptionPreset[];
  warehouses: WarehousePreset[];
}

export const REGION_PRESETS: Readonly<Record<string, RegionPreset>> = {
  eu: {
    code: 'eu',
    name: 'European Union',
    currency: 'EUR',
    locales: ['en', 'de', 'fr'],
    pricesIncludeTax: true,
    tax: {
      mode: 'inclusive',
      rates: { standard: 2000, reduced: 700, zero: 0 },
      shippingTaxClass: 'standard',
    },
    shippingOptions: [
      { code: 'standard', name: 'Standard (3-5 days)', price: 495 },
      { code: 'express', name: 'Express (1-2 days)', price: 1295 },
    ],
    warehouses: [
      { code: 'FRA', name: 'Frankfurt' },
      { code: 'DUB', name: 'Dublin' },
    ],
  },
  us: {
    code: 'us',
    name: 'United States',
    currency: 'USD',
    locales: ['en'],
    pricesIncludeTax: false,
    tax: { mode: 'exclusive', rates: { standard: 725, reduced: 225, zero: 0 }, shippingTaxClass: 'standard' },
    shippingOptions: [
      { code: 'ground', name: 'Ground (5-7 days)', price: 599 },
      { code: 'two_day', name: 'Two-day', price: 1499 },
    ],
    warehouses: [
      { code: 'IAD', name: 'Ashburn' },
      { code: 'ORD', name: 'Chicago' },
    ],
  },
  apac: {
    code: 'apac',
    name: 'Asia Pacific',
    currency: 'SGD',
    locales: ['en', 'zh'],
    pricesIncludeTax: true,
    tax: { mode: 'inclusive', rates: { standard: 900, reduced: 900, zero: 0 }, shippingTaxClass: 'standard' },
    shippingOptions: [
      { code: 'standard', name: 'Standard (4-6 days)', price: 690 },
      { code: 'express', name: 'Express (1-3 days)', price: 1590 },
    ],
    warehouses: [
      { code: 'SIN', name: 'Singapore' },
      { code: 'SYD', name: 'Sydney' },
    ],
  },
};

export const REGION_CODES = Object.keys(REGION_PRESETS) as [string, ...string[]];

export const regionPreset = (code: string): RegionPreset => {
  const preset = REGION_PRESETS[code];
  if (!preset) throw new Error(`Unknown region ${code}`);
  return preset;
};
