-- The OpenID provider (docs/oidc.md): registered clients, authorizations and consents, in the shape Spring
-- Authorization Server's JDBC services read and write (its schema files), with types that run on H2 and PostgreSQL:
-- instants as timestamp with time zone, and its blob columns as varchar (the services write text to non-BLOB columns).
-- Client secrets are stored only as salted SHA-256 hashes; token values only as SHA-256 hashes (oidc.HashedTokens).

create table oauth2_registered_client (
    id                            varchar(100) primary key,
    client_id                     varchar(100) not null unique,
    client_id_issued_at           timestamp with time zone default current_timestamp not null,
    client_secret                 varchar(200),
    client_secret_expires_at      timestamp with time zone,
    client_name                   varchar(200) not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types     varchar(1000) not null,
    redirect_uris                 varchar(4000),
    post_logout_redirect_uris     varchar(4000),
    scopes                        varchar(1000) not null,
    client_settings               varchar(4000) not null,
    token_settings                varchar(4000) not null
);

create table oauth2_authorization (
    id                            varchar(100) primary key,
    registered_client_id          varchar(100) not null,
    principal_name                varchar(200) not null,
    authorization_grant_type      varchar(100) not null,
    authorized_scopes             varchar(1000),
    attributes                    varchar(100000),
    state                         varchar(500),
    authorization_code_value      varchar(200),
    authorization_code_issued_at  timestamp with time zone,
    authorization_code_expires_at timestamp with time zone,
    authorization_code_metadata   varchar(100000),
    access_token_value            varchar(200),
    access_token_issued_at        timestamp with time zone,
    access_token_expires_at       timestamp with time zone,
    access_token_metadata         varchar(100000),
    access_token_type             varchar(100),
    access_token_scopes           varchar(1000),
    oidc_id_token_value           varchar(200),
    oidc_id_token_issued_at       timestamp with time zone,
    oidc_id_token_expires_at      timestamp with time zone,
    oidc_id_token_metadata        varchar(100000),
    refresh_token_value           varchar(200),
    refresh_token_issued_at       timestamp with time zone,
    refresh_token_expires_at      timestamp with time zone,
    refresh_token_metadata        varchar(100000),
    user_code_value               varchar(200),
    user_code_issued_at           timestamp with time zone,
    user_code_expires_at          timestamp with time zone,
    user_code_metadata            varchar(100000),
    device_code_value             varchar(200),
    device_code_issued_at         timestamp with time zone,
    device_code_expires_at        timestamp with time zone,
    device_code_metadata          varchar(100000)
);

create index oauth2_authorization_state on oauth2_authorization (state);
create index oauth2_authorization_code on oauth2_authorization (authorization_code_value);
create index oauth2_authorization_access_token on oauth2_authorization (access_token_value);
create index oauth2_authorization_refresh_token on oauth2_authorization (refresh_token_value);
create index oauth2_authorization_id_token on oauth2_authorization (oidc_id_token_value);
create index oauth2_authorization_client on oauth2_authorization (registered_client_id, principal_name);

create table oauth2_authorization_consent (
    registered_client_id varchar(100) not null,
    principal_name       varchar(200) not null,
    authorities          varchar(1000) not null,
    primary key (registered_client_id, principal_name)
);
