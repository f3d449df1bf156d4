import { EventPattern } from '@nestjs/microservices';
import type { EventType } from '#contracts';

/**
 * `@EventPattern(types)` checked against the catalogue; one method may handle several types (`@OnEvent('A', 'B')`).
 * Plain `@EventPattern('X')` picks Nest's typed overload, which refuses a handler whose second parameter is a
 * JetStreamContext (TS1241); this one does not.
 */
export const OnEvent = (...types: [EventType, ...EventType[]]): MethodDecorator => EventPattern<string[]>(types);
