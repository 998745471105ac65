-- Documents: files stored by their SHA-256 (the bytes live in the file store: a folder under the data
-- folder, or an S3-compatible bucket), and the documents that point at them: a component of a dossier,
-- in a citizen's personal store (kho dữ liệu), digitized by an officer or reused from an earlier one.

create table stored_file (
  sha256      text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes  bigint not null check (size_bytes > 0),
  media_type  text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
  pages       integer,
  created_at  timestamptz not null default now()
);

create table document (
  id                  serial primary key,
  sha256              text not null references stored_file (sha256),
  -- The citizen whose paper this is: their personal store is every document with their ID.
  citizen_id          text not null check (citizen_id ~ '^\d{12}$'),
  dossier_id          integer references dossier (id),
  component_key       text,
  name                text not null,
  -- digitized: scanned or uploaded for this dossier; reused: taken from the citizen's store;
  -- reused_result: a result of an earlier dossier, taken from the store.
  digitization        text not null check (digitization in ('digitized', 'reused', 'reused_result')),
  reused_from         integer references document (id),
  is_result           boolean not null default false,
  unit_code           text not null,
  created_by          integer references staff_account (id),
  created_at          timestamptz not null default now(),
  check ((digitization = 'digitized') = (reused_from is null)),
  check ((dossier_id is null) = (component_key is null) or is_result)
);

create index document_citizen on document (citizen_id, created_at desc);
create index document_dossier on document (dossier_id, component_key);
create unique index document_once_per_component
  on document (dossier_id, component_key, sha256) where dossier_id is not null and not is_result;
