/**
 * The demo shop that `npm start` seeds in embedded mode and `npm run seed` loads anywhere: a catalog
 * of 12 categories and 259 products (a sixth of them with size/colour variants) with prices for every
 * shipped region preset. Deterministic: the same data on every machine, so seeding is idempotent.
 */

export interface DemoCategory {
  slug: string;
  name: Record<string, string>;
  parent?: string;
}

export interface DemoProduct {
  slug: string;
  name: Record<string, string>;
  description: Record<string, string>;
  category: string;
  attributes: Record<string, string | number | boolean>;
  taxClass: string;
  variants: { sku: string; options: Record<string, string> }[];
  /** price per region preset code, integer minor units of that region's currency (every variant) */
  prices: Record<string, number>;
}

export const DEMO_CATEGORIES: DemoCategory[] = [
  { slug: 'electronics', name: { en: 'Electronics', de: 'Elektronik', fr: 'Électronique' } },
  { slug: 'audio', name: { en: 'Audio', de: 'Audio', fr: 'Audio' }, parent: 'electronics' },
  { slug: 'computers', name: { en: 'Computers', de: 'Computer', fr: 'Ordinateurs' }, parent: 'electronics' },
  { slug: 'home', name: { en: 'Home', de: 'Zuhause', fr: 'Maison' } },
  { slug: 'kitchen', name: { en: 'Kitchen', de: 'Küche', fr: 'Cuisine' }, parent: 'home' },
  { slug: 'furniture', name: { en: 'Furniture', de: 'Möbel', fr: 'Meubles' }, parent: 'home' },
  { slug: 'fashion', name: { en: 'Fashion', de: 'Mode', fr: 'Mode' } },
  { slug: 'shoes', name: { en: 'Shoes', de: 'Schuhe', fr: 'Chaussures' }, parent: 'fashion' },
  { slug: 'sports', name: { en: 'Sports', de: 'Sport', fr: 'Sport' } },
  { slug: 'books', name: { en: 'Books', de: 'Bücher', fr: 'Livres' } },
  { slug: 'toys', name: { en: 'Toys', de: 'Spielzeug', fr: 'Jouets' } },
  { slug: 'beauty', name: { en: 'Beauty', de: 'Schönheit', fr: 'Beauté' } },
];

interface Family {
  category: string;
  nouns: [en: string, de: string, fr: string][];
  material: string[];
  taxClass: string;
  /** variant axes: sizes and/or colours; empty = one variant */
  sizes?: string[];
  colours?: string[];
}

const FAMILIES: Family[] = [
  {
    category: 'electronics',
    nouns: [
      ['Smartwatch', 'Smartwatch', 'Montre connectée'],
      ['Camera', 'Kamera', 'Appareil photo'],
    ],
    material: ['titanium', 'aluminium'],
    taxClass: 'standard',
    colours: ['silver', 'black'],
  },
  {
    category: 'home',
    nouns: [
      ['Floor Lamp', 'Stehlampe', 'Lampadaire'],
      ['Wool Rug', 'Wollteppich', 'Tapis en laine'],
    ],
    material: ['brass', 'wool', 'linen'],
    taxClass: 'standard',
  },
  {
    category: 'audio',
    nouns: [
      ['Headphones', 'Kopfhörer', 'Casque'],
      ['Earbuds', 'Ohrhörer', 'Écouteurs'],
      ['Speaker', 'Lautsprecher', 'Enceinte'],
      ['Turntable', 'Plattenspieler', 'Platine'],
    ],
    material: ['aluminium', 'plastic', 'wood'],
    taxClass: 'standard',
    colours: ['black', 'white'],
  },
  {
    category: 'computers',
    nouns: [
      ['Laptop', 'Laptop', 'Ordinateur portable'],
      ['Keyboard', 'Tastatur', 'Clavier'],
      ['Mouse', 'Maus', 'Souris'],
      ['Monitor', 'Monitor', 'Écran'],
    ],
    material: ['aluminium', 'plastic'],
    taxClass: 'standard',
  },
  {
    category: 'kitchen',
    nouns: [
      ['Kettle', 'Wasserkocher', 'Bouilloire'],
      ['Frying Pan', 'Bratpfanne', 'Poêle'],
      ['Knife Set', 'Messerset', 'Set de couteaux'],
      ['Coffee Grinder', 'Kaffeemühle', 'Moulin à café'],
    ],
    material: ['steel', 'cast iron', 'ceramic'],
    taxClass: 'standard',
  },
  {
    category: 'furniture',
    nouns: [
      ['Desk Chair', 'Bürostuhl', 'Chaise de bureau'],
      ['Bookshelf', 'Bücherregal', 'Étagère'],
      ['Side Table', 'Beistelltisch', "Table d'appoint"],
    ],
    material: ['oak', 'walnut', 'steel'],
    taxClass: 'standard',
    colours: ['natural', 'black'],
  },
  {
    category: 'fashion',
    nouns: [
      ['T-Shirt', 'T-Shirt', 'T-shirt'],
      ['Hoodie', 'Kapuzenpullover', 'Sweat à capuche'],
      ['Rain Jacket', 'Regenjacke', 'Veste de pluie'],
    ],
    material: ['cotton', 'merino', 'recycled polyester'],
    taxClass: 'standard',
    sizes: ['S', 'M', 'L', 'XL'],
    colours: ['navy', 'grey'],
  },
  {
    category: 'shoes',
    nouns: [
      ['Running Shoes', 'Laufschuhe', 'Chaussures de course'],
      ['Sneakers', 'Sneaker', 'Baskets'],
      ['Hiking Boots', 'Wanderschuhe', 'Chaussures de randonnée'],
    ],
    material: ['leather', 'mesh', 'suede'],
    taxClass: 'standard',
    sizes: ['40', '41', '42', '43', '44'],
  },
  {
    category: 'sports',
    nouns: [
      ['Yoga Mat', 'Yogamatte', 'Tapis de yoga'],
      ['Water Bottle', 'Trinkflasche', "Bouteille d'eau"],
      ['Dumbbell', 'Hantel', 'Haltère'],
    ],
    material: ['rubber', 'steel', 'cork'],
    taxClass: 'standard',
  },
  {
    category: 'books',
    nouns: [
      ['Cookbook', 'Kochbuch', 'Livre de cuisine'],
      ['Novel', 'Roman', 'Roman'],
      ['Field Guide', 'Naturführer', 'Guide de terrain'],
    ],
    material: ['hardcover', 'paperback'],
    taxClass: 'reduced',
  },
  {
    category: 'toys',
    nouns: [
      ['Building Blocks', 'Bausteine', 'Blocs de construction'],
      ['Puzzle', 'Puzzle', 'Puzzle'],
      ['Kite', 'Drachen', 'Cerf-volant'],
    ],
    material: ['wood', 'cardboard', 'nylon'],
    taxClass: 'standard',
  },
  {
    category: 'beauty',
    nouns: [
      ['Face Cream', 'Gesichtscreme', 'Crème visage'],
      ['Shampoo', 'Shampoo', 'Shampooing'],
      ['Lip Balm', 'Lippenbalsam', 'Baume à lèvres'],
    ],
    material: ['organic', 'vegan'],
    taxClass: 'standard',
  },
];

const BRANDS = ['Aurora', 'Nordwind', 'Kestrel', 'Lumen', 'Bricklane', 'Solstice', 'Tamarack', 'Verdant'];
const ADJECTIVES: [en: string, de: string, fr: string][] = [
  ['Classic', 'Klassisch', 'Classique'],
  ['Pro', 'Pro', 'Pro'],
  ['Compact', 'Kompakt', 'Compact'],
  ['Everyday', 'Alltags', 'Quotidien'],
  ['Studio', 'Studio', 'Studio'],
  ['Trail', 'Trail', 'Trail'],
];

/**
 * Price tiers: the same product sits in one tier in every region, with amounts chosen per currency
 * (no conversion arithmetic: pricing is the only place money is computed).
 */
const PRICE_TIERS: Record<string, number>[] = [
  { eu: 999, us: 1099, apac: 1490 },
  { eu: 1499, us: 1599, apac: 2190 },
  { eu: 2499, us: 2699, apac: 3690 },
  { eu: 3999, us: 4299, apac: 5890 },
  { eu: 5999, us: 6499, apac: 8890 },
  { eu: 8999, us: 9499, apac: 12990 },
  { eu: 12999, us: 13999, apac: 18990 },
  { eu: 24999, us: 26999, apac: 36990 },
];

const slugify = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const buildProducts = (): DemoProduct[] => {
  const products: DemoProduct[] = [];
  let n = 0;
  for (const family of FAMILIES) {
    for (const [en, de, fr] of family.nouns) {
      for (let i = 0; i < 7; i++) {
        const brand = BRANDS[(n + i) % BRANDS.length]!;
        const adjective = ADJECTIVES[(n * 7 + i) % ADJECTIVES.length]!;
        const material = family.material[i % family.material.length]!;
        const nameEn = `${brand} ${adjective[0]} ${en}`;
        const slug = slugify(nameEn);
        const base = `${slugify(brand).slice(0, 3)}-${slugify(en).slice(0, 6)}-${i + 1}`.toUpperCase();
        const withVariants = i % 3 === 0 && (family.sizes || family.colours);
        const sizes = withVariants ? (family.sizes ?? [undefined]) : [undefined];
        const colours = withVariants ? (family.colours ?? [undefined]) : [undefined];
        const variants: DemoProduct['variants'] = [];
        for (const size of sizes) {
          for (const colour of colours) {
            const options: Record<string, string> = {};
            if (size) options.size = size;
            if (colour) options.colour = colour;
            const suffix = [size, colour?.slice(0, 3)].filter(Boolean).join('-').toUpperCase();
            variants.push({ sku: suffix ? `${base}-${suffix}` : base, options });
          }
        }
        products.push({
          slug,
          name: { en: nameEn, de: `${brand} ${adjective[1]} ${de}`, fr: `${fr} ${adjective[2]} ${brand}` },
          description: {
            en: `The ${nameEn} is made of ${material}: a ${adjective[0].toLowerCase()} ${en.toLowerCase()} by ${brand}, built to last.`,
            de: `${brand} ${de} aus ${material}.`,
            fr: `${fr} ${brand} en ${material}.`,
          },
          category: family.category,
          attributes: {
            brand,
            material,
            featured: (n + i) % 11 === 0,
            ...(!withVariants && family.colours
              ? { colour: family.colours[i % family.colours.length]! }
              : {}),
          },
          taxClass: family.taxClass,
          variants,
          prices: PRICE_TIERS[(n * 5 + i * 3) % PRICE_TIERS.length]!,
        });
      }
      n++;
    }
  }
  return products;
};

export const DEMO_PRODUCTS: DemoProduct[] = buildProducts();
