-- The OpenID provider's client keys and the consents of the account page (docs/oidc.md).
-- private_key_jwt client authentication (docs/oidc.md, "Client authentication"): the ids (jti) of the client
-- assertions already used, kept until the assertion expires so that one cannot be presented twice (RFC 7523 §3,
-- item 7; OpenID Connect Core §9). Only a SHA-256 hash of client id and jti is kept.
create table oidc_client_assertion (
    id         varchar(100) primary key,
    expires_at timestamp with time zone not null
);

create index oidc_client_assertion_expires on oidc_client_assertion (expires_at);

-- A client's settings hold its JWKS when it is registered inline rather than by jwks_uri.
alter table oauth2_registered_client alter column client_settings set data type varchar(20000);

-- When a user first granted a client access, shown on the account page's connected apps (docs/hosted-pages.md).
alter table oauth2_authorization_consent add column granted_at timestamp with time zone default current_timestamp not null;
