#include "app/TempPasswordService.h"

#include <algorithm>

#include "app/IsoTime.h"
#include "app/Json.h"
#include "app/JsonReader.h"
#include "app/LockMessages.h"
#include "app/Log.h"
#include "app/StoredUser.h"
#include "domain/lock/TempPasswordDps.h"

namespace lockhub {
namespace {

using nlohmann::json;

constexpr std::string_view kTempPasswordsTag = "temp_passwords";
constexpr std::size_t kMaxTempNameLength = 64;
constexpr std::int64_t kMaxTempHardwareId = 0xFE;
// The validity block holds 32-bit Unix seconds.
constexpr std::int64_t kLatestTime = 0xFFFFFFFF;

// The one place the password of a request is read (a sealed field opens here, design §4).
SecretString readPassword(JsonReader& reader) {
    std::string password;
    reader.string("password", password);
    return SecretString(std::move(password));
}

Result<void> checkPassword(const SecretString& password) {
    const std::string& digits = password.reveal();
    if (digits.size() < domain::kMinTempPasswordDigits ||
        digits.size() > domain::kMaxTempPasswordDigits ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return fail(Errc::BadRequest,
                    "/password: expected " + std::to_string(domain::kMinTempPasswordDigits) +
                        " to " + std::to_string(domain::kMaxTempPasswordDigits) + " digits 0-9");
    }
    return {};
}

// An ISO-8601 instant as UTC Unix seconds; nullopt when the key is absent.
Result<std::optional<std::int64_t>> readTime(JsonReader& reader, const json& body,
                                             std::string_view key) {
    std::string text;
    reader.nonEmptyString(key, text);
    if (!reader.ok() || !body.contains(key)) {
        return std::optional<std::int64_t>();
    }
    const auto parsed = parseIsoMillis(text);
    if (!parsed || *parsed / 1000 > kLatestTime) {
        return fail(Errc::BadRequest, "/" + std::string(key) +
                                          ": expected an ISO-8601 time with its offset before "
                                          "2106, like 2026-12-01T14:00:00Z");
    }
    return std::optional<std::int64_t>(*parsed / 1000);
}

// The keys create and modify share; absent ones keep their defaults.
struct PasswordFields {
    std::string name;
    SecretString password;
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> end;
    std::int64_t uses = 0;
    std::int64_t userId = 0;  // 0: no user given
};

// Reads the shared keys after the one that names the password (lock or id), in the order that
// decides which error a request with several faults gets, and ends the reading. The password is
// checked when the request sets one (`newPassword`).
Result<PasswordFields> readFields(JsonReader& reader, const json& body, std::int64_t unsetUses,
                                  bool newPassword) {
    PasswordFields fields;
    fields.uses = unsetUses;
    reader.nonEmptyString("name", fields.name);
    fields.password = readPassword(reader);
    auto start = readTime(reader, body, "start");
    auto end = readTime(reader, body, "end");
    reader.integer("uses", 0, domain::kMaxTempPasswordUses, fields.uses);
    reader.integer("user", 1, INT64_MAX, fields.userId);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    if (!start || !end) {
        return tl::unexpected(!start ? start.error() : end.error());
    }
    if (newPassword) {
        if (auto ok = checkPassword(fields.password); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    if (fields.name.size() > kMaxTempNameLength) {
        return fail(Errc::BadRequest, "/name: at most 64 characters");
    }
    fields.start = *start;
    fields.end = *end;
    return fields;
}

// Valid: counts toward the lock's limit and may be used at the door.
bool valid(const ports::TempPassword& row) {
    return row.state == "pending" || row.state == "active";
}

bool holdsDigits(const ports::TempPassword& row, const std::vector<std::uint8_t>& hash) {
    return valid(row) && constantTimeEquals(row.hash, hash);
}

}  // namespace

TempPasswordService::TempPasswordService(TempPasswordServiceOptions options,
                                         TempPasswordServicePorts ports, LockRegistry& registry,
                                         ports::Broker& broker, BridgeService& bridge)
    : options_(std::move(options)), ports_(ports), registry_(registry), broker_(broker) {
    bridge.addOperation("temp_password/create", [this](const json& body) { return create(body); });
    bridge.addOperation("temp_password/modify", [this](const json& body) { return modify(body); });
    bridge.addOperation("temp_password/delete", [this](const json& body) { return remove(body); });
    bridge.addOperation("temp_password/list", [this](const json& body) { return list(body); });
    registry_.subscribe({
        .added =
            [this](PairedLock& lock) {
                topics_[lock.record.id] = lock.record.topic;
                // Operations queued before a restart: a sleeping lock is called for them.
                auto rows = ports_.store.tempPasswords(lock.record.id);
                if (rows && std::any_of(rows->begin(), rows->end(),
                                        [](const auto& row) { return !row.sync.empty(); })) {
                    const auto lockId = lock.record.id;
                    ports_.scheduler.after(std::chrono::milliseconds(0), [this, lockId] {
                        if (PairedLock* found = registry_.byId(lockId)) {
                            found->link->wake();
                        }
                    });
                }
            },
        .removing =
            [this](PairedLock& lock) {
                endInFlight(lock.record.id);
                if (auto removed = ports_.store.removeLockTempPasswords(lock.record.id); !removed) {
                    log::error(kTempPasswordsTag,
                               "cannot forget the removed lock's temporary passwords: " +
                                   removed.error().message,
                               {{"LOCK", lock.record.topic}});
                }
            },
        .report = nullptr,
        .ready = [this](PairedLock& lock) { sendNext(lock); },
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

TempPasswordService::~TempPasswordService() {
    for (auto& [lockId, sent] : inFlight_) {
        ports_.scheduler.cancel(sent.deadline);
    }
}

Result<PairedLock*> TempPasswordService::lockCalled(const std::string& topic) {
    auto lock = registry_.lockCalled(topic);
    if (lock && !(*lock)->encoder.dpOf(domain::DpRole::TempPasswordCreate)) {
        return fail(Errc::Unavailable,
                    "profile " + (*lock)->record.profile + " has no temporary passwords");
    }
    return lock;
}

Result<std::vector<ports::TempPassword>> TempPasswordService::rowsOf(std::int64_t lockId) {
    auto rows = ports_.store.tempPasswords(lockId);
    if (!rows) {
        return rows;
    }
    const auto at = ports_.scheduler.unixSeconds();
    for (auto& row : *rows) {
        if (!valid(row) || row.end > at) {
            continue;
        }
        row.state = "expired";
        // The lock stops honouring it by itself but keeps its slot: delete it there.
        row.sync = row.hardwareId ? "delete" : "";
        row.pin.reset();
        if (auto saved = save(row); !saved) {
            return tl::unexpected(saved.error());
        }
    }
    return rows;
}

Result<ports::TempPassword> TempPasswordService::rowCalled(std::int64_t id, PairedLock*& lock) {
    for (PairedLock* candidate : registry_.all()) {
        auto rows = rowsOf(candidate->record.id);
        if (!rows) {
            return tl::unexpected(rows.error());
        }
        for (auto& row : *rows) {
            if (row.id == id && row.state != "gone") {
                lock = candidate;
                return row;
            }
        }
    }
    return fail(Errc::NotFound, "no temporary password has id " + std::to_string(id));
}

Result<void> TempPasswordService::save(ports::TempPassword& row) {
    row.changedAt = ports_.scheduler.unixSeconds();
    if (auto saved = ports_.store.updateTempPassword(row); !saved) {
        return saved;
    }
    publish(row);
    return {};
}

json TempPasswordService::describe(const ports::TempPassword& row) {
    const auto topic = topics_.find(row.lockId);
    json entry = {
        {"id", row.id},
        {"lock", topic != topics_.end() ? topic->second : std::string()},
        {"name", row.name},
        {"user", nullptr},
        {"window", {{"start", isoUtcSeconds(row.start)}, {"end", isoUtcSeconds(row.end)}}},
        {"uses", row.uses},
        {"revision", row.revision},
        {"hardware_id", row.hardwareId ? json(*row.hardwareId) : json()},
        {"state", row.state},
        {"queued", row.sync.empty() ? json() : json(row.sync)},
        {"error", row.error ? json(*row.error) : json()},
        {"created_at", isoUtcSeconds(row.createdAt)},
        {"changed_at", isoUtcSeconds(row.changedAt)}};
    if (row.userId) {
        entry["user"] = {{"id", *row.userId}};
        if (auto user = storedUser(ports_.users, row.userId); user && *user) {
            entry["user"]["name"] = (*user)->name;
        }
    }
    return entry;
}

Result<json> TempPasswordService::create(const json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    for (const char* key : {"lock", "name", "password", "start", "end"}) {
        reader.required(key);
    }
    std::string topic;
    reader.nonEmptyString("lock", topic);
    auto fields = readFields(reader, body, 0, true);
    if (!fields) {
        return tl::unexpected(fields.error());
    }
    // Both are required, so both are here.
    const std::int64_t start = *fields->start;
    const std::int64_t end = *fields->end;
    if (end <= start) {
        return fail(Errc::BadRequest, "/end: must be after the start");
    }
    if (end <= ports_.scheduler.unixSeconds()) {
        return fail(Errc::BadRequest, "/end: already passed");
    }
    auto lock = lockCalled(topic);
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto user =
        storedUser(ports_.users, fields->userId > 0 ? std::optional(fields->userId) : std::nullopt);
    if (!user) {
        return tl::unexpected(user.error());
    }
    const auto lockId = (*lock)->record.id;
    auto rows = rowsOf(lockId);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    const auto hash = ports_.hasher.hash(fields->password);
    if (std::any_of(rows->begin(), rows->end(),
                    [&](const auto& row) { return holdsDigits(row, hash); })) {
        return fail(Errc::Conflict, "lock \"" + topic +
                                        "\" already has a valid temporary password with these "
                                        "digits");
    }
    const auto validCount = std::count_if(rows->begin(), rows->end(), valid);
    if (static_cast<std::size_t>(validCount) >= kMaxValid) {
        return fail(Errc::LimitReached, "lock \"" + topic + "\" already has " +
                                            std::to_string(kMaxValid) +
                                            " valid temporary passwords; delete one first");
    }
    ports::TempPassword row;
    row.lockId = lockId;
    row.name = fields->name;
    row.userId = *user ? std::optional((*user)->id) : std::nullopt;
    row.start = start;
    row.end = end;
    row.uses = fields->uses;
    row.sync = "create";
    row.pin = std::move(fields->password);
    row.hash = hash;
    row.createdAt = row.changedAt = ports_.scheduler.unixSeconds();
    auto stored = ports_.store.addTempPassword(std::move(row));
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    log::info(kTempPasswordsTag, "temporary password " + std::to_string(stored->id) + " queued",
              {{"LOCK", topic}});
    publish(*stored);
    auto response = describe(*stored);
    sendNext(**lock);
    return response;
}

Result<json> TempPasswordService::modify(const json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("id");
    std::int64_t id = 0;
    reader.integer("id", 1, INT64_MAX, id);
    const bool newPassword = body.contains("password");
    // uses -1: the row's stay.
    auto fields = readFields(reader, body, -1, newPassword);
    if (!fields) {
        return tl::unexpected(fields.error());
    }
    PairedLock* lock = nullptr;
    auto row = rowCalled(id, lock);
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!valid(*row)) {
        return fail(Errc::Conflict, "temporary password " + std::to_string(id) + " is " +
                                        row->state + "; create a new one");
    }
    auto user =
        storedUser(ports_.users, fields->userId > 0 ? std::optional(fields->userId) : std::nullopt);
    if (!user) {
        return tl::unexpected(user.error());
    }
    ports::TempPassword changed = *row;
    changed.name = body.contains("name") ? fields->name : row->name;
    changed.start = fields->start.value_or(row->start);
    changed.end = fields->end.value_or(row->end);
    changed.uses = fields->uses >= 0 ? fields->uses : row->uses;
    if (*user) {
        changed.userId = (*user)->id;
    }
    if (changed.end <= changed.start) {
        return fail(Errc::BadRequest, "/end: must be after the start");
    }
    if (changed.end <= ports_.scheduler.unixSeconds()) {
        return fail(Errc::BadRequest, "/end: already passed");
    }
    const bool lockSide = newPassword || changed.start != row->start || changed.end != row->end ||
                          changed.uses != row->uses;
    if (!lockSide && changed.name == row->name && changed.userId == row->userId) {
        return fail(Errc::BadRequest,
                    "nothing to change: give name, password, start, end, uses "
                    "or user");
    }
    if (newPassword) {
        auto rows = rowsOf(lock->record.id);
        if (!rows) {
            return tl::unexpected(rows.error());
        }
        changed.hash = ports_.hasher.hash(fields->password);
        if (std::any_of(rows->begin(), rows->end(), [&](const auto& other) {
                return other.id != id && holdsDigits(other, changed.hash);
            })) {
            return fail(Errc::Conflict, "lock \"" + lock->record.topic +
                                            "\" already has a valid temporary password with "
                                            "these digits");
        }
        changed.pin = std::move(fields->password);
    }
    if (lockSide && !changed.pin) {
        // DP 53 carries the password, and the hub no longer has it once the lock confirmed it.
        return fail(Errc::BadRequest,
                    "/password: changing the window or the uses rewrites the password at the "
                    "lock; send the password (the same or a new one)");
    }
    ++changed.revision;
    if (lockSide && changed.sync != "create") {
        changed.sync = "modify";
        changed.state = "pending";
    }
    changed.error.reset();
    if (auto saved = save(changed); !saved) {
        return tl::unexpected(saved.error());
    }
    auto response = describe(changed);
    sendNext(*lock);
    return response;
}

Result<json> TempPasswordService::remove(const json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("id");
    std::int64_t id = 0;
    std::string topic;
    reader.integer("id", 1, INT64_MAX, id);
    reader.nonEmptyString("lock", topic);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    PairedLock* lock = nullptr;
    auto row = rowCalled(id, lock);
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!topic.empty() && lock->record.topic != topic) {
        return fail(Errc::NotFound,
                    "lock " + topic + " has no temporary password " + std::to_string(id));
    }
    if (row->state == "deleting") {
        return describe(*row);  // already on its way out
    }
    const auto sent = inFlight_.find(lock->record.id);
    const bool creating =
        sent != inFlight_.end() && sent->second.rowId == id && sent->second.sync == "create";
    ++row->revision;
    row->pin.reset();
    if (!valid(*row)) {
        row->state = "gone";  // expired or failed: a deletion still queued goes ahead
    } else if (row->hardwareId || creating) {
        row->sync = "delete";
        row->state = "deleting";
    } else {
        row->sync.clear();  // the lock never had it
        row->state = "gone";
    }
    if (auto saved = save(*row); !saved) {
        return tl::unexpected(saved.error());
    }
    auto response = describe(*row);
    sendNext(*lock);
    return response;
}

Result<json> TempPasswordService::list(const json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("lock");
    std::string topic;
    reader.nonEmptyString("lock", topic);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    auto lock = lockCalled(topic);
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto rows = rowsOf((*lock)->record.id);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    json listed = json::array();
    std::size_t validCount = 0;
    for (const auto& row : *rows) {
        if (row.state != "gone") {
            listed.push_back(describe(row));
            validCount += valid(row) ? 1 : 0;
        }
    }
    sendNext(**lock);  // expired ones may have been queued for deletion
    return json{{"lock", topic},
                {"temp_passwords", std::move(listed)},
                {"valid", validCount},
                {"max_valid", kMaxValid}};
}

void TempPasswordService::sendNext(PairedLock& lock) {
    const auto lockId = lock.record.id;
    if (inFlight_.contains(lockId)) {
        return;
    }
    auto rows = ports_.store.tempPasswords(lockId);
    if (!rows) {
        log::error(kTempPasswordsTag,
                   "cannot read the queued temporary passwords: " + rows.error().message,
                   {{"LOCK", lock.record.topic}});
        return;
    }
    // Deletions first: they free the lock's slots for the creations behind them.
    auto next = std::find_if(rows->begin(), rows->end(),
                             [](const auto& row) { return row.sync == "delete"; });
    if (next == rows->end()) {
        next = std::find_if(rows->begin(), rows->end(),
                            [](const auto& row) { return !row.sync.empty(); });
    }
    if (next == rows->end()) {
        return;
    }
    if (lock.link->state() != LinkState::Ready) {
        lock.link->wake();  // its next connection (`ready`) sends it
        return;
    }
    ports::TempPassword& row = *next;
    const auto role = row.sync == "create"   ? domain::DpRole::TempPasswordCreate
                      : row.sync == "modify" ? domain::DpRole::TempPasswordModify
                                             : domain::DpRole::TempPasswordDelete;
    const auto dp = lock.encoder.dpOf(role);
    Result<std::vector<std::uint8_t>> payload = fail(Errc::Unavailable, "");
    const bool idFits =
        row.hardwareId && *row.hardwareId >= 0 && *row.hardwareId <= kMaxTempHardwareId;
    const auto hardwareId = static_cast<std::uint8_t>(idFits ? *row.hardwareId : 0);
    if (!dp) {
        payload = fail(Errc::Unavailable, "profile " + lock.record.profile + " has no " +
                                              std::string(domain::dpRoleName(role)) + " dp");
    } else if (row.sync == "delete") {
        payload = domain::encodeTempPasswordDelete(hardwareId);
    } else if (!row.pin || (row.sync == "modify" && !idFits)) {
        payload = fail(Errc::Internal, "the hub lost what it must send");
    } else {
        const domain::TempPasswordBody sentBody{static_cast<std::uint32_t>(row.start),
                                                static_cast<std::uint32_t>(row.end),
                                                static_cast<std::uint8_t>(row.uses), *row.pin};
        payload = row.sync == "create" ? domain::encodeTempPasswordCreate(sentBody)
                                       : domain::encodeTempPasswordModify(hardwareId, sentBody);
    }
    if (!payload) {
        // Nothing will make it sendable: end it instead of retrying at every connection.
        log::error(kTempPasswordsTag,
                   "temporary password " + std::to_string(row.id) + ": " + payload.error().message,
                   {{"LOCK", lock.record.topic}});
        row.sync.clear();
        row.pin.reset();
        row.state = "failed";
        row.error = payload.error().message;
        if (auto saved = save(row); saved) {
            sendNext(lock);
        }
        return;
    }
    InFlight sent{row.id, row.sync, row.start, row.end, row.uses, row.hash, *dp, false, 0};
    const auto rowId = row.id;
    sent.deadline = ports_.scheduler.after(options_.timeout, [this, lockId, rowId] {
        auto found = inFlight_.find(lockId);
        if (found != inFlight_.end() && found->second.rowId == rowId) {
            found->second.deadline = 0;
            log::warning(kTempPasswordsTag,
                         "the lock did not answer for temporary password " + std::to_string(rowId) +
                             "; sent again on its next connection",
                         {{"LOCK", topics_[lockId]}});
            endInFlight(lockId);
        }
    });
    inFlight_[lockId] = sent;
    std::weak_ptr<bool> alive = alive_;
    lock.link->submit({protocol::tuya::Dp::raw(*dp, std::move(*payload))}, options_.timeout,
                      [this, alive, lockId, rowId](const CommandResult& result) {
                          if (!alive.expired()) {
                              written(lockId, rowId, result);
                          }
                      });
}

void TempPasswordService::written(std::int64_t lockId, std::int64_t rowId,
                                  const CommandResult& result) {
    auto found = inFlight_.find(lockId);
    if (found == inFlight_.end() || found->second.rowId != rowId) {
        return;
    }
    if (result.outcome == CommandResult::Outcome::Ok) {
        found->second.written = true;
        return;
    }
    log::info(kTempPasswordsTag,
              "temporary password " + std::to_string(rowId) + " not written (" +
                  std::string(outcomeName(result.outcome)) +
                  "); it waits for the lock's next connection",
              {{"LOCK", topics_[lockId]}});
    endInFlight(lockId);
    if (PairedLock* lock = registry_.byId(lockId)) {
        lock->link->wake();  // keep calling; an unreachable lock is tried again when it is seen
    }
}

void TempPasswordService::endInFlight(std::int64_t lockId) {
    auto found = inFlight_.find(lockId);
    if (found == inFlight_.end()) {
        return;
    }
    ports_.scheduler.cancel(found->second.deadline);
    inFlight_.erase(found);
}

void TempPasswordService::onReply(PairedLock& lock, std::uint8_t dp,
                                  const domain::CommandReply& reply) {
    auto found = inFlight_.find(lock.record.id);
    if (found == inFlight_.end() || !found->second.written || found->second.dp != dp ||
        reply.echo.size() != 1) {
        log::info(kTempPasswordsTag,
                  "dp " + std::to_string(dp) + " answers no waiting temporary password",
                  {{"LOCK", lock.record.topic}});
        return;
    }
    const InFlight sent = found->second;
    endInFlight(lock.record.id);
    settle(lock, sent, reply);
    sendNext(lock);
}

void TempPasswordService::settle(PairedLock& lock, const InFlight& sent,
                                 const domain::CommandReply& reply) {
    auto rows = ports_.store.tempPasswords(lock.record.id);
    if (!rows) {
        log::error(kTempPasswordsTag, "cannot record the lock's answer: " + rows.error().message,
                   {{"LOCK", lock.record.topic}});
        return;
    }
    auto row = std::find_if(rows->begin(), rows->end(),
                            [&](const auto& candidate) { return candidate.id == sent.rowId; });
    if (row == rows->end()) {
        return;
    }
    const std::uint8_t hardwareId = reply.echo.front();
    if (sent.sync != "create" && (!row->hardwareId || *row->hardwareId != hardwareId)) {
        log::warning(
            kTempPasswordsTag,
            "the lock answered for hardware id " + std::to_string(hardwareId) + " instead; dropped",
            {{"LOCK", lock.record.topic}});
        return;
    }
    row->error.reset();
    if (sent.sync == "create") {
        if (!reply.ok()) {
            row->state = row->sync == "delete" ? "gone" : "failed";
            row->sync.clear();
            row->pin.reset();
            row->error = reply.reason;
        } else {
            row->hardwareId = hardwareId;
            if (row->sync == "create" && changedSince(*row, sent)) {
                row->sync = "modify";  // changed while the create was under way
            } else if (row->sync == "create") {
                row->sync.clear();
                row->state = "active";
                row->pin.reset();
            } else if (row->sync.empty()) {
                row->sync = "delete";  // it expired on the way: the lock must not keep it
            }
        }
    } else if (sent.sync == "modify") {
        if (row->sync == "modify" && !changedSince(*row, sent)) {
            if (reply.ok()) {
                row->sync.clear();
                row->state = "active";
                row->pin.reset();
            } else {
                // The lock keeps the old version; the hub no longer stands behind it.
                row->sync = "delete";
                row->state = "deleting";
                row->pin.reset();
                row->error = "modify refused: " + reply.reason;
            }
        }
    } else if (row->sync == "delete") {
        // Result 1 means the lock does not have it, which ends it as well.
        row->sync.clear();
        if (row->state != "expired") {
            row->state = "gone";
        }
        if (!reply.ok()) {
            row->error = "the lock answered " + reply.reason;
        }
    }
    log::info(kTempPasswordsTag, "temporary password " + std::to_string(row->id) + " " + row->state,
              {{"LOCK", lock.record.topic}});
    if (auto saved = save(*row); !saved) {
        log::error(kTempPasswordsTag, "cannot record the lock's answer: " + saved.error().message,
                   {{"LOCK", lock.record.topic}});
    }
}

bool TempPasswordService::changedSince(const ports::TempPassword& row, const InFlight& sent) {
    return row.start != sent.start || row.end != sent.end || row.uses != sent.uses ||
           row.hash != sent.hash;
}

void TempPasswordService::publish(const ports::TempPassword& row) {
    const auto topic = topics_.find(row.lockId);
    if (topic == topics_.end()) {
        return;
    }
    const auto nowMs = ports_.scheduler.unixMillis();
    // Ordered: the keys read in the documented order.
    const nlohmann::ordered_json event = {
        {"event", "temp_password"},
        {"id", row.id},
        {"name", row.name},
        {"state", row.state},
        {"revision", row.revision},
        {"hardware_id",
         row.hardwareId ? nlohmann::ordered_json(*row.hardwareId) : nlohmann::ordered_json()},
        {"queued", row.sync.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(row.sync)},
        {"error", row.error ? nlohmann::ordered_json(*row.error) : nlohmann::ordered_json()},
        {"hub_time", isoUtcMillis(nowMs)},
    };
    broker_.publish(options_.baseTopic + "/" + topic->second + "/event", toJson(event), 1, false);
}

std::optional<AttributedCodes> TempPasswordService::unlockedBy(const PairedLock& lock,
                                                               std::uint32_t hardwareId) {
    auto rows = ports_.store.tempPasswords(lock.record.id);
    if (!rows) {
        log::error(kTempPasswordsTag,
                   "cannot attribute a temporary-password unlock: " + rows.error().message,
                   {{"LOCK", lock.record.topic}});
        return AttributedCodes{};
    }
    // Hardware ids are reused once a password is gone: the newest row that had it.
    auto row = std::find_if(rows->rbegin(), rows->rend(), [hardwareId](const auto& candidate) {
        return candidate.hardwareId && *candidate.hardwareId == hardwareId;
    });
    if (row == rows->rend()) {
        return AttributedCodes{};
    }
    AttributedCodes attributed;
    attributed.codes.matched.push_back({row->id, row->name, "temporary"});
    if (auto user = storedUser(ports_.users, row->userId); user && *user) {
        attributed.user = EventUser{(*user)->id, (*user)->name};
    }
    return attributed;
}

}  // namespace lockhub
