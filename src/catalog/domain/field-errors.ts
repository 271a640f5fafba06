import type { FieldError } from '../../platform/errors.js';

/** Collects every problem of an input before failing, so that a caller hears about all of them at once. */
export class FieldErrors {
  private readonly list: FieldError[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  get all(): FieldError[] {
    return [...this.list];
  }
}
