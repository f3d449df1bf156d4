import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const sortOrders = ['desc', 'asc'] as const;
export type SortOrder = (typeof sortOrders)[number];

/** The `order` query field of a sortable list: descending unless asked otherwise. */
export const OrderField = (): PropertyDecorator => applyDecorators(ApiPropertyOptional({ enum: sortOrders, default: 'desc' }), IsOptional(), IsIn(sortOrders));

export const sqlDirection = (order: SortOrder): 'ASC' | 'DESC' => (order === 'asc' ? 'ASC' : 'DESC');
