import { stateMachine } from '../../platform/domain/state-machine.js';
import { AccountErasedError } from './identity.errors.js';

/** The statuses of an account. */
export const USER_STATUSES = ['active', 'erased'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** An active account can be erased (GDPR); an erased one stays erased (its id kept for anonymised orders). */
export const USER_TRANSITIONS = {
  active: ['erased'],
  erased: [],
} as const satisfies { readonly [S in UserStatus]: readonly UserStatus[] };

/** Every change of an erased account is refused with AccountErasedError, as before the table. */
export const userStates = stateMachine<UserStatus>('User', USER_TRANSITIONS, () => new AccountErasedError());
