import { NotFoundError } from '../../platform/errors.js';
import type { User } from '../domain/user.aggregate.js';
import type { IdentityRepos } from './identity.repositories.js';

/** The account, if it is active (not erased); 404 otherwise. `forUpdate` locks its row for the transaction. */
export const activeUser = async (repos: IdentityRepos, userId: string, forUpdate = false): Promise<User> => {
  const user = forUpdate ? await repos.users.findByIdForUpdate(userId) : await repos.users.findById(userId);
  if (!user?.isActive) throw new NotFoundError('Account');
  return user;
};
