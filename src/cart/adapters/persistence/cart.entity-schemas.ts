import { EntitySchema } from 'typeorm';

/** Row shapes of the cart tables; the repository maps them to the Cart aggregate. */
export interface CartRow {
  id: string;
  customerId: string | null;
  email: string | null;
  currency: string;
  promotionCode: string | null;
  shippingAddress: Record<string, unknown> | null;
  shippingOption: string | null;
  status: string;
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  version: number;
}

export interface CartLineRow {
  cartId: string;
  sku: string;
  quantity: number;
  addedAt: Date;
}

const ts = { type: 'timestamptz' as const };

export const CartSchema = new EntitySchema<CartRow>({
  name: 'CartCart',
  tableName: 'cart_carts',
  columns: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid', name: 'customer_id', nullable: true },
    email: { type: 'text', nullable: true },
    currency: { type: 'char', length: 3 },
    promotionCode: { type: 'text', name: 'promotion_code', nullable: true },
    shippingAddress: { type: 'jsonb', name: 'shipping_address', nullable: true },
    shippingOption: { type: 'text', name: 'shipping_option', nullable: true },
    status: { type: 'text' },
    orderId: { type: 'uuid', name: 'order_id', nullable: true },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    expiresAt: { ...ts, name: 'expires_at' },
    version: { type: 'int' },
  },
});

export const CartLineSchema = new EntitySchema<CartLineRow>({
  name: 'CartLine',
  tableName: 'cart_lines',
  columns: {
    cartId: { type: 'uuid', primary: true, name: 'cart_id' },
    sku: { type: 'text', primary: true },
    quantity: { type: 'int' },
    addedAt: { ...ts, name: 'added_at' },
  },
});

export const CART_ENTITIES = [CartSchema, CartLineSchema];
