-- The key report share links are signed with (HMAC-SHA256): one per installation, made by the first
-- gateway that needs it, so every gateway replica accepts the links of every other and a restart
-- keeps them valid. A link also names the API token that made it, which revocation kills.
CREATE TABLE share_link_key (
    id     smallint PRIMARY KEY CHECK (id = 1),
    secret bytea    NOT NULL CHECK (length(secret) = 32)
);
