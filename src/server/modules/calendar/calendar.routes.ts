import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DaysOff,
  DueAnswer,
  OfficeHours,
  ScheduleItem,
  ScheduleList,
  UnitOfficeHours,
} from '../../../core/calendar/calendar.schemas.ts';
import {
  DURATION_UNITS,
  HOLIDAY_KEYS,
  OfficialScheduleEntry,
  parseIso,
} from '../../../core/calendar/index.ts';
import { UnitCode } from '../../../core/units/units.schemas.ts';
import { requireStaff } from '../../plugins/auth.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { CalendarService } from './calendar.service.ts';

/** An ISO date-time; a '+' that a query string turned into a space is put back before the offset. */
const Instant = z
  .string({ error: 'Vui lòng nhập thời điểm (ISO 8601)' })
  .transform((v) => v.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$/, '$1+$2'))
  .transform((v, ctx) => {
    try {
      return parseIso(v);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'Thời điểm không hợp lệ (ISO 8601, ví dụ 2025-07-01T08:00:00+07:00)',
      });
      return z.NEVER;
    }
  });

const Year = z.coerce
  .number({ error: 'Năm phải là số' })
  .int({ error: 'Năm phải là số nguyên' })
  .min(1900, { error: 'Năm phải từ 1900 đến 2199' })
  .max(2199, { error: 'Năm phải từ 1900 đến 2199' });

const DueQuery = z
  .object({
    start: Instant,
    amount: z.coerce
      .number({ error: 'Thời hạn phải là số' })
      .min(0, { error: 'Thời hạn không được âm' })
      .max(3650, { error: 'Thời hạn tối đa 3650' }),
    unit: z.enum(DURATION_UNITS, {
      error: 'Đơn vị thời hạn phải là working_days, working_hours, calendar_days hoặc same_day',
    }),
    unitCode: UnitCode.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.unit === 'calendar_days' && !Number.isInteger(q.amount)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Số ngày lịch phải là số nguyên' });
    }
  });

const writeErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const calendarRoutes: FastifyPluginAsyncZod<{ calendar: CalendarService }> = async (
  app,
  { calendar },
) => {
  app.get(
    '/api/calendar/due',
    {
      schema: {
        tags: ['calendar'],
        summary: 'The due date for a start time and a statutory duration',
        description:
          'Working days count 8 working hours each from the clock start (the next office moment). same_day: ' +
          'received before the cut-off (15:00) → end of that day, else end of the next working day.',
        querystring: DueQuery,
        response: { 200: DueAnswer, 400: ErrorBody, 404: ErrorBody },
      },
    },
    (request) => {
      const { start, amount, unit, unitCode } = request.query;
      return calendar.computeDue(start, { amount, unit }, unitCode);
    },
  );

  app.get(
    '/api/calendar/days-off',
    {
      schema: {
        tags: ['calendar'],
        summary: "A year's days off besides ordinary weekends (holidays, compensatory and official days)",
        querystring: z.object({ year: Year, unitCode: UnitCode.optional() }),
        response: { 200: DaysOff, 400: ErrorBody, 404: ErrorBody },
      },
    },
    (request) => calendar.listDaysOff(request.query.year, request.query.unitCode),
  );

  app.get(
    '/api/calendar/schedule',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Official schedule entries: national, plus a province’s own when ?province= is given',
        querystring: z.object({
          year: Year.optional(),
          province: z
            .string()
            .regex(/^\d{2}$/, { error: 'Mã tỉnh gồm 2 chữ số' })
            .optional(),
        }),
        response: { 200: ScheduleList, 400: ErrorBody, 404: ErrorBody },
      },
    },
    (request) => calendar.listSchedule(request.query.year, request.query.province),
  );

  app.post(
    '/api/calendar/schedule',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Add a day off or a swapped working day (province administrator: own province)',
        body: OfficialScheduleEntry.extend({
          holiday: z.enum([...HOLIDAY_KEYS, 'other'], { error: 'Mã ngày lễ không hợp lệ' }).default('other'),
          provinceCode: z
            .string()
            .regex(/^\d{2}$/, { error: 'Mã tỉnh gồm 2 chữ số' })
            .nullable()
            .default(null),
        }),
        response: { 201: ScheduleItem, ...writeErrors },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const entry = await calendar.addScheduleEntry({ staff, requestId: request.id }, request.body);
      return reply.status(201).send(entry);
    },
  );

  app.delete(
    '/api/calendar/schedule/:id',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Remove an official schedule entry',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (request, reply) => {
      await calendar.removeScheduleEntry(
        { staff: requireStaff(request), requestId: request.id },
        request.params.id,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/calendar/office-hours/:unitCode',
    {
      schema: {
        tags: ['calendar'],
        summary: "A unit's office hours and same-day cut-off",
        params: z.object({ unitCode: UnitCode }),
        response: { 200: UnitOfficeHours, 400: ErrorBody, 404: ErrorBody },
      },
    },
    (request) => calendar.getOfficeHours(request.params.unitCode),
  );

  app.put(
    '/api/calendar/office-hours/:unitCode',
    {
      schema: {
        tags: ['calendar'],
        summary: "Set a commune's office hours (commune administrator or centre director)",
        params: z.object({ unitCode: UnitCode }),
        body: OfficeHours,
        response: { 200: UnitOfficeHours, ...writeErrors },
      },
    },
    (request) =>
      calendar.setOfficeHours(
        { staff: requireStaff(request), requestId: request.id },
        request.params.unitCode,
        request.body.officeHours,
        request.body.sameDayCutoff,
      ),
  );
};
