import { NotFoundError } from '../../platform/errors.js';

/** 404: no such notification. */
export class NotificationNotFoundError extends NotFoundError {
  constructor() {
    super('Notification');
  }
}
