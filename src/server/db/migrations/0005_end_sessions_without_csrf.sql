-- Sessions opened before CSRF tokens existed were given an empty token by 0003; end them, so that every
-- live session has a token to check (the check also refuses an empty one).
delete from staff_session where csrf_token = '';
