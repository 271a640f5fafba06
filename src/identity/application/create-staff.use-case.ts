import { newId } from '../../platform/ids.js';
import { EmailTakenError } from '../domain/identity.errors.js';
import { assertPasswordPolicy } from '../domain/password.policy.js';
import { type Role, User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';

/** Admins create staff accounts with roles. */
export class CreateStaff {
  constructor(private readonly deps: Pick<IdentityDeps, 'uow' | 'hasher' | 'clock' | 'region'>) {}

  async execute(input: { email: string; password: string; name: string; roles: Role[] }): Promise<User> {
    assertPasswordPolicy(input.password);
    const passwordHash = await this.deps.hasher.hash(input.password);
    return this.deps.uow.run(async ({ repos, track }) => {
      const user = track(
        User.createStaff({
          id: newId(),
          ...input,
          passwordHash,
          region: this.deps.region,
          now: this.deps.clock.now(),
        }),
      );
      if (!(await repos.users.insert(user))) throw new EmailTakenError();
      return user;
    });
  }
}
