import { newId } from '../../platform/ids.js';
import { normalizeEmail } from '../domain/email.value-object.js';
import { EmailTakenError } from '../domain/identity.errors.js';
import { assertPasswordPolicy } from '../domain/password.policy.js';
import { User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';
import { type Session, startSession } from './session.service.js';

/** Registers a customer in this region and starts a session. CustomerRegistered goes out through the outbox. */
export class RegisterCustomer {
  constructor(private readonly deps: IdentityDeps) {}

  async execute(input: { email: string; password: string; name: string }): Promise<{
    user: User;
    session: Session;
  }> {
    assertPasswordPolicy(input.password);
    const email = normalizeEmail(input.email);
    const passwordHash = await this.deps.hasher.hash(input.password);
    return this.deps.uow.run(async ({ repos, track }) => {
      const user = track(
        User.registerCustomer({
          id: newId(),
          email,
          name: input.name,
          passwordHash,
          region: this.deps.region,
          now: this.deps.clock.now(),
        }),
      );
      if (!(await repos.users.insert(user))) throw new EmailTakenError();
      const session = await startSession(this.deps, repos, user);
      return { user, session };
    });
  }
}
