import { Transform } from 'class-transformer';

/** Query strings carry text: 'true'/'false' become booleans; anything else stays as is for @IsBoolean to refuse. */
export const ToBoolean = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
