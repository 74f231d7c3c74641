-- The emailed first factors of a sign-in flow (strategies EMAIL_CODE and EMAIL_LINK): the address the mail went to
-- (in canonical form; the flow's user_id stays null for an address without an account), the SHA-256 hash of the
-- six-digit code bound to the flow, how many codes were tried, and for a link requested from the hosted pages the
-- SHA-256 hash of the random value in that browser's cookie. The link's own token is the flow's token_hash.
create table email_sign_in_challenges (
    flow_id          varchar(40)  primary key references sign_in_flows (id) on delete cascade,
    email            varchar(320) not null,
    code_hash        varchar(64),
    attempts         integer      not null default 0,
    browser_hash     varchar(64)
);
