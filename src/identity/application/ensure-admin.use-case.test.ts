import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { CreateStaff } from './create-staff.use-case.js';
import { EnsureAdmin } from './ensure-admin.use-case.js';

describe('EnsureAdmin', () => {
  it('creates the first admin once; afterwards the account exists', async () => {
    const bed = identityTestBed();
    const ensure = new EnsureAdmin(bed.deps, new CreateStaff(bed.deps));
    expect(await ensure.execute('Admin@Example.com', 'correct horse battery')).toBe('created');
    expect(await ensure.execute('admin@example.com', 'correct horse battery')).toBe('exists');
    const [admin] = [...bed.repos.users.rows.values()];
    expect(bed.repos.users.rows.size).toBe(1);
    expect(admin).toMatchObject({ email: 'admin@example.com', name: 'Administrator', roles: ['admin'] });
  });

  it('leaves an existing account with that email as it is', async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'admin@example.com', name: 'Someone' });
    const ensure = new EnsureAdmin(bed.deps, new CreateStaff(bed.deps));
    expect(await ensure.execute('Admin@Example.com', 'correct horse battery')).toBe('exists');
    expect(bed.repos.users.stored(user.id)).toMatchObject({ name: 'Someone', roles: ['customer'] });
    expect(bed.hasher.hashed).toBe(0); // found by its email first: no password is hashed for nothing
  });
});
