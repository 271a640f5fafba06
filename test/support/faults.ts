import type { DataSource } from 'typeorm';

/**
 * A consumer whose handler keeps failing, for dead-letter tests: the fault is real and sits in the
 * database — a trigger that refuses the shipments of one SKU, as a bad migration or constraint would —
 * so fulfilment's handler of OrderConfirmed throws on every attempt for orders of that SKU, and only
 * for those. Returns the fix: it drops the trigger.
 */
export const refuseShipmentsOf = async (db: DataSource, sku: string): Promise<() => Promise<void>> => {
  await db.query(`
    CREATE FUNCTION test_shipment_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.lines @> '[{"sku": "${sku}"}]'::jsonb THEN
        RAISE EXCEPTION 'injected fault: shipments of ${sku} are refused';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_shipment_fault BEFORE INSERT ON fulfilment_shipments
      FOR EACH ROW EXECUTE FUNCTION test_shipment_fault();`);
  return async () => {
    await db.query(
      'DROP TRIGGER test_shipment_fault ON fulfilment_shipments; DROP FUNCTION test_shipment_fault()',
    );
  };
};
