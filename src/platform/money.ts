/** Money is an integer number of minor units with its ISO 4217 currency. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export const money = (amount: number, currency: string): Money => {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`Money amount must be an integer number of minor units, got ${amount}`);
  }
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new RangeError(`Currency must be an ISO 4217 code, got ${currency}`);
  }
  return { amount, currency };
};
