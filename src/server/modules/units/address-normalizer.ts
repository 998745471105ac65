import { foldVietnamese, splitUnitName, stripFoldedTypePrefix } from '../../../core/units/unit-names.ts';
import type { NormalizedAddress, UnitLink } from '../../../core/units/units.schemas.ts';
import { toSummary, type UnitRecord, type UnitsRepository } from './units.repository.ts';

// People keep writing these; everything else is matched by its folded name.
const PROVINCE_ALIASES: Record<string, string> = {
  hcm: 'ho chi minh',
  tphcm: 'ho chi minh',
  'tp.hcm': 'ho chi minh',
  'tp hcm': 'ho chi minh',
  'sai gon': 'ho chi minh',
  hn: 'ha noi',
};

/** Where a person moved with a merged unit, the address follows: these relations are unambiguous. */
const PEOPLE_FOLLOW = new Set([
  'whole',
  'unchanged',
  'type_changed',
  'renamed',
  'partial_area_whole_population',
]);

type Part = { raw: string; folded: string; type: string | null };

function toPart(raw: string): Part {
  const folded = foldVietnamese(raw);
  const bare = stripFoldedTypePrefix(folded);
  return { raw, folded: PROVINCE_ALIASES[bare] ?? bare, type: splitUnitName(raw).type };
}

/** A written type word must agree: 'Thị xã Kỳ Anh' is not 'Xã Kỳ Anh'. */
function byType(units: UnitRecord[], type: string | null): UnitRecord[] {
  return type ? units.filter((u) => u.type.toLocaleLowerCase('vi') === type) : units;
}

const DISTRICT_TYPES = new Set(['quận', 'huyện', 'thị xã', 'thành phố']);

function uniqueByCode(links: UnitLink[]): UnitLink[] {
  return [...new Map(links.map((l) => [l.code, l])).values()];
}

/**
 * Resolves an address written with old or new unit names to the current commune. It resolves only
 * where the 2025 crosswalk leaves one answer; a partially merged old unit is flagged for a person.
 */
export function createAddressNormalizer(repo: UnitsRepository) {
  return async function normalizeAddress(input: string): Promise<NormalizedAddress> {
    const parts = input
      .split(/[,;\n]/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map(toPart);
    const result = (partial: Partial<NormalizedAddress> & Pick<NormalizedAddress, 'status' | 'reason'>) => ({
      input,
      detail: '',
      commune: null,
      matchedOld: [],
      candidates: [],
      formatted: null,
      needsReview: partial.status !== 'resolved',
      ...partial,
    });
    let index = parts.length - 1;

    // 1. Province (old or new name), read from the right.
    const last = parts[index];
    let provinces: UnitRecord[] = [];
    if (last) provinces = await repo.findByBareName(last.folded, 'province', {});
    if (provinces.length) index--;
    const oldProvinceCodes = provinces.filter((p) => !p.current).map((p) => p.code);
    const newProvinceCodes = new Set(provinces.filter((p) => p.current).map((p) => p.code));
    for (const old of provinces.filter((p) => !p.current)) {
      for (const s of await repo.listSuccessors(old.id)) newProvinceCodes.add(s.code);
    }

    // 2. An old district, if the address still names one.
    let district: UnitRecord | undefined;
    const districtPart = parts[index];
    if (districtPart && index > 0) {
      const found = byType(
        await repo.findByBareName(districtPart.folded, 'district', {
          provinceCodes: oldProvinceCodes,
          era: 'before_2025',
        }),
        districtPart.type,
      );
      if (found.length === 1) district = found[0];
      // A part typed as a district is never the commune, even when we cannot tell which district it is.
      if (found.length === 1 || (districtPart.type && DISTRICT_TYPES.has(districtPart.type))) index--;
    }

    // 3. The commune.
    const communePart = parts[index];
    if (!communePart) {
      return result({ status: 'not_found', reason: 'Địa chỉ không có tên xã, phường để đối chiếu.' });
    }
    const detail = parts
      .slice(0, index)
      .map((p) => p.raw)
      .join(', ');
    const current = district
      ? []
      : byType(
          await repo.findByBareName(communePart.folded, 'commune', {
            provinceCodes: [...newProvinceCodes],
            era: 'current',
          }),
          communePart.type,
        );
    const old = byType(
      await repo.findByBareName(communePart.folded, 'commune', {
        provinceCodes: oldProvinceCodes.length ? oldProvinceCodes : [...newProvinceCodes],
        ...(district ? { districtCode: district.code } : {}),
        era: 'before_2025',
      }),
      communePart.type,
    );

    if (current.length === 1 && current[0]) {
      const commune = current[0];
      return result({
        status: 'resolved',
        detail,
        commune: toSummary(commune),
        formatted: [detail, commune.name, commune.provinceName].filter(Boolean).join(', '),
        needsReview: false,
        reason: 'Địa chỉ đã dùng tên đơn vị hành chính hiện hành.',
      });
    }
    if (current.length > 1) {
      return result({
        status: 'ambiguous',
        detail,
        candidates: current.map((c) => ({ ...toSummary(c), relation: 'same_name', note: '' })),
        reason: 'Có nhiều xã, phường cùng tên; cần ghi rõ tỉnh, thành phố.',
      });
    }
    if (!old.length) {
      return result({
        status: 'not_found',
        detail,
        reason: `Không tìm thấy xã, phường "${communePart.raw}".`,
      });
    }

    const links = (await Promise.all(old.map((o) => repo.listSuccessors(o.id)))).flat();
    const candidates = uniqueByCode(links);
    const matchedOld = old.map(toSummary);
    const single = candidates.length === 1 ? candidates[0] : undefined;
    if (!single) {
      return result({
        status: 'ambiguous',
        detail,
        matchedOld,
        candidates,
        reason:
          old.length > 1
            ? 'Tên xã, phường cũ trùng ở nhiều nơi; cần ghi rõ huyện, tỉnh cũ.'
            : `${old[0]?.name} được sáp nhập một phần vào nhiều đơn vị; cán bộ cần xác định đơn vị mới theo thôn, tổ dân phố.`,
      });
    }
    const [commune] = await repo.listPeriodsOfCode(single.code);
    const followsWhole = links.every((l) => PEOPLE_FOLLOW.has(l.relation));
    return result({
      status: 'resolved',
      detail,
      matchedOld,
      candidates,
      commune: commune ? toSummary(commune) : null,
      formatted: [detail, single.name, single.provinceName].filter(Boolean).join(', '),
      needsReview: !followsWhole,
      reason: followsWhole
        ? `${old[0]?.name} nay thuộc ${single.name}, ${single.provinceName}.`
        : `${old[0]?.name} chỉ nhập một phần vào ${single.name}; cán bộ nên kiểm tra lại.`,
    });
  };
}
