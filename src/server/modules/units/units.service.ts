import { AppError } from '../../../core/errors.ts';
import { foldVietnamese, stripFoldedTypePrefix } from '../../../core/units/unit-names.ts';
import type {
  CommuneList,
  UnitCounts,
  UnitDetail,
  UnitList,
  UnitSearchQuery,
  UnitSummary,
} from '../../../core/units/units.schemas.ts';
import { createAddressNormalizer } from './address-normalizer.ts';
import { toSummary, type UnitRecord, type UnitsRepository } from './units.repository.ts';

function inForceOn(unit: UnitRecord, on: string): boolean {
  return (unit.validFrom === null || unit.validFrom <= on) && (unit.validTo === null || unit.validTo >= on);
}

export function createUnitsService(repo: UnitsRepository) {
  const normalizeAddress = createAddressNormalizer(repo);

  // Reference units only change when the reference data is reloaded at start: a short memo saves the
  // intake path several lookups per dossier.
  const memo = new Map<string, { at: number; periods: UnitRecord[] }>();
  const MEMO_TTL_MS = 5 * 60_000;

  async function listPeriods(code: string) {
    const hit = memo.get(code);
    if (hit && Date.now() - hit.at < MEMO_TTL_MS) return hit.periods;
    const periods = await repo.listPeriodsOfCode(code);
    if (memo.size > 5000) memo.clear();
    memo.set(code, { at: Date.now(), periods });
    return periods;
  }

  /** The unit a code means on a date; without a date, the one in force today, else the last one. */
  async function getUnitRecord(code: string, on?: string): Promise<UnitRecord> {
    const periods = await listPeriods(code);
    const unit = on ? periods.find((u) => inForceOn(u, on)) : periods[0];
    if (!unit) throw new AppError('UNIT_NOT_FOUND', { code: on ? `${code} (${on})` : code });
    return unit;
  }

  return {
    getUnitRecord,
    normalizeAddress,

    async getUnit(code: string, on?: string): Promise<UnitDetail> {
      const unit = await getUnitRecord(code, on);
      const [formedFrom, nowPartOf] = await Promise.all([
        repo.listPredecessors(unit.id),
        repo.listSuccessors(unit.id),
      ]);
      return { ...toSummary(unit), formedFrom, nowPartOf };
    },

    async searchUnits(query: UnitSearchQuery): Promise<UnitList> {
      const folded = query.q ? stripFoldedTypePrefix(foldVietnamese(query.q)) : undefined;
      const { items, total } = await repo.search({
        folded: folded || undefined,
        era: query.era,
        level: query.level,
        provinceCode: query.province,
        limit: query.limit,
        offset: query.offset,
      });
      return { items: items.map(toSummary), total, limit: query.limit, offset: query.offset };
    },

    async listProvinces(era: 'current' | 'before_2025'): Promise<UnitSummary[]> {
      const { items } = await repo.search({
        folded: undefined,
        era,
        level: 'province',
        limit: 200,
        offset: 0,
      });
      return items.map(toSummary);
    },

    async listCommunes(provinceCode: string, query: UnitSearchQuery): Promise<CommuneList> {
      const province = await getUnitRecord(provinceCode);
      if (province.level !== 'province') throw new AppError('UNIT_NOT_FOUND', { code: provinceCode });
      const folded = query.q ? stripFoldedTypePrefix(foldVietnamese(query.q)) : undefined;
      const { items, total } = await repo.search({
        folded: folded || undefined,
        era: province.current ? 'current' : 'before_2025',
        level: 'commune',
        provinceCode,
        limit: query.limit,
        offset: query.offset,
      });
      return {
        province: toSummary(province),
        items: items.map(toSummary),
        total,
        limit: query.limit,
        offset: query.offset,
      };
    },

    async countUnits(): Promise<UnitCounts> {
      const { rows, districtsWithoutCommunes } = await repo.countUnits();
      const sum = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((a, r) => a + r.n, 0);
      return {
        current: {
          provinces: sum((r) => r.current && r.level === 'province'),
          communes: sum((r) => r.current && r.level === 'commune'),
        },
        before2025: {
          provinces: sum((r) => !r.current && r.level === 'province'),
          districts: sum((r) => !r.current && r.level === 'district'),
          // The official list counts the island districts that had no communes as units of their own.
          units:
            sum((r) => !r.current && r.level === 'commune' && r.source === 'official') +
            districtsWithoutCommunes,
          knownOnlyFromCrosswalk: sum((r) => !r.current && r.source === 'crosswalk'),
        },
      };
    },
  };
}

export type UnitsService = ReturnType<typeof createUnitsService>;
