import type { Kysely } from 'kysely';
import { toLocalDate } from '../../../core/calendar/index.ts';
import { AppError } from '../../../core/errors.ts';
import { canAdministerCommune, type StaffPrincipal } from '../../../core/identity/roles.ts';
import { foldVietnamese } from '../../../core/units/unit-names.ts';
import type {
  CreateVillage,
  RenameVillage,
  UnitSummary,
  Village,
  VillageAddress,
  VillageList,
} from '../../../core/units/units.schemas.ts';
import type { DB } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UnitsService } from './units.service.ts';
import { REFORM_DATE } from './units-reference.loader.ts';
import type { VillageRow, VillagesRepository } from './villages.repository.ts';

function nameOn(row: VillageRow, on: string): string | null {
  return row.names.find((n) => n.validFrom <= on && (n.validTo === null || n.validTo >= on))?.name ?? null;
}

function toVillage(row: VillageRow, on: string): Village {
  return {
    id: row.id,
    communeCode: row.commune_code,
    oldCommuneCode: row.old_commune_code,
    kind: row.kind,
    name: nameOn(row, on),
    history: row.names,
  };
}

type Actor = { staff: StaffPrincipal; requestId: string };

export function createVillagesService(
  db: Kysely<DB>,
  repo: VillagesRepository,
  units: UnitsService,
  now: () => Date = () => new Date(),
) {
  const todayInVietnam = () => toLocalDate(now());
  async function getCurrentCommune(code: string) {
    const unit = await units.getUnitRecord(code);
    if (unit.level !== 'commune' || !unit.current) throw new AppError('UNIT_NOT_FOUND', { code });
    return unit;
  }

  async function getRow(id: number) {
    const row = await repo.findVillage(id);
    if (!row) throw new AppError('VILLAGE_NOT_FOUND', { id });
    return row;
  }

  function authorise(staff: StaffPrincipal, commune: { code: string; provinceCode: string }) {
    if (!canAdministerCommune(staff, commune)) throw new AppError('FORBIDDEN');
  }

  return {
    async listVillages(
      communeCode: string,
      q: { q?: string | undefined; on?: string | undefined; limit: number; offset: number },
    ): Promise<VillageList> {
      await getCurrentCommune(communeCode);
      const on = q.on ?? todayInVietnam();
      const { items, total } = await repo.listVillages(communeCode, {
        ...(q.q ? { folded: foldVietnamese(q.q) } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { on, total, limit: q.limit, offset: q.offset, items: items.map((row) => toVillage(row, on)) };
    },

    async getVillage(id: number, on?: string): Promise<Village> {
      return toVillage(await getRow(id), on ?? todayInVietnam());
    },

    async createVillage(actor: Actor, communeCode: string, input: CreateVillage): Promise<Village> {
      const commune = await getCurrentCommune(communeCode);
      authorise(actor.staff, commune);
      if (input.oldCommuneCode) {
        const detail = await units.getUnit(communeCode);
        if (!detail.formedFrom.some((p) => p.code === input.oldCommuneCode)) {
          throw new AppError(
            'VALIDATION_FAILED',
            {},
            {
              oldCommuneCode: `Xã cũ ${input.oldCommuneCode} không thuộc các đơn vị hợp thành ${commune.name}`,
            },
          );
        }
      }
      const id = await db.transaction().execute(async (trx) => {
        const villageId = await repo.insertVillage(trx, {
          communeCode,
          oldCommuneCode: input.oldCommuneCode ?? null,
          kind: input.kind,
          name: input.name,
          validFrom: input.validFrom,
        });
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'village.create',
          entity: 'village',
          entityId: villageId,
          unitCode: communeCode,
          details: { kind: input.kind, name: input.name, validFrom: input.validFrom },
          requestId: actor.requestId,
        });
        return villageId;
      });
      return toVillage(await getRow(id), input.validFrom);
    },

    async renameVillage(actor: Actor, id: number, input: RenameVillage): Promise<Village> {
      const row = await getRow(id);
      authorise(actor.staff, await getCurrentCommune(row.commune_code));
      await db.transaction().execute(async (trx) => {
        await repo.lockVillage(trx, id);
        const fresh = await repo.findVillage(id, trx);
        const open = fresh?.names.find((n) => n.validTo === null);
        if (!open) throw new AppError('CONFLICT', { detail: 'thôn, tổ dân phố này không còn tên đang dùng' });
        if (input.effectiveFrom <= open.validFrom) {
          throw new AppError('CONFLICT', {
            detail: `ngày đổi tên phải sau ngày ${open.validFrom} (ngày tên "${open.name}" bắt đầu có hiệu lực)`,
          });
        }
        if (open.name === input.name) {
          throw new AppError('CONFLICT', { detail: `tên hiện tại đã là "${open.name}"` });
        }
        await repo.renameVillage(trx, id, input.name, input.effectiveFrom);
        await recordAudit(trx, {
          actorId: actor.staff.id,
          action: 'village.rename',
          entity: 'village',
          entityId: id,
          unitCode: row.commune_code,
          details: { from: open.name, to: input.name, effectiveFrom: input.effectiveFrom },
          requestId: actor.requestId,
        });
      });
      return toVillage(await getRow(id), input.effectiveFrom);
    },

    /** The address of a village as it was written on a date: its name then, and the units of that era. */
    async addressOn(id: number, on: string): Promise<VillageAddress> {
      const row = await getRow(id);
      const villageName = nameOn(row, on);
      let commune: UnitSummary;
      if (on < REFORM_DATE && row.old_commune_code) {
        commune = await units.getUnitRecord(row.old_commune_code, on);
      } else {
        commune = await units.getUnitRecord(row.commune_code);
      }
      const parts = [villageName, commune.name, commune.districtName, commune.provinceName].filter(
        (p): p is string => Boolean(p),
      );
      return {
        villageId: id,
        on,
        villageName,
        commune: { code: commune.code, name: commune.name, current: commune.current },
        formatted: parts.join(', '),
      };
    },
  };
}

export type VillagesService = ReturnType<typeof createVillagesService>;
