#include "app/CodeService.h"

#include "app/IsoTime.h"
#include "app/JsonReader.h"
#include "app/LockMessages.h"
#include "app/Log.h"
#include "app/StoredUser.h"
#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodeIssuer.h"

namespace lockhub {
namespace {

constexpr std::string_view kCodesTag = "codes";
constexpr std::size_t kMaxNameLength = 64;

using json = nlohmann::json;

json isoTimeOrNull(const std::optional<std::int64_t>& t) {
    return t ? json(isoUtcSeconds(*t)) : json();
}

// An ISO-8601 field of a request: absent stays nullopt; present and unreadable is bad_request.
Result<std::optional<std::int64_t>> readTime(JsonReader& reader, std::string_view key) {
    std::string text;
    reader.nonEmptyString(key, text);
    if (!reader.ok() || text.empty()) {
        return std::optional<std::int64_t>();
    }
    const auto parsed = parseIsoMillis(text);
    if (!parsed) {
        return fail(Errc::BadRequest, "/" + std::string(key) +
                                          ": expected an ISO-8601 time with its offset, like "
                                          "2026-12-01T14:00:00Z or 2026-12-01T15:00:00+01:00");
    }
    return std::optional<std::int64_t>(*parsed / 1000);
}

tl::expected<domain::codes::IssuedOfflineCode, domain::codes::CodeErrc> mintOffline(
    const domain::codes::OfflineCodeIssuer& issuer, const PlannedCode& plan) {
    switch (plan.type) {
        case CodeType::Timed:
            return issuer.timed(plan.start, *plan.end);
        case CodeType::OneTime:
            return issuer.oneTime(plan.start, static_cast<std::uint32_t>(*plan.serial));
        case CodeType::ClearOne:
            return issuer.clearOne(plan.start, *plan.end);
        case CodeType::ClearAll:
            return issuer.clearAll(plan.start, static_cast<std::uint32_t>(*plan.serial));
        case CodeType::Dynamic:
            break;
    }
    return tl::unexpected(domain::codes::CodeErrc::MalformedCode);
}

// A clear-one code's plan: the window of the timed code it clears.
PlannedCode clearOnePlanFor(const ports::IssuedCode& timed) {
    PlannedCode plan;
    plan.type = CodeType::ClearOne;
    plan.start = timed.start;
    plan.end = timed.end;
    plan.notBefore = timed.start;
    plan.notAfter = timed.end;
    return plan;
}

}  // namespace

CodeService::CodeService(CodeServiceOptions options, CodeServicePorts ports, LockRegistry& registry,
                         OutboxPump& outbox, BridgeService& bridge, Unlock unlock)
    : options_(std::move(options)),
      ports_(ports),
      registry_(registry),
      ledger_(ports.codes),
      lockout_(options_.lockout, ports.codes, ports.locks, outbox, ports.scheduler,
               options_.baseTopic, options_.hubId),
      checker_(ports.codes, ports.users, ledger_, lockout_, ports.hasher, ports.scheduler),
      attributor_(ports.codes, ledger_, lockout_, ports.users),
      unlock_(std::move(unlock)) {
    bridge.addOperation("code/issue", [this](const json& body) { return issue(body); });
    bridge.addOperation("code/list", [this](const json& body) { return list(body); });
    bridge.addOperation("code/revoke", [this](const json& body) { return revoke(body); });
    bridge.addOperation("code/verify", [this](const json& body) { return verify(body); });
    registry_.subscribe({
        .added = nullptr,
        .removing =
            [this](PairedLock& lock) {
                if (auto removed = ports_.codes.removeLockCodes(lock.record.id); !removed) {
                    log::error(kCodesTag,
                               "cannot forget the lock's codes: " + removed.error().message,
                               {{"LOCK", lock.record.topic}});
                }
            },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

Result<PairedLock*> CodeService::requestedLock(JsonReader& reader, const std::string& topic) {
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    return registry_.lockCalled(topic);
}

Result<std::pair<PairedLock*, std::vector<ports::IssuedCode>>> CodeService::lockWithCodes(
    JsonReader& reader, const std::string& topic) {
    auto lock = requestedLock(reader, topic);
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto codes = ports_.codes.codes((*lock)->record.id);
    if (!codes) {
        return tl::unexpected(codes.error());
    }
    return std::pair{*lock, std::move(*codes)};
}

Result<json> CodeService::issue(const json& body, bool offline) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    for (const char* key : {"lock", "type", "name"}) {
        reader.required(key);
    }
    std::string topic;
    std::string typeName;
    std::string name;
    std::int64_t userId = 0;
    std::int64_t serial = -1;
    reader.nonEmptyString("lock", topic);
    reader.oneOf("type", {"dynamic", "timed", "one_time", "clear_one", "clear_all"}, typeName);
    reader.nonEmptyString("name", name);
    auto start = readTime(reader, "start");
    auto end = readTime(reader, "end");
    reader.integer("user", 1, INT64_MAX, userId);
    reader.integer("serial", 0, domain::codes::OfflineCodePlaintext::kMaxSerial, serial);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    if (!start || !end) {
        return tl::unexpected(!start ? start.error() : end.error());
    }
    if (name.size() > kMaxNameLength) {
        return fail(Errc::BadRequest, "/name: at most 64 characters");
    }
    auto lock = registry_.lockCalled(topic);
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto user = storedUser(ports_.users, userId > 0 ? std::optional(userId) : std::nullopt);
    if (!user) {
        return tl::unexpected(user.error());
    }
    const CodeRequest request{*parseCodeType(typeName), *start, *end,
                              serial >= 0 ? std::optional(serial) : std::nullopt};
    if (options_.requireClockSync && !ports_.clock.synchronised()) {
        return fail(Errc::ClockUnsynchronised,
                    "the hub clock is not synchronised (NTP), so it cannot mint codes that "
                    "depend on the time");
    }
    const auto& record = (*lock)->record;
    if (request.type != CodeType::Dynamic && !record.t0) {
        return fail(Errc::T0Unknown, "the hub does not know the T0 of " + record.topic +
                                         "; pair it with codes.issuer \"hub\" or set it with "
                                         "lock/update");
    }
    auto existing = ports_.codes.codes(record.id);
    if (!existing) {
        return tl::unexpected(existing.error());
    }
    const auto t0 =
        record.t0 ? std::optional(static_cast<std::uint32_t>(*record.t0)) : std::nullopt;
    auto plan = planCode(request, t0, ports_.scheduler.unixSeconds(), *existing);
    if (!plan) {
        return tl::unexpected(plan.error());
    }
    return mint(**lock, *plan, name, *user, std::nullopt, offline);
}

Result<json> CodeService::mint(PairedLock& lock, const PlannedCode& plan, const std::string& name,
                               const std::optional<ports::User>& user,
                               std::optional<std::int64_t> clears, bool offline) {
    const auto loginKey = loginKeyOf(lock);
    tl::expected<SecretString, domain::codes::CodeErrc> code =
        tl::unexpected(domain::codes::CodeErrc::MalformedCode);
    if (plan.type == CodeType::Dynamic) {
        code = domain::codes::generateDynamicCode(loginKey, ports_.scheduler.unixSeconds());
    } else {
        auto issuer = domain::codes::OfflineCodeIssuer::create(
            loginKey, static_cast<std::uint32_t>(*lock.record.t0));
        auto minted = issuer
                          ? mintOffline(*issuer, plan)
                          : tl::expected<domain::codes::IssuedOfflineCode, domain::codes::CodeErrc>(
                                tl::unexpected(issuer.error()));
        if (minted) {
            code = std::move(minted->code);
        } else {
            code = tl::unexpected(minted.error());
        }
    }
    if (!code) {
        return tl::unexpected(domain::codes::toError(code.error()));
    }
    ports::IssuedCode issued;
    issued.lockId = lock.record.id;
    issued.type = std::string(codeTypeName(plan.type));
    issued.name = name;
    issued.userId = user ? std::optional(user->id) : std::nullopt;
    issued.start = plan.start;
    issued.end = plan.end;
    issued.serial = plan.serial;
    issued.hash = ports_.hasher.hash(*code);
    issued.issuedAt = ports_.scheduler.unixSeconds();
    issued.clears = clears;
    issued.issuedOffline = offline;
    auto stored = ports_.codes.addCode(std::move(issued));
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    log::info(kCodesTag, "issued " + stored->type + " code " + std::to_string(stored->id),
              {{"LOCK", lock.record.topic}});
    json response = describe(*stored, ports_.scheduler.unixSeconds());
    response["code"] = code->reveal();
    response["validity"] = validityJson(plan);
    response["rules"] = guestRules(plan);
    response["alignment"] = plan.alignment ? json(*plan.alignment) : json();
    const auto drift = driftOf_ ? driftOf_(lock.record.id) : std::nullopt;
    if (const auto warning = drift ? driftWarning(plan.type, *drift) : std::nullopt) {
        response["clock_warning"] = *warning;
    }
    return response;
}

json CodeService::describe(const ports::IssuedCode& code, std::int64_t at) {
    json entry = {{"id", code.id},
                  {"lock", registry_.byId(code.lockId) ? registry_.byId(code.lockId)->record.topic
                                                       : std::string()},
                  {"type", code.type},
                  {"name", code.name}};
    entry["user"] = json();
    if (code.userId) {
        entry["user"] = {{"id", *code.userId}};
        if (auto user = storedUser(ports_.users, code.userId); user && *user) {
            entry["user"]["name"] = (*user)->name;
        }
    }
    entry["window"] = {{"start", isoUtcSeconds(code.start)}, {"end", isoTimeOrNull(code.end)}};
    entry["serial"] = code.serial ? json(*code.serial) : json();
    const auto state = CodeLedger::stateAt(code, at);
    entry["state"] = state == "issued" && code.issuedOffline ? "issued_offline" : state;
    entry["issued_at"] = isoUtcSeconds(code.issuedAt);
    entry["changed_at"] = isoTimeOrNull(code.changedAt);
    entry["clears"] = code.clears ? json(*code.clears) : json();
    return entry;
}

Result<json> CodeService::list(const json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("lock");
    std::string topic;
    std::string state;
    reader.nonEmptyString("lock", topic);
    reader.oneOf("state", {"issued", "activated", "used", "cleared", "expired", "issued_offline"},
                 state);
    auto lockCodes = lockWithCodes(reader, topic);
    if (!lockCodes) {
        return tl::unexpected(lockCodes.error());
    }
    auto& [lock, codes] = *lockCodes;
    const auto at = ports_.scheduler.unixSeconds();
    json listed = json::array();
    for (const auto& code : codes) {
        auto entry = describe(code, at);
        if (state.empty() || entry["state"] == state) {
            listed.push_back(std::move(entry));
        }
    }
    return json{{"lock", topic}, {"t0", isoTimeOrNull(lock->record.t0)}, {"codes", listed}};
}

Result<json> CodeService::revoke(const json& body) {
    if (body.is_object() && body.contains("temp_password")) {
        return revokeTempPassword(body);
    }
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("lock");
    reader.required("id");
    std::string topic;
    std::int64_t id = 0;
    reader.nonEmptyString("lock", topic);
    reader.integer("id", 1, INT64_MAX, id);
    auto lockCodes = lockWithCodes(reader, topic);
    if (!lockCodes) {
        return tl::unexpected(lockCodes.error());
    }
    auto& [lock, codes] = *lockCodes;
    const auto found = std::find_if(codes.begin(), codes.end(),
                                    [&](const ports::IssuedCode& code) { return code.id == id; });
    if (found == codes.end()) {
        return fail(Errc::NotFound, "lock " + topic + " has no code " + std::to_string(id));
    }
    if (found->type != "timed") {
        return fail(Errc::Conflict,
                    "a " + found->type +
                        " code cannot be revoked: the lock can only clear a timed code it has "
                        "accepted, and nothing reaches a lock's offline codes remotely");
    }
    const auto state = CodeLedger::stateAt(*found, ports_.scheduler.unixSeconds());
    if (state == "cleared" || state == "expired") {
        return fail(Errc::Conflict, "code " + std::to_string(id) + " is already " + state);
    }
    if (options_.requireClockSync && !ports_.clock.synchronised()) {
        return fail(Errc::ClockUnsynchronised,
                    "the hub clock is not synchronised (NTP), so it cannot mint codes that "
                    "depend on the time");
    }
    auto user = storedUser(ports_.users, found->userId);
    auto response = mint(*lock, clearOnePlanFor(*found), "clear " + found->name,
                         user ? *user : std::nullopt, found->id);
    if (response) {
        (*response)["revokes"] = found->id;
    }
    return response;
}

Result<json> CodeService::revokeTempPassword(const json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("lock");
    std::string topic;
    std::int64_t id = 0;
    reader.nonEmptyString("lock", topic);
    reader.integer("temp_password", 1, INT64_MAX, id);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    if (!revokeTempPassword_) {
        return fail(Errc::Unavailable, "this hub keeps no temporary passwords");
    }
    return revokeTempPassword_(json{{"lock", topic}, {"id", id}});
}

Result<json> CodeService::verify(const json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.required("lock");
    reader.required("code");
    std::string topic;
    std::string digits;
    bool unlock = false;
    reader.nonEmptyString("lock", topic);
    reader.nonEmptyString("code", digits);
    reader.boolean("unlock", unlock);
    auto lock = requestedLock(reader, topic);
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto outcome = checker_.check(**lock, SecretString(std::move(digits)), "code/verify");
    if (!outcome) {
        return tl::unexpected(outcome.error());
    }
    const auto at = ports_.scheduler.unixSeconds();
    json response = {{"lock", topic}, {"valid", true}, {"result", outcome->result}};
    response["code"] = outcome->codes.size() == 1 ? describe(outcome->codes.front(), at) : json();
    if (outcome->codes.size() > 1) {
        response["candidates"] = json::array();
        for (const auto& code : outcome->codes) {
            response["candidates"].push_back(describe(code, at));
        }
    }
    response["cleared"] = json::array();
    for (const auto& code : outcome->cleared) {
        response["cleared"].push_back(code.id);
    }
    response["unlock"] = json();
    if (unlock && outcome->opens) {
        unlock_(**lock, body.value("transaction", json()));
        response["unlock"] = "requested";
    } else if (unlock) {
        response["unlock"] = "not_an_unlock_code";
    }
    return response;
}

Result<CodeMatch> CodeService::check(std::int64_t lockId, const SecretString& code,
                                     std::string_view source) {
    PairedLock* lock = registry_.byId(lockId);
    if (lock == nullptr) {
        return fail(Errc::NotFound, "no paired lock has id " + std::to_string(lockId));
    }
    auto outcome = checker_.check(*lock, code, source, CodeChecker::Scope::AlsoEnrolled);
    if (!outcome) {
        return tl::unexpected(outcome.error());
    }
    if (!outcome->opens) {
        return fail(Errc::AuthFailed, "a clear code does not unlock");
    }
    CodeMatch match;
    if (outcome->pin) {
        auto owner = storedUser(ports_.users, outcome->pin->userId);
        if (!owner) {
            return tl::unexpected(owner.error());
        }
        match.type = "pin";
        match.name = *owner ? (*owner)->name : std::string();
        match.userId = outcome->pin->userId;
        return match;
    }
    match.type = outcome->codes.empty() ? (code.reveal().size() == 8 ? "dynamic" : "offline")
                                        : outcome->codes.front().type;
    if (outcome->codes.size() == 1) {
        const auto& issued = outcome->codes.front();
        match.codeId = issued.id;
        match.name = issued.name;
        match.userId = issued.userId;
    }
    return match;
}

}  // namespace lockhub
