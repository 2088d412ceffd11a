#include "app/EnrolmentService.h"

#include <algorithm>

#include "app/Json.h"
#include "app/JsonReader.h"
#include "app/LockMessages.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kEnrolmentTag = "enrolment";
constexpr std::int64_t kDefaultTimeoutS = 60;
constexpr std::int64_t kMaxTimeoutS = 300;
constexpr std::size_t kMinPinDigits = 4;
constexpr auto kCancelDeadline = std::chrono::seconds(10);
using std::chrono::duration_cast;
using std::chrono::milliseconds;

bool digitsOnly(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

nlohmann::ordered_json orNull(const auto& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

EnrolmentService::EnrolmentService(std::string baseTopic, LockRegistry& registry,
                                   UserDirectory& users, const ports::CodeHasher& hasher,
                                   ports::Broker& broker, ports::Scheduler& scheduler,
                                   BridgeService& bridge)
    : baseTopic_(std::move(baseTopic)),
      registry_(registry),
      users_(users),
      hasher_(hasher),
      broker_(broker),
      scheduler_(scheduler) {
    bridge.addAsyncOperation("credential/enrol", [this](const auto& body, auto respond) {
        enrol(body, std::move(respond));
    });
    bridge.addOperation("credential/enrol_cancel",
                        [this](const nlohmann::json& body) { return cancel(body); });
    registry_.subscribe({
        .added = nullptr,
        .removing =
            [this](PairedLock& lock) {
                if (running_.contains(lock.record.id)) {
                    finish(lock.record.id, "failed",
                           fail(Errc::Unavailable, "the lock was removed"), std::nullopt,
                           "lock_removed");
                }
            },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

EnrolmentService::~EnrolmentService() {
    for (auto& [lockId, enrolment] : running_) {
        scheduler_.cancel(enrolment.deadline);
        if (PairedLock* lock = registry_.byId(lockId)) {
            lock->link->releaseHold();
        }
    }
}

void EnrolmentService::enrol(const nlohmann::json& body, BridgeService::Responder respond) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    std::string lockTopic;
    std::int64_t userId = 0;
    std::string methodName;
    std::string pin;
    std::int64_t timeoutS = kDefaultTimeoutS;
    for (const char* key : {"lock", "user", "method"}) {
        reader.required(key);
    }
    reader.nonEmptyString("lock", lockTopic);
    reader.integer("user", 1, INT64_MAX, userId);
    reader.oneOf("method", {"password", "card", "fingerprint"}, methodName);
    reader.string("pin", pin);
    reader.integer("timeout_s", 1, kMaxTimeoutS, timeoutS);
    reader.rejectUnknownKeys();
    SecretString secretPin(std::move(pin));
    if (auto ok = reader.verdict(); !ok) {
        return respond(tl::unexpected(ok.error()));
    }
    const auto method = *domain::parseUnlockMethod(methodName);
    const std::string& digits = secretPin.reveal();
    if (method == domain::UnlockMethod::Password) {
        if (!body.contains("pin")) {
            return respond(fail(Errc::BadRequest, "/pin: a password needs a pin"));
        }
        if (digits.size() < kMinPinDigits || digits.size() > domain::kMaxPinDigits ||
            !digitsOnly(digits)) {
            return respond(
                fail(Errc::BadRequest, "/pin: expected " + std::to_string(kMinPinDigits) + " to " +
                                           std::to_string(domain::kMaxPinDigits) + " digits 0-9"));
        }
    } else if (body.contains("pin")) {
        return respond(fail(Errc::BadRequest, "/pin: only a password has a pin"));
    }
    auto paired = registry_.lockCalled(lockTopic);
    if (!paired) {
        return respond(tl::unexpected(paired.error()));
    }
    PairedLock* lock = *paired;
    const auto user = users_.user(userId);
    if (!user) {
        return respond(fail(Errc::NotFound, "no user has id " + std::to_string(userId)));
    }
    const std::int64_t lockId = lock->record.id;
    if (running_.contains(lockId)) {
        return respond(fail(Errc::Busy, "an enrolment already runs on lock \"" + lockTopic +
                                            "\" (enrolment " +
                                            std::to_string(running_.at(lockId).id) + ")"));
    }
    const auto dp = lock->encoder.dpOf(domain::DpRole::UnlockMethodCreate);
    if (!dp) {
        return respond(fail(Errc::Unavailable,
                            "profile " + lock->record.profile + " cannot enrol credentials"));
    }
    const auto type = *domain::credentialTypeOf(method);
    auto pinHash = method == domain::UnlockMethod::Password ? hasher_.hash(secretPin)
                                                            : std::vector<std::uint8_t>();
    auto payload = domain::encodeCreate(
        {.type = type, .memberId = domain::kHubMemberId, .pin = std::move(secretPin)});
    if (!payload) {
        return respond(fail(Errc::BadRequest, "/pin: " + payload.error().message));
    }
    Enrolment enrolment;
    enrolment.id = nextId_++;
    enrolment.lockId = lockId;
    enrolment.lockTopic = lockTopic;
    enrolment.dp = *dp;
    enrolment.method = method;
    enrolment.type = type;
    enrolment.user = *user;
    enrolment.pinHash = std::move(pinHash);
    enrolment.respond = std::move(respond);
    const auto timeout = std::chrono::seconds(timeoutS);
    const auto id = enrolment.id;
    enrolment.deadline = scheduler_.after(timeout, [this, lockId, timeoutS] {
        running_.at(lockId).deadline = 0;
        stopAtLock(lockId, "timeout",
                   {Errc::Timeout,
                    "no credential was enrolled within " + std::to_string(timeoutS) + " s"});
    });
    auto& started = running_.emplace(lockId, std::move(enrolment)).first->second;
    log::info(kEnrolmentTag, "enrolment " + std::to_string(id) + " of a " + methodName + " started",
              {{"LOCK", lockTopic}, {"USER_ID", std::to_string(userId)}});
    publish(started, "started", std::nullopt, std::nullopt);
    lock->link->hold();
    std::weak_ptr<bool> alive = alive_;
    lock->link->submit({protocol::tuya::Dp::raw(*dp, std::move(*payload))},
                       duration_cast<milliseconds>(timeout),
                       [this, alive, lockId, id](const CommandResult& result) {
                           if (!alive.expired()) {
                               written(lockId, id, result);
                           }
                       });
}

void EnrolmentService::written(std::int64_t lockId, std::int64_t id, const CommandResult& result) {
    auto found = running_.find(lockId);
    if (found == running_.end() || found->second.id != id) {
        return;  // it already ended
    }
    switch (result.outcome) {
        case CommandResult::Outcome::Ok:
            found->second.written = true;
            return;
        case CommandResult::Outcome::Rejected:
            return finish(lockId, "failed", fail(Errc::Rejected, result.reason), std::nullopt,
                          "write_refused");
        case CommandResult::Outcome::Timeout:
        case CommandResult::Outcome::Failed:
            // Its own deadline is the enrolment's: a timeout here means no link at all.
            return finish(lockId, "failed", fail(Errc::Unavailable, result.reason), std::nullopt,
                          "unreachable");
    }
}

void EnrolmentService::onReply(PairedLock& lock, std::uint8_t dp,
                               const domain::CommandReply& reply) {
    auto found = running_.find(lock.record.id);
    if (found == running_.end() || !reply.created || !found->second.written ||
        found->second.dp != dp ||
        reply.created->type != static_cast<std::uint8_t>(found->second.type) ||
        reply.created->memberId != domain::kHubMemberId) {
        log::info(kEnrolmentTag,
                  "dp " + std::to_string(dp) + " reports on no running enrolment; dropped",
                  {{"LOCK", lock.record.topic}});
        return;
    }
    progress(found->second, *reply.created, reply.reason);
}

void EnrolmentService::progress(Enrolment& enrolment, const domain::CreateReport& report,
                                const std::string& reason) {
    const auto lockId = enrolment.lockId;
    switch (static_cast<domain::CreateStage>(report.stage)) {
        case domain::CreateStage::Running:
            enrolment.count = report.count;
            publish(enrolment, "running", std::nullopt, std::nullopt);
            return;
        case domain::CreateStage::Failed:
            return finish(lockId, "failed",
                          fail(Errc::Rejected, "lock \"" + enrolment.lockTopic +
                                                   "\" refused the enrolment: " + reason),
                          std::nullopt, reason);
        case domain::CreateStage::Cancel:
            // Someone cancelled at the lock itself (the hub's own cancel ends it at once).
            return finish(lockId, "cancelled",
                          fail(Errc::Cancelled, "the enrolment was cancelled at the lock"));
        case domain::CreateStage::Complete: {
            const std::int64_t hardwareId = report.hardwareId;
            auto assigned = users_.assignEnrolled(
                {lockId, std::string(domain::unlockMethodName(enrolment.method)), hardwareId,
                 enrolment.user.id, false, enrolment.pinHash});
            if (!assigned) {
                // The lock holds it: say which id, so it can still be assigned by hand.
                return finish(
                    lockId, "failed",
                    fail(assigned.error().code,
                         "the lock enrolled " +
                             std::string(domain::unlockMethodName(enrolment.method)) + " " +
                             std::to_string(hardwareId) +
                             " but the hub could not assign it: " + assigned.error().message),
                    hardwareId, std::string(errcName(assigned.error().code)));
            }
            return finish(lockId, "complete", *assigned, hardwareId);
        }
        case domain::CreateStage::Start:
            return;
    }
}

Result<nlohmann::json> EnrolmentService::cancel(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    std::string lockTopic;
    reader.required("lock");
    reader.nonEmptyString("lock", lockTopic);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    auto paired = registry_.lockCalled(lockTopic);
    if (!paired) {
        return tl::unexpected(paired.error());
    }
    PairedLock* lock = *paired;
    if (!running_.contains(lock->record.id)) {
        return fail(Errc::NotFound, "no enrolment runs on lock \"" + lockTopic + "\"");
    }
    stopAtLock(lock->record.id, "cancelled", {Errc::Cancelled, "the enrolment was cancelled"});
    return nlohmann::json{{"cancelled", true}};
}

void EnrolmentService::stopAtLock(std::int64_t lockId, const std::string& stage,
                                  const Error& error) {
    const Enrolment& enrolment = running_.at(lockId);
    if (PairedLock* lock = registry_.byId(lockId)) {
        const std::string topic = enrolment.lockTopic;
        // The lock's answer (stage cancel) comes after the enrolment ended here and is dropped.
        lock->link->submit(
            {protocol::tuya::Dp::raw(
                enrolment.dp, domain::encodeCreateCancel(enrolment.type, domain::kHubMemberId))},
            kCancelDeadline, [topic](const CommandResult& result) {
                if (result.outcome != CommandResult::Outcome::Ok) {
                    log::warning(kEnrolmentTag,
                                 "the lock did not take the cancel: " + result.reason,
                                 {{"LOCK", topic}});
                }
            });
    }
    finish(lockId, stage, tl::unexpected(error));
}

void EnrolmentService::finish(std::int64_t lockId, const std::string& stage,
                              const Result<nlohmann::json>& result,
                              std::optional<std::int64_t> credential,
                              std::optional<std::string> reason) {
    auto found = running_.find(lockId);
    if (found == running_.end()) {
        return;
    }
    Enrolment enrolment = std::move(found->second);
    running_.erase(found);
    scheduler_.cancel(enrolment.deadline);
    if (PairedLock* lock = registry_.byId(lockId)) {
        lock->link->releaseHold();
    }
    log::info(kEnrolmentTag, "enrolment " + std::to_string(enrolment.id) + " " + stage,
              {{"LOCK", enrolment.lockTopic}});
    publish(enrolment, stage, credential, reason);
    enrolment.respond(result);
}

void EnrolmentService::publish(const Enrolment& enrolment, const std::string& stage,
                               std::optional<std::int64_t> credential,
                               std::optional<std::string> reason) {
    const auto nowMs = scheduler_.unixMillis();
    // Ordered: the keys read in the documented order.
    const nlohmann::ordered_json event = {
        {"event", "enrol_progress"},
        {"enrolment", enrolment.id},
        {"method", domain::unlockMethodName(enrolment.method)},
        {"user", {{"id", enrolment.user.id}, {"name", enrolment.user.name}}},
        {"stage", stage},
        {"count", orNull(enrolment.count)},
        {"credential", orNull(credential)},
        {"reason", orNull(reason)},
        {"hub_time", isoUtcMillis(nowMs)},
    };
    broker_.publish(baseTopic_ + "/" + enrolment.lockTopic + "/event", toJson(event), 1, false);
}

}  // namespace lockhub
