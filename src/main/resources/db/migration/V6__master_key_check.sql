-- One row per master key that has sealed data in this database: a known text sealed under that key
-- (crypto.MasterKeyCheck). A start whose keys open none of them is refused before anything is sealed, so a restored
-- database never runs, or gets a new key written beside it, under the wrong master key.
create table master_key_check (
    key_id      varchar(8)   not null primary key,
    check_value varchar(200) not null,
    created_at  timestamp with time zone not null
);
