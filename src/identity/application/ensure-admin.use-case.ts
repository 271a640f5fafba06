import { EmailTakenError } from '../domain/identity.errors.js';
import type { CreateStaff } from './create-staff.use-case.js';
import type { IdentityDeps } from './identity.deps.js';

/** The first admin, from ADMIN_EMAIL / ADMIN_PASSWORD at start. Does nothing when the account exists. */
export class EnsureAdmin {
  constructor(
    private readonly deps: Pick<IdentityDeps, 'read'>,
    private readonly createStaff: CreateStaff,
  ) {}

  async execute(email: string, password: string): Promise<'created' | 'exists'> {
    const existing = await this.deps.read.run(({ repos }) =>
      repos.users.findByEmail(email.trim().toLowerCase()),
    );
    if (existing) return 'exists';
    try {
      await this.createStaff.execute({ email, password, name: 'Administrator', roles: ['admin'] });
      return 'created';
    } catch (err) {
      if (err instanceof EmailTakenError) return 'exists';
      throw err;
    }
  }
}
