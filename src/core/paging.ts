import { z } from 'zod';

/** Page-numbered lists (catalogue, work lists): `page` from 1, `pageSize` up to `max`. */
export const PageNumber = z.coerce
  .number({ error: 'Số trang phải là số' })
  .int({ error: 'Số trang phải là số nguyên' })
  .min(1, { error: 'Số trang bắt đầu từ 1' })
  .default(1);

export const PageSize = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'Số dòng mỗi trang phải là số' })
    .int()
    .min(1, { error: 'Số dòng mỗi trang ít nhất là 1' })
    .max(max, { error: `Số dòng mỗi trang tối đa ${max}` })
    .default(fallback);

/** A page of a list as every list route answers it: the items, how many in all, which page of what size. */
export const Paged = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });
export type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };
