-- SCIM 2.0 provisioning (RFC 7643, RFC 7644; docs/federation.md, "SCIM provisioning"): the users and groups an
-- organization's identity provider manages through one of the organization's connections. Portable SQL that runs
-- unchanged on PostgreSQL and H2, as in V1.

-- A Plinto user as one connection's SCIM client sees it. user_name is the identity provider's userName as sent;
-- user_name_key its lower-case form (userName is not case-exact, RFC 7643 §4.1.1), unique per connection.
-- created_account says whether this connection created the account (rather than linking an existing member).
-- attributes keeps the SCIM attributes the client sent (name, emails, enterprise extension, ...) as JSON, without
-- id, meta, groups and password; version counts changes for meta.version.
create table scim_users (
    connection_id    varchar(40)    not null references organization_connections (id) on delete cascade,
    user_id          varchar(40)    not null references users (id) on delete cascade,
    user_name        varchar(255)   not null,
    user_name_key    varchar(255)   not null,
    external_id      varchar(255),
    active           boolean        not null,
    created_account  boolean        not null,
    attributes       varchar(16000) not null default '{}',
    version          bigint         not null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null,
    primary key (connection_id, user_id)
);
create unique index scim_users_user_name_uk on scim_users (connection_id, user_name_key);
create index scim_users_external_id_idx on scim_users (connection_id, external_id);
create index scim_users_user_idx on scim_users (user_id);

-- A group of one connection; it gives its members an organization role (docs/federation.md, "Groups and roles").
create table scim_groups (
    id                varchar(40)  primary key,
    connection_id     varchar(40)  not null references organization_connections (id) on delete cascade,
    display_name      varchar(255) not null,
    display_name_key  varchar(255) not null,
    external_id       varchar(255),
    version           bigint       not null,
    created_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null
);
create unique index scim_groups_display_name_uk on scim_groups (connection_id, display_name_key);

-- A group's members: only users of the same connection (the composite foreign key), so a group can never hold
-- another connection's, or another organization's, users.
create table scim_group_members (
    group_id       varchar(40) not null references scim_groups (id) on delete cascade,
    connection_id  varchar(40) not null,
    user_id        varchar(40) not null,
    primary key (group_id, user_id),
    foreign key (connection_id, user_id) references scim_users (connection_id, user_id) on delete cascade
);
create index scim_group_members_user_idx on scim_group_members (connection_id, user_id);
