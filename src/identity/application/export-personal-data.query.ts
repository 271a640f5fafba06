import type { Address } from '../domain/address.entity.js';
import type { User } from '../domain/user.aggregate.js';
import { activeUser } from './active-user.service.js';
import type { IdentityDeps } from './identity.deps.js';

export interface PersonalDataExport {
  exportedAt: Date;
  profile: User;
  addresses: Address[];
  sections: Record<string, unknown[]>;
}

/** Every piece of personal data we hold about the caller, as one JSON document. */
export class ExportPersonalData {
  constructor(private readonly deps: Pick<IdentityDeps, 'read' | 'clock' | 'personalData'>) {}

  async execute(userId: string): Promise<PersonalDataExport> {
    const { profile, addresses } = await this.deps.read.run(async ({ repos }) => ({
      profile: await activeUser(repos, userId),
      addresses: await repos.addresses.listByUser(userId),
    }));
    const sections: Record<string, unknown[]> = {};
    for (const source of this.deps.personalData()) sections[source.section] = await source.exportFor(userId);
    return { exportedAt: this.deps.clock.now(), profile, addresses, sections };
  }
}
