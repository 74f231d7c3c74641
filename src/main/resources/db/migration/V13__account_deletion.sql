-- Account deletion (docs/security.md, "Deleting an account"). Portable SQL, as in V1.

-- The sessions of deleted accounts. Their rows go with the account (on delete cascade), but every node must still
-- learn that their access tokens stopped working: session.SessionRevocations reads revocations from here as well as
-- from sessions.revoked_at. Kept as long as revoked sessions are (session.SessionCleanupJob).
create table ended_sessions (
    session_id       varchar(40)  primary key,
    ended_at         timestamp with time zone not null
);
create index ended_sessions_ended_idx on ended_sessions (ended_at);
