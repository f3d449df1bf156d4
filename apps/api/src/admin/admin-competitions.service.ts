import { Inject, Injectable } from '@nestjs/common';
import { competitionDecider, type CompetitionCommand } from '#domain';
import { handleCommand, type EventStore } from '#eventing';
import { EVENT_STORE } from '#eventing/nest';
import type { AdminIdentity } from '../auth/admin-keys.service.js';
import { commandAccepted } from './command-accepted.js';
import type { CommandAcceptedDto, CreateCompetitionBody, DeactivateCompetitionBody, UpdateCompetitionBody } from './admin-competitions.dto.js';

/** Admin commands on competitions: decided by the domain, appended to the event store; the projector does the rest. */
@Injectable()
export class AdminCompetitionsService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  private async run(competitionId: string, command: CompetitionCommand): Promise<CommandAcceptedDto> {
    return commandAccepted((await handleCommand(this.store, competitionDecider, competitionId, command)).events);
  }

  create({ id, ...settings }: CreateCompetitionBody, admin: AdminIdentity) {
    return this.run(id, { type: 'CreateCompetition', competitionId: id, settings, by: admin.name });
  }

  update(id: string, changes: UpdateCompetitionBody, admin: AdminIdentity) {
    return this.run(id, { type: 'UpdateCompetition', changes: { ...changes }, by: admin.name });
  }

  activate(id: string, admin: AdminIdentity) {
    return this.run(id, { type: 'ActivateCompetition', by: admin.name });
  }

  deactivate(id: string, body: DeactivateCompetitionBody, admin: AdminIdentity) {
    return this.run(id, { type: 'DeactivateCompetition', reason: body.reason ?? '', by: admin.name });
  }
}
