-- Refresh tokens bound to their session (session.RefreshTokenCodec): each session keeps a 256-bit secret sealed with
-- the master key and the generation of its one current refresh token, so reuse detection needs no row per rotation.
-- rotated_at is when the generation last advanced (the start of PLINTO_REFRESH_REUSE_GRACE for the previous one).
-- Sessions started before this migration have no secret (generation 0) until their first refresh.
alter table sessions add column refresh_secret varchar(200);
alter table sessions add column generation bigint default 0 not null;
alter table sessions add column rotated_at timestamp with time zone;

-- refresh_tokens stays while the previous release may run and while refresh tokens of the earlier form may still be
-- presented: a row with a generation is the compatibility copy of a token of the new form (at most the current
-- generation's, per session), so that the previous release accepts it; a row without one is a token of the earlier
-- form. docs/security.md, "Refresh tokens", says when the table can go.
alter table refresh_tokens add column generation bigint;
