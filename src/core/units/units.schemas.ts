import { z } from 'zod';

export const UnitCode = z
  .string()
  .regex(/^(\d{2}|\d{3}|\d{5})$/, { error: 'Mã đơn vị phải gồm 2 (tỉnh), 3 (huyện cũ) hoặc 5 (xã) chữ số' });

export const IsoDate = z.iso.date({ error: 'Ngày không hợp lệ (định dạng YYYY-MM-DD)' });

export const Page = z.object({
  limit: z.coerce
    .number({ error: 'Số bản ghi mỗi trang phải là số' })
    .int()
    .min(1, { error: 'Số bản ghi mỗi trang tối thiểu là 1' })
    .max(200, { error: 'Số bản ghi mỗi trang tối đa là 200' })
    .default(20),
  offset: z.coerce.number({ error: 'Vị trí bắt đầu phải là số' }).int().min(0).default(0),
});

export const UnitLevel = z.enum(['province', 'district', 'commune']);
export type UnitLevel = z.infer<typeof UnitLevel>;

export const UnitSummary = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  level: UnitLevel,
  provinceCode: z.string(),
  provinceName: z.string(),
  districtCode: z.string().nullable(),
  districtName: z.string().nullable(),
  current: z.boolean().describe('false for units that ceased on 30 June 2025'),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
});
export type UnitSummary = z.infer<typeof UnitSummary>;

export const UnitLink = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
  districtName: z.string().nullable(),
  relation: z.string(),
  note: z.string(),
});
export type UnitLink = z.infer<typeof UnitLink>;

export const UnitDetail = UnitSummary.extend({
  formedFrom: z.array(UnitLink).describe('the old units this unit was formed from (2025 reform)'),
  nowPartOf: z.array(UnitLink).describe('for an old unit: the current units it became part of'),
});
export type UnitDetail = z.infer<typeof UnitDetail>;

export const UnitSearchQuery = Page.extend({
  q: z.string().trim().max(100, { error: 'Từ khóa tối đa 100 ký tự' }).optional(),
  province: z
    .string()
    .regex(/^\d{2}$/, { error: 'Mã tỉnh gồm 2 chữ số' })
    .optional(),
  level: UnitLevel.optional(),
  era: z.enum(['current', 'before_2025', 'all']).default('all'),
});
export type UnitSearchQuery = z.infer<typeof UnitSearchQuery>;

export const VillageKind = z.enum([
  'thôn',
  'tổ dân phố',
  'ấp',
  'bản',
  'khu phố',
  'buôn',
  'làng',
  'xóm',
  'khóm',
  'khu',
]);

export const VillageName = z
  .string({ error: 'Vui lòng nhập tên thôn, tổ dân phố' })
  .trim()
  .min(2, { error: 'Tên phải có ít nhất 2 ký tự' })
  .max(120, { error: 'Tên tối đa 120 ký tự' });

export const CreateVillage = z.object({
  kind: VillageKind,
  name: VillageName,
  validFrom: IsoDate,
  oldCommuneCode: z
    .string()
    .regex(/^\d{5}$/, { error: 'Mã xã cũ gồm 5 chữ số' })
    .optional(),
});
export type CreateVillage = z.infer<typeof CreateVillage>;

export const RenameVillage = z.object({ name: VillageName, effectiveFrom: IsoDate });
export type RenameVillage = z.infer<typeof RenameVillage>;

export const VillageNamePeriod = z.object({
  name: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});

export const Village = z.object({
  id: z.number(),
  communeCode: z.string(),
  oldCommuneCode: z.string().nullable(),
  kind: z.string(),
  name: z.string().nullable().describe('the name in force on the date asked (null if it did not exist yet)'),
  history: z.array(VillageNamePeriod),
});
export type Village = z.infer<typeof Village>;

export const NormalizedAddress = z.object({
  status: z.enum(['resolved', 'ambiguous', 'not_found']),
  input: z.string(),
  detail: z.string().describe('the part before the commune: house number, street, village'),
  commune: UnitSummary.nullable(),
  matchedOld: z.array(UnitSummary).describe('old units the address names'),
  candidates: z.array(UnitLink).describe('current communes to choose from when ambiguous'),
  formatted: z.string().nullable(),
  needsReview: z.boolean(),
  reason: z.string(),
});
export type NormalizedAddress = z.infer<typeof NormalizedAddress>;

/** GET /api/units: a page of units (by limit and offset). */
export const UnitList = z.object({
  items: z.array(UnitSummary),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
export type UnitList = z.infer<typeof UnitList>;

/** GET /api/units/provinces/:code/communes: a page of a province's communes, with the province. */
export const CommuneList = UnitList.extend({ province: UnitSummary });
export type CommuneList = z.infer<typeof CommuneList>;

/** GET /api/units/provinces. */
export const ProvinceList = z.object({ items: z.array(UnitSummary) });
export type ProvinceList = z.infer<typeof ProvinceList>;

/** GET /api/units/stats: how many units there are, since 1 July 2025 and before. */
export const UnitCounts = z.object({
  current: z.object({ provinces: z.number(), communes: z.number() }),
  before2025: z.object({
    provinces: z.number(),
    districts: z.number(),
    units: z.number().describe('communes, plus the island districts that had no communes'),
    knownOnlyFromCrosswalk: z.number(),
  }),
});
export type UnitCounts = z.infer<typeof UnitCounts>;

/** GET /api/units/:code/villages: a page of a commune's villages, named as on a date. */
export const VillageList = z.object({
  on: z.string(),
  items: z.array(Village),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
export type VillageList = z.infer<typeof VillageList>;

/** GET /api/villages/:id/address: a village's address as it was written on a date. */
export const VillageAddress = z.object({
  villageId: z.number(),
  on: z.string(),
  villageName: z.string().nullable(),
  commune: z.object({ code: z.string(), name: z.string(), current: z.boolean() }),
  formatted: z.string(),
});
export type VillageAddress = z.infer<typeof VillageAddress>;
