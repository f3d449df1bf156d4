import { EventPattern } from '@nestjs/microservices';
import type { EventType } from '#contracts';

/**
 * `@EventPattern(type)` checked against the catalogue. Plain `@EventPattern('X')` picks Nest's typed overload,
 * which refuses a handler whose second parameter is a JetStreamContext (TS1241); this one does not.
 */
export const OnEvent = (type: EventType): MethodDecorator => EventPattern<string>(type);
