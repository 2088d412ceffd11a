#include "adapters/sqlite/Schema.h"

#include <array>

namespace lockhub::adapters::sqlite {
namespace {

// Times are Unix seconds (UTC) unless the column name ends in _ms. Booleans are 0/1 with a
// CHECK. Secrets are never stored in clear: lock keys live in `secrets` encrypted, codes and PINs
// as keyed hashes.
constexpr std::string_view kCore = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE locks (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    mac        TEXT NOT NULL UNIQUE,
    product_id TEXT NOT NULL,
    profile    TEXT NOT NULL,
    secrets    BLOB NOT NULL,
    t0         INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE credentials (
    id          INTEGER PRIMARY KEY,
    lock_id     INTEGER NOT NULL REFERENCES locks(id) ON DELETE CASCADE,
    method      TEXT NOT NULL,
    hardware_id INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    duress      INTEGER NOT NULL DEFAULT 0 CHECK (duress IN (0, 1)),
    created_at  INTEGER NOT NULL,
    UNIQUE (lock_id, method, hardware_id)
) STRICT;
CREATE INDEX credentials_user ON credentials(user_id);

-- No ON DELETE for records: removing a lock must not silently erase its audit trail.
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    lock_id     INTEGER NOT NULL REFERENCES locks(id),
    dp          INTEGER NOT NULL CHECK (dp BETWEEN 0 AND 255),
    value       BLOB NOT NULL,
    lock_time   INTEGER NOT NULL,
    hub_time_ms INTEGER NOT NULL,
    event_id    TEXT NOT NULL UNIQUE,
    UNIQUE (lock_id, dp, value, lock_time)
) STRICT;

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    topic      TEXT NOT NULL,
    payload    BLOB NOT NULL,
    qos        INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
    retained   INTEGER NOT NULL CHECK (retained IN (0, 1)),
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
) STRICT;
)sql";

constexpr std::string_view kCodes = R"sql(
CREATE TABLE temp_passwords (
    id          INTEGER PRIMARY KEY,
    lock_id     INTEGER NOT NULL REFERENCES locks(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    code_hash   BLOB NOT NULL,
    valid_from  INTEGER NOT NULL,
    valid_until INTEGER NOT NULL CHECK (valid_until > valid_from),
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'active', 'deleting', 'gone', 'expired')),
    revision    INTEGER NOT NULL DEFAULT 0,
    hardware_id INTEGER,
    created_at  INTEGER NOT NULL,
    UNIQUE (lock_id, hardware_id)
) STRICT;

CREATE TABLE offline_codes (
    id          INTEGER PRIMARY KEY,
    lock_id     INTEGER NOT NULL REFERENCES locks(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL
                CHECK (kind IN ('dynamic', 'timed', 'one_time', 'clear_one', 'clear_all')),
    code_hash   BLOB NOT NULL,
    valid_from  INTEGER NOT NULL,
    valid_until INTEGER,
    state       TEXT NOT NULL DEFAULT 'issued'
                CHECK (state IN ('issued', 'used', 'cleared', 'expired')),
    issued_at   INTEGER NOT NULL,
    used_at     INTEGER,
    UNIQUE (lock_id, code_hash)
) STRICT;

-- One row per lock: wrong-code attempts survive restarts and are shared by every entry path.
CREATE TABLE lockout (
    lock_id      INTEGER PRIMARY KEY REFERENCES locks(id) ON DELETE CASCADE,
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until INTEGER,
    updated_at   INTEGER NOT NULL
) STRICT;
)sql";

// For the lock store (ports/LockStore.h). `locks` is rebuilt because SQLite cannot relax a
// column's constraints in place: a removed lock stays as a row (its records reference it and
// are the audit trail), so MAC and topic are unique among active locks only, its secrets are
// erased (NULL), and t0 is NULL until the lock's offline-code epoch is known. Rows written at
// version 1 get the topic `lock-<id>` and protocol version 3 (the port's default).
constexpr std::string_view kLockStore = R"sql(
CREATE TABLE locks_v3 (
    id               INTEGER PRIMARY KEY,
    topic            TEXT NOT NULL
                     CHECK (length(topic) BETWEEN 1 AND 64 AND topic NOT GLOB '*[^a-z0-9_-]*'),
    name             TEXT NOT NULL,
    mac              TEXT NOT NULL,
    product_id       TEXT NOT NULL,
    profile          TEXT NOT NULL,
    protocol_version INTEGER NOT NULL CHECK (protocol_version IN (3, 4)),
    secrets          BLOB,
    t0               INTEGER,
    created_at       INTEGER NOT NULL,
    removed_at       INTEGER
) STRICT;
INSERT INTO locks_v3 (id, topic, name, mac, product_id, profile, protocol_version, secrets, t0,
                      created_at, removed_at)
    SELECT id, 'lock-' || id, name, mac, product_id, profile, 3, secrets, t0, created_at, NULL
    FROM locks;
DROP TABLE locks;
ALTER TABLE locks_v3 RENAME TO locks;
CREATE UNIQUE INDEX locks_active_mac ON locks(mac) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX locks_active_topic ON locks(topic) WHERE removed_at IS NULL;

-- Outbox messages dropped because the outbox was full, since the database was created.
INSERT INTO meta (key, value) VALUES ('outbox_dropped', '0');
)sql";

// Group commit and the tables no code uses (design §5: "a table exists only once code uses it";
// the issue that first uses one adds it back in a migration of its own):
// - records.lock_time becomes nullable: a lock that sends no timestamp gets NULL instead of the
//   hub's time, which could make two genuine events look like one replay. NULLs are distinct in
//   a UNIQUE constraint, so untimed records are never de-duplicated by the store.
// - outbox ids become AUTOINCREMENT: plain rowids reuse the highest id once it is deleted, and a
//   publisher paging with "id > last seen" would then skip the new row. The copy keeps the ids,
//   and sqlite_sequence starts at their maximum. `attempts` goes: nothing ever wrote it.
// - users, credentials, audit, temp_passwords, offline_codes and lockout are dropped.
constexpr std::string_view kGroupCommit = R"sql(
CREATE TABLE records_v4 (
    id          INTEGER PRIMARY KEY,
    lock_id     INTEGER NOT NULL REFERENCES locks(id),
    dp          INTEGER NOT NULL CHECK (dp BETWEEN 0 AND 255),
    value       BLOB NOT NULL,
    lock_time   INTEGER,
    hub_time_ms INTEGER NOT NULL,
    event_id    TEXT NOT NULL UNIQUE,
    UNIQUE (lock_id, dp, value, lock_time)
) STRICT;
INSERT INTO records_v4 (id, lock_id, dp, value, lock_time, hub_time_ms, event_id)
    SELECT id, lock_id, dp, value, lock_time, hub_time_ms, event_id FROM records;
DROP TABLE records;
ALTER TABLE records_v4 RENAME TO records;

CREATE TABLE outbox_v4 (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT NOT NULL,
    payload    BLOB NOT NULL,
    qos        INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
    retained   INTEGER NOT NULL CHECK (retained IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;
INSERT INTO outbox_v4 (id, topic, payload, qos, retained, created_at)
    SELECT id, topic, payload, qos, retained, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;

DROP TABLE credentials;
DROP TABLE users;
DROP TABLE audit;
DROP TABLE temp_passwords;
DROP TABLE offline_codes;
DROP TABLE lockout;
)sql";

// Per-lock link policy (ports::LockPolicy): how the hub keeps in touch with each lock. Every
// column is NULL for "the configuration's `locks.*` default", so existing rows, which never had
// a policy of their own, follow the configuration as before. Added in place: ADD COLUMN with
// NULL as the default needs no rebuild, and SQLite checks the new CHECKs against existing rows.
// A CHECK that evaluates to NULL passes, so NULL is allowed in every column.
constexpr std::string_view kLockPolicy = R"sql(
ALTER TABLE locks ADD COLUMN policy TEXT CHECK (policy IN ('on_demand', 'keep_alive', 'always'));
ALTER TABLE locks ADD COLUMN keep_alive_s INTEGER CHECK (keep_alive_s >= 0);
ALTER TABLE locks ADD COLUMN poll_interval_s INTEGER CHECK (poll_interval_s >= 0);
ALTER TABLE locks ADD COLUMN availability_timeout_s INTEGER
    CHECK (availability_timeout_s >= 0);
)sql";

// Users and credentials (ports::UserStore, UserDirectory). User ids are AUTOINCREMENT because an
// automation may key on one: a new user must never take a removed user's id. A credential names
// a slot of one lock's memory (method + hardware id); removing its user removes it (cascade), so
// no row points at nobody. Removing a lock is soft (its row stays for the records), so its
// credentials are deleted by the app when the lock goes, not by a foreign key.
constexpr std::string_view kUsers = R"sql(
CREATE TABLE users (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    arrived INTEGER NOT NULL CHECK (arrived IN (0, 1))
) STRICT;
CREATE TABLE credentials (
    id          INTEGER PRIMARY KEY,
    lock_id     INTEGER NOT NULL REFERENCES locks(id),
    method      TEXT NOT NULL,
    hardware_id INTEGER NOT NULL CHECK (hardware_id BETWEEN 0 AND 4294967295),
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    duress      INTEGER NOT NULL CHECK (duress IN (0, 1)),
    UNIQUE (lock_id, method, hardware_id)
) STRICT;
CREATE INDEX credentials_by_user ON credentials (user_id);
)sql";

// Derived records: the hub raises a `duress` event beside the unlock of a credential flagged
// duress, and an `arrived` event beside a user's first unlock after a quiet period, and stores
// each as a record of its own (its own event_id and outbox row) so both survive
// a crash between commit and publish alike. `derived` is '' for the lock's own record and joins
// the replay key: the derived row does not collide with its unlock, and a replayed report
// reproduces both keys, so neither is stored or published twice. A UNIQUE constraint cannot be
// changed in place, so the table is rebuilt with every row and id kept.
constexpr std::string_view kDerivedRecords = R"sql(
CREATE TABLE records_v7 (
    id          INTEGER PRIMARY KEY,
    lock_id     INTEGER NOT NULL REFERENCES locks(id),
    dp          INTEGER NOT NULL CHECK (dp BETWEEN 0 AND 255),
    value       BLOB NOT NULL,
    lock_time   INTEGER,
    hub_time_ms INTEGER NOT NULL,
    event_id    TEXT NOT NULL UNIQUE,
    derived     TEXT NOT NULL DEFAULT '' CHECK (derived IN ('', 'duress', 'arrived')),
    UNIQUE (lock_id, dp, value, lock_time, derived)
) STRICT;
INSERT INTO records_v7 (id, lock_id, dp, value, lock_time, hub_time_ms, event_id)
    SELECT id, lock_id, dp, value, lock_time, hub_time_ms, event_id FROM records;
DROP TABLE records;
ALTER TABLE records_v7 RENAME TO records;
)sql";

// Records history (issue 12, docs/records.md): records/query filters by lock, user, method, event
// and hub time and pages in (hub_time_ms, id) order, so the table keeps what it needs to answer
// without the lock's profile: the event message as published (`payload`) and, taken from it by
// the store, its event name, method, the credential owner's user id and whether the hub replaced
// an invalid lock time (`time_corrected`). `derived` admits the hub's `records_lost` and
// `clock_drift` events. A CHECK cannot be changed in place, so the table is rebuilt with every row
// and id kept; rows from before have no payload (NULL columns). The indexes serve the query's
// order with and without a lock or user filter, and retention (oldest per lock, oldest overall).
constexpr std::string_view kRecordsHistory = R"sql(
CREATE TABLE records_v10 (
    id             INTEGER PRIMARY KEY,
    lock_id        INTEGER NOT NULL REFERENCES locks(id),
    dp             INTEGER NOT NULL CHECK (dp BETWEEN 0 AND 255),
    value          BLOB NOT NULL,
    lock_time      INTEGER,
    hub_time_ms    INTEGER NOT NULL,
    event_id       TEXT NOT NULL UNIQUE,
    derived        TEXT NOT NULL DEFAULT '' CHECK (derived IN ('', 'duress', 'arrived',
                                                               'records_lost', 'clock_drift')),
    event          TEXT,
    method         TEXT,
    user_id        INTEGER,
    time_corrected INTEGER NOT NULL DEFAULT 0 CHECK (time_corrected IN (0, 1)),
    payload        TEXT,
    UNIQUE (lock_id, dp, value, lock_time, derived)
) STRICT;
INSERT INTO records_v10 (id, lock_id, dp, value, lock_time, hub_time_ms, event_id, derived)
    SELECT id, lock_id, dp, value, lock_time, hub_time_ms, event_id, derived FROM records;
DROP TABLE records;
ALTER TABLE records_v10 RENAME TO records;
CREATE INDEX records_by_time ON records (hub_time_ms, id);
CREATE INDEX records_by_lock ON records (lock_id, hub_time_ms, id);
CREATE INDEX records_by_user ON records (user_id, hub_time_ms, id) WHERE user_id IS NOT NULL;
)sql";

// The audit trail (ports::AuditStore, AuditLog): one row per command and per bridge operation
// that changes something. `lock` is the topic the request named (NULL when it named none), kept
// as text so a row still says which lock after the lock is removed and its topic reused. No
// column holds a code, key or PIN. Ids are AUTOINCREMENT so a query paging by id never meets a
// reused one.
constexpr std::string_view kAudit = R"sql(
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms  INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 128),
    op     TEXT NOT NULL CHECK (length(op) BETWEEN 1 AND 64),
    lock   TEXT CHECK (length(lock) BETWEEN 1 AND 64),
    result TEXT NOT NULL CHECK (length(result) BETWEEN 1 AND 64)
) STRICT;
CREATE INDEX audit_by_time ON audit (at_ms, id);
)sql";

// Offline and dynamic codes (ports::CodeStore, CodeService). A code is kept as its keyed hash
// (HMAC-SHA256, adapters/sqlite/HmacCodeHasher) and the window the lock enforces, never as digits.
// `state` is what the lock or the hub saw happen; `expired` is not stored, it follows from the
// window. `clears` links a clear-one code to the timed code it clears. The hub's copy of each
// lock's offline-code table (200 slots of 6 bytes: status, type, body big-endian) lets it judge a
// code presented to it as the lock would. The wrong-code lockout per lock survives restarts.
// Removing a lock is soft, so its codes are deleted by the app when it goes.
constexpr std::string_view kOfflineCodes = R"sql(
CREATE TABLE offline_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    lock_id     INTEGER NOT NULL REFERENCES locks(id),
    type        TEXT NOT NULL
                CHECK (type IN ('dynamic', 'timed', 'one_time', 'clear_one', 'clear_all')),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    user_id     INTEGER,
    start       INTEGER NOT NULL,
    end         INTEGER CHECK (end > start),
    serial      INTEGER CHECK (serial BETWEEN 0 AND 10),
    code_hash   BLOB NOT NULL CHECK (length(code_hash) = 32),
    state       TEXT NOT NULL CHECK (state IN ('issued', 'activated', 'used', 'cleared')),
    issued_at   INTEGER NOT NULL,
    changed_at  INTEGER,
    clears      INTEGER REFERENCES offline_codes(id)
) STRICT;
CREATE INDEX offline_codes_by_lock ON offline_codes (lock_id);
CREATE TABLE offline_code_tables (
    lock_id INTEGER PRIMARY KEY REFERENCES locks(id),
    entries BLOB NOT NULL CHECK (length(entries) = 1200)
) STRICT;
CREATE TABLE lockout (
    lock_id         INTEGER PRIMARY KEY REFERENCES locks(id),
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    last_failure_ms INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL,
    level           INTEGER NOT NULL CHECK (level >= 0)
) STRICT;
)sql";

// Version 13: a password enrolled through the hub keeps the keyed hash of its PIN (never the
// PIN), so access.require_code_for_unlock can take it as the code of a remote unlock.
constexpr std::string_view kPinHashes = R"sql(
ALTER TABLE credentials ADD COLUMN pin_hash BLOB;
)sql";

// Version 14: online temporary passwords (issue 11 §6, docs/codes.md): the hub's row per password,
// what the lock must still be told (`sync`, re-sent on the next connection, so a queued operation
// survives a restart), the lock's hardware id once it confirmed the create, and the plaintext
// sealed only until then (`pin_sealed`, NULL afterwards: the keyed hash stays).
constexpr std::string_view kTempPasswords = R"sql(
CREATE TABLE temp_passwords (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    lock_id     INTEGER NOT NULL REFERENCES locks(id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    user_id     INTEGER,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL CHECK (end > start),
    uses        INTEGER NOT NULL CHECK (uses BETWEEN 0 AND 255),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    hardware_id INTEGER CHECK (hardware_id BETWEEN 0 AND 254),
    state       TEXT NOT NULL
                CHECK (state IN ('pending', 'active', 'deleting', 'gone', 'expired', 'failed')),
    sync        TEXT CHECK (sync IN ('create', 'modify', 'delete')),
    pin_sealed  BLOB,
    code_hash   BLOB NOT NULL CHECK (length(code_hash) = 32),
    error       TEXT,
    created_at  INTEGER NOT NULL,
    changed_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX temp_passwords_by_lock ON temp_passwords (lock_id);
)sql";

// The cloud link (issue 11 §9, docs/reliability.md "The cloud mirror"): `cloud_outbox` is the
// upstream's own outbox, so a down upstream never holds a row of the local one. It holds copies
// of `<lock>/event` messages, written in the transaction of the record, and the journal of codes
// the hub issued while the cloud issuer was away. Bounded like `outbox`, its overflow counted in
// meta.cloud_outbox_dropped. `issued_offline` marks such codes in offline_codes.
constexpr std::string_view kCloudLink = R"sql(
CREATE TABLE cloud_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT NOT NULL,
    payload    BLOB NOT NULL,
    qos        INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
    retained   INTEGER NOT NULL CHECK (retained IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('cloud_outbox_dropped', '0');
ALTER TABLE offline_codes ADD COLUMN issued_offline INTEGER NOT NULL DEFAULT 0
    CHECK (issued_offline IN (0, 1));
)sql";

constexpr std::array kMigrations{
    Migration{1, "core tables", kCore},
    Migration{2, "codes and lockout", kCodes},
    Migration{3, "lock store: topics, protocol version, soft removal", kLockStore},
    Migration{4, "group commit: untimed records, monotonic outbox ids, unused tables dropped",
              kGroupCommit},
    Migration{5, "per-lock link policy", kLockPolicy},
    Migration{6, "users and credentials", kUsers},
    Migration{7, "derived records (the hub's duress and arrived events)", kDerivedRecords},
    // 8 and 9 are empty: they were held for work that landed later, under 11 and 12, after
    // hubs had already migrated to 10. They stay so every database keeps its version history.
    Migration{8, "reserved (empty)", ""},
    Migration{9, "reserved (empty)", ""},
    Migration{10, "records history: query columns, indexes, records_lost and clock_drift",
              kRecordsHistory},
    Migration{11, "audit trail", kAudit},
    Migration{12, "offline codes, their per-lock tables and the wrong-code lockout", kOfflineCodes},
    Migration{13, "keyed hashes of PINs enrolled through the hub", kPinHashes},
    Migration{14, "online temporary passwords", kTempPasswords},
    Migration{15, "cloud link: the upstream's outbox and codes issued offline", kCloudLink},
};

}  // namespace

std::span<const Migration> schemaMigrations() {
    return kMigrations;
}

}  // namespace lockhub::adapters::sqlite
