-- A restore from a backup opens a new epoch: every number that may have been handed out between the
-- backup and the restore (dossier codes, book numbers) is skipped and recorded as void, so no citizen's
-- code or result number is ever issued twice. See docs/adr/0004-restore-epoch.md.
create table restore_epoch (
  epoch            integer primary key,
  backup_taken_at  timestamptz not null,
  restored_at      timestamptz not null,
  -- How far every dossier-code counter and book counter in the window moved.
  code_gap         integer not null,
  book_gap         integer not null,
  first_day        date not null,
  last_day         date not null
);

-- Numbers that were never given to a dossier or a result, and why.
create table number_void (
  id         integer generated always as identity primary key,
  kind       text not null check (kind in ('dossier_code', 'book_number')),
  unit_code  text not null,
  -- The day (dossier codes: yyyy-mm-dd) or book and year (book numbers: 'TLKS/2026').
  scope      text not null,
  from_seq   integer not null,
  to_seq     integer not null,
  reason     text not null,
  epoch      integer references restore_epoch (epoch),
  created_at timestamptz not null default now(),
  check (from_seq <= to_seq)
);
create index number_void_unit_scope on number_void (unit_code, kind, scope);
