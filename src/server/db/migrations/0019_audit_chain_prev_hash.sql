-- An audit entry is chained in one statement: the head's update computes the new hash in SQL and keeps
-- the one before it here, which the entry stores as its prev_hash (an UPDATE returns only new values).
alter table audit_chain_head add column prev_hash text;
