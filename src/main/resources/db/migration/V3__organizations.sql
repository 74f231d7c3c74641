-- Organizations, memberships, custom roles and invitations (issue 4). Portable SQL, as in V1.

create table organizations (
    id               varchar(40)   primary key,
    name             varchar(200)  not null,
    slug             varchar(48)   not null,
    public_metadata  varchar(8192) not null,
    private_metadata varchar(8192) not null,
    created_by       varchar(40)   references users (id) on delete set null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null
);
create unique index organizations_slug_uk on organizations (slug);
create index organizations_created_by_idx on organizations (created_by);

-- Custom roles of one organization; the built-in roles owner, admin and member are defined in code.
-- Permissions are stored space-separated.
create table organization_roles (
    organization_id  varchar(40)   not null references organizations (id) on delete cascade,
    role_key         varchar(48)   not null,
    name             varchar(200)  not null,
    description      varchar(500),
    permissions      varchar(4000) not null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null,
    primary key (organization_id, role_key)
);

create table organization_memberships (
    organization_id  varchar(40)   not null references organizations (id) on delete cascade,
    user_id          varchar(40)   not null references users (id) on delete cascade,
    role_key         varchar(48)   not null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null,
    primary key (organization_id, user_id)
);
create index organization_memberships_user_idx on organization_memberships (user_id);

-- Invitations: the single-use token is stored only as its SHA-256 hash.
create table organization_invitations (
    id               varchar(40)   primary key,
    organization_id  varchar(40)   not null references organizations (id) on delete cascade,
    email            varchar(320)  not null,
    role_key         varchar(48)   not null,
    token_hash       varchar(64)   not null,
    invited_by       varchar(40)   references users (id) on delete set null,
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null,
    accepted_at      timestamp with time zone,
    accepted_by      varchar(40)   references users (id) on delete set null,
    revoked_at       timestamp with time zone
);
create unique index organization_invitations_token_uk on organization_invitations (token_hash);
create index organization_invitations_org_idx on organization_invitations (organization_id, email);

-- The organization a session works in; its claims go into the session's access tokens.
alter table sessions add column active_organization_id varchar(40);

-- The organization an audit event belongs to, if any.
alter table audit_events add column organization_id varchar(40);
create index audit_events_organization_idx on audit_events (organization_id, occurred_at, id);
