import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '#contracts';
import { weightsAuditInputs } from '#domain';
import { type EventReader } from '#eventing';
import { EVENT_READER } from '#eventing/nest';
import { HistoryReads } from '../events/history-reads.js';
import type { AuditInputsPageDto, AuditPoisonDto } from './audit.dto.js';
import type { AuditInputsQuery } from './audit.query.js';

/** The raw inputs of a weights computation, served from the log itself (not the read models), window by window. */
@Injectable()
export class AuditService {
  constructor(
    @Inject(EVENT_READER) private readonly reader: EventReader,
    private readonly historyReads: HistoryReads,
  ) {}

  /** A window of at most `limit` sequences from `fromSequence`, keeping the audit's input types, under the history-read caps. */
  weightsInputs({ fromSequence, toSequence, limit }: AuditInputsQuery, client: string): Promise<AuditInputsPageDto> {
    return this.historyReads.run(client, async () => {
      const lastSequence = await this.reader.lastSequence();
      const upTo = Math.min(toSequence ?? lastSequence, lastSequence);
      const windowEnd = Math.min(fromSequence + limit - 1, upTo);
      const items: RecordedEvent[] = [];
      const poison: AuditPoisonDto[] = [];
      if (windowEnd >= fromSequence) {
        for await (const item of this.reader.read({ fromSequence, toSequence: windowEnd, types: weightsAuditInputs })) {
          if (item.ok) items.push(item.event);
          else poison.push({ streamSequence: item.streamSequence, subject: item.subject, recordedAt: item.recordedAt, reason: item.error.message });
        }
      }
      const nextSequence = Math.max(fromSequence, windowEnd + 1);
      return { items: items as unknown as AuditInputsPageDto['items'], poison, nextSequence, toSequence: upTo, lastSequence, complete: nextSequence > upTo };
    });
  }
}
