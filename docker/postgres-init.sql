-- Runs once when the postgres volume is created. The schema itself comes only from migrations
-- (the compose `migrate` service runs `db migrate` under an advisory lock), never from here.
ALTER DATABASE crossroads SET timezone TO 'UTC';
