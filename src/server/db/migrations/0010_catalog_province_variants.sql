-- A procedure version belongs to a scope: 'VN' for the national version (the ministry's, edited by the
-- system administrator) or a province code for that province's variant (its own fees, steps, duration).
-- Version numbers stay one sequence per code, so (code, version) still names one row and a dossier's
-- procedure_version_id records both the version and the variant it was handled under.
alter table procedure_version add column scope text not null default 'VN';
drop index procedure_version_one_published;
create unique index procedure_version_one_published on procedure_version (code, scope) where status = 'published';
