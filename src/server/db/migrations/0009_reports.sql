-- Reports: the periodic report on handling administrative procedures, generated on request or on a
-- schedule, kept as files (the bytes in the file store, by SHA-256) and listed per unit.

create table report_schedule (
  id serial primary key,
  unit_code text not null,
  frequency text not null check (frequency in ('monthly', 'quarterly', 'yearly')),
  created_by integer not null references staff_account (id),
  created_at timestamptz not null default now(),
  unique (unit_code, frequency)
);

create table report_file (
  id serial primary key,
  unit_code text not null,
  frequency text not null check (frequency in ('monthly', 'quarterly', 'yearly', 'custom')),
  period_from date not null,
  period_to date not null,
  format text not null check (format in ('xlsx', 'pdf')),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes integer not null check (size_bytes > 0),
  schedule_id integer references report_schedule (id) on delete set null,
  created_by integer references staff_account (id),
  created_at timestamptz not null default now(),
  check (period_from <= period_to)
);
create index report_file_unit on report_file (unit_code, created_at desc);
-- A schedule makes each period's file once, however many servers or ticks race for it.
create unique index report_file_scheduled on report_file (unit_code, frequency, period_from, format)
  where created_by is null;
