import type { User } from '../domain/user.aggregate.js';
import { activeUser } from './active-user.service.js';
import type { IdentityDeps } from './identity.deps.js';

/** The caller's own account (404 once erased). */
export class GetProfile {
  constructor(private readonly deps: Pick<IdentityDeps, 'read'>) {}

  execute(userId: string): Promise<User> {
    return this.deps.read.run(({ repos }) => activeUser(repos, userId));
  }
}
