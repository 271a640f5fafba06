import type { CatalogDeps } from './catalog.deps.js';

/** How many products exist, whatever their status (for the demo seeder). */
export class CountProducts {
  constructor(private readonly deps: Pick<CatalogDeps, 'read'>) {}

  execute(): Promise<number> {
    return this.deps.read.run(({ repos }) => repos.products.count());
  }
}
