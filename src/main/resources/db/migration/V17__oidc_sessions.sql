-- The OpenID provider's session features (docs/oidc.md): when an authorization was started (the cleanup of
-- unfinished consents), which clients got tokens in which Plinto session (back-channel logout), and the refresh
-- tokens that were rotated out (reuse detection).
alter table oauth2_authorization add column created_at timestamp with time zone default current_timestamp;

create table oidc_session_client (
    session_id           varchar(100) not null,
    registered_client_id varchar(100) not null,
    created_at           timestamp with time zone not null,
    primary key (session_id, registered_client_id)
);

create index oidc_session_client_created on oidc_session_client (created_at);

create table oidc_rotated_refresh_token (
    token_hash           varchar(100) primary key,
    authorization_id     varchar(100) not null,
    registered_client_id varchar(100) not null,
    principal_name       varchar(200) not null,
    session_id           varchar(100),
    rotated_at           timestamp with time zone not null,
    expires_at           timestamp with time zone not null
);

create index oidc_rotated_refresh_token_expiry on oidc_rotated_refresh_token (expires_at);
