/**
 * Human-readable order numbers, unique per region: the region code upper-cased, a dash, and the
 * value of the region database's order-number sequence zero-padded to at least six digits
 * (`EU-000123`, `US-1234567`). Gaps are possible (a rolled-back checkout still used its value);
 * duplicates are not.
 */
export const ORDER_NUMBER_DIGITS = 6;
export const ORDER_NUMBER_PATTERN = /^[A-Z]{2,8}-[0-9]{6,}$/;

const REGION = /^[A-Za-z]{2,8}$/;

export const formatOrderNumber = (regionCode: string, sequenceValue: number): string => {
  if (!REGION.test(regionCode)) throw new RangeError(`not a region code: ${regionCode}`);
  if (!Number.isSafeInteger(sequenceValue) || sequenceValue < 1) {
    throw new RangeError(`an order number needs a positive integer, got ${sequenceValue}`);
  }
  return `${regionCode.toUpperCase()}-${String(sequenceValue).padStart(ORDER_NUMBER_DIGITS, '0')}`;
};
