-- Search ignores Vietnamese diacritics (unaccent) and tolerates typos (pg_trgm).
create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- unaccent() is only STABLE (its dictionary could change), so folded names are computed at write time
-- into plain columns that the trigram indexes cover.
create or replace function vn_fold(input text) returns text
  language sql stable parallel safe
  as $$ select lower(unaccent(regexp_replace(btrim(replace(replace(input, 'Đ', 'D'), 'đ', 'd')), '\s+', ' ', 'g'))) $$;

-- An administrative unit is its code plus its validity period: codes are reused across the 2025 reform.
create table admin_unit (
  id serial primary key,
  code text not null,
  level text not null check (level in ('province', 'district', 'commune')),
  name text not null,
  type text not null,
  province_code text not null,
  -- Reference data never changes once loaded, so the names of the province and (old) district of the
  -- same era are stored on the row: every lookup is then one index probe, with no self-joins to plan.
  province_name text not null,
  district_code text,
  district_name text,
  valid_from date,
  valid_to date,
  -- 'official': from the GSO list; 'crosswalk': known only from the merger crosswalk.
  source text not null default 'official' check (source in ('official', 'crosswalk')),
  name_folded text not null,
  bare_name_folded text not null,
  check (valid_to is null or valid_from is null or valid_from <= valid_to)
);
create unique index admin_unit_code_period on admin_unit (level, code, coalesce(valid_from, '0001-01-01'));
create index admin_unit_code on admin_unit (code);
create index admin_unit_province on admin_unit (province_code, level);
create index admin_unit_bare_trgm on admin_unit using gin (bare_name_folded gin_trgm_ops);

-- The 2025 crosswalk: which old units each new unit was formed from.
create table unit_succession (
  old_unit_id integer not null references admin_unit (id),
  new_unit_id integer not null references admin_unit (id),
  relation text not null check (relation in
    ('whole', 'partial', 'partial_area', 'partial_area_whole_population', 'unchanged', 'type_changed', 'renamed')),
  note_vi text not null default '',
  primary key (old_unit_id, new_unit_id)
);
create index unit_succession_new on unit_succession (new_unit_id);

-- Villages and residential groups (thôn, tổ dân phố, ấp, bản…) of a current commune.
create table village (
  id serial primary key,
  commune_code text not null,
  -- The pre-2025 commune it belonged to, so an old address can be shown as it was.
  old_commune_code text,
  kind text not null,
  created_at timestamptz not null default now()
);
create index village_commune on village (commune_code);

-- Effective-dated names: a rename closes one row and opens the next, so history is kept.
create table village_name (
  id serial primary key,
  village_id integer not null references village (id),
  name text not null,
  name_folded text not null,
  valid_from date not null,
  valid_to date,
  check (valid_to is null or valid_from <= valid_to)
);
create unique index village_name_period on village_name (village_id, valid_from);

create table app_meta (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
