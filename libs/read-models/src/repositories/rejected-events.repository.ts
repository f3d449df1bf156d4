import type { DataSource } from 'typeorm';
import { RejectedEventEntity } from '../entities/index.js';
import { findPage, type Page, type PageRequest } from './page.js';

/** The events the projector passed without applying them, and why. */
export class RejectedEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get rows() {
    return this.dataSource.getRepository(RejectedEventEntity);
  }

  /** Oldest first. */
  list(page: PageRequest): Promise<Page<RejectedEventEntity>> {
    return findPage(this.rows, {}, { streamSequence: 'ASC' }, page);
  }

  /** The rejection of the event at this sequence; null when it was applied (or is not projected yet). */
  at(streamSequence: number): Promise<RejectedEventEntity | null> {
    return this.rows.findOneBy({ streamSequence });
  }
}
