import type { JetStreamManager, MsgRequest, NextMsgRequest, StoredMsg } from '@nats-io/jetstream';

/** `$JS.API.STREAM.MSG.GET` understands next_by_subj since 2.9 (checked on 2.9.10); the client's type only lists seq and last_by_subj. */
export type LeaderGetQuery = MsgRequest | NextMsgRequest;

/**
 * One message, answered by the stream leader. A direct get (allow_direct) may be answered by any replica and miss
 * what was just written, so every read that decides something (read-back after an append, the last event behind a
 * concurrency check, whether a range is empty) goes through here instead.
 */
export const leaderGet = (jsm: JetStreamManager, stream: string, query: LeaderGetQuery): Promise<StoredMsg | null> =>
  jsm.streams.getMessage(stream, query as MsgRequest);
