import type { FindOptionsOrder, FindOptionsWhere, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';

/** Which slice of a list to read: offset pagination, as every simple list of the API pages. */
export interface PageRequest {
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  /** Rows matching the filters, ignoring limit and offset. */
  total: number;
  limit: number;
  offset: number;
}

export type SortDirection = 'ASC' | 'DESC';

export const pageOf = <T>([items, total]: [T[], number], page: PageRequest): Page<T> => ({ items, total, limit: page.limit, offset: page.offset });

/** One page of a TypeORM repository's rows matching `where`, in `order`. */
export const findPage = async <T extends ObjectLiteral>(
  repository: Repository<T>,
  where: FindOptionsWhere<T>,
  order: FindOptionsOrder<T>,
  page: PageRequest,
): Promise<Page<T>> => pageOf(await repository.findAndCount({ where, order, take: page.limit, skip: page.offset }), page);

/** One page of a filtered, ordered query (take/skip, so a join cannot cut a page short). */
export const pageOfQuery = async <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, page: PageRequest): Promise<Page<T>> =>
  pageOf(await query.take(page.limit).skip(page.offset).getManyAndCount(), page);

/** Keeps only the filters a caller set, so `undefined` never reaches a WHERE clause. */
export const definedOnly = <T extends object>(filters: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
