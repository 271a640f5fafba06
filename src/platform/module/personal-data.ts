/**
 * Personal data a context holds about a customer, for `GET /api/v1/me/export` (identity collects the
 * sections of every context that declares one). Framework-free, so application layers may use it.
 */
export interface PersonalDataSource {
  /** the key of this context's section in the export, e.g. `carts`, `orders` */
  readonly section: string;
  exportFor(customerId: string): Promise<unknown[]>;
}
