#include "app/LockService.h"

#include "app/BridgeRequest.h"
#include "app/DpConvert.h"
#include "app/JsonReader.h"
#include "app/LockServiceState.h"
#include "app/Log.h"
#include "domain/lock/EventId.h"

namespace lockhub {
namespace {

constexpr std::string_view kTag = "locks";
using std::chrono::duration_cast;
using std::chrono::milliseconds;

}  // namespace

LockService::LockService(LockServiceOptions options, ports::LockStore& store,
                         ports::BleCentral& ble, ports::Scheduler& scheduler,
                         protocol::tuya::RandomSource& random, ports::Broker& broker,
                         BridgeService& bridge)
    : options_(std::move(options)),
      store_(store),
      ble_(ble),
      scheduler_(scheduler),
      random_(random),
      broker_(broker),
      bridge_(bridge),
      slots_(options_.maxConnections),
      outbox_(store, broker) {}

LockService::~LockService() {
    *alive_ = false;
    for (auto& [mac, lock] : locks_) {
        for (auto& reply : lock->replies) {
            scheduler_.cancel(reply.timer);
        }
    }
}

std::int64_t LockService::nowMs() const {
    return duration_cast<milliseconds>(scheduler_.utcNow().time_since_epoch()).count();
}

std::string LockService::topicOf(const Lock& lock, const std::string& leaf) const {
    return options_.baseTopic + "/" + lock.record.topic + "/" + leaf;
}

LockService::Lock* LockService::findByTopic(const std::string& topic) {
    for (auto& [mac, lock] : locks_) {
        if (lock->record.topic == topic) {
            return lock.get();
        }
    }
    return nullptr;
}

LockService::Lock* LockService::findByMac(const std::string& mac) {
    auto it = locks_.find(mac);
    return it == locks_.end() ? nullptr : it->second.get();
}

LockIdentity LockService::identityOf(const ports::LockRecord& record) const {
    return {record.mac, record.uuid, record.deviceId,
            SecretString(record.localKey.reveal().substr(0, 6)),
            record.protocolVersion >= 4 ? protocol::tuya::ProtocolVersion::V4
                                        : protocol::tuya::ProtocolVersion::V3};
}

Result<void> LockService::start() {
    routeBle();
    registerOperations();
    bridge_.addSubscription(options_.baseTopic + "/+/set",
                            [this](const std::string& topic, const std::string& payload) {
                                return onSet(topic, payload);
                            });
    bridge_.onConnected([this] {
        publishAll();
        outbox_.connectionRestarted();
    });
    auto stored = store_.locks();
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    for (auto& record : *stored) {
        adopt(std::move(record));
    }
    ble_.start();
    log::info(kTag, std::to_string(locks_.size()) + " paired locks");
    return {};
}

LockService::Lock& LockService::adopt(ports::LockRecord record) {
    auto profile = options_.profiles.find(record.profile);
    if (profile == options_.profiles.end()) {
        log::error(
            kTag,
            "unknown profile \"" + record.profile + "\"; using \"" + options_.defaultProfile + "\"",
            {{"LOCK", record.topic}});
        profile = options_.profiles.find(options_.defaultProfile);
    }
    auto lock = std::unique_ptr<Lock>(new Lock{record,
                                               domain::DpTranslator(profile->second),
                                               domain::CommandEncoder(profile->second),
                                               {},
                                               {},
                                               std::nullopt,
                                               {},
                                               {},
                                               nullptr});
    Lock& ref = *lock;
    LockLink::Events events;
    events.ready = [this, &ref] { publishState(ref); };
    events.report = [this, &ref](const protocol::tuya::DpReport& report) { onReport(ref, report); };
    events.availability = [this, &ref](bool online) {
        ref.online = online;
        if (!online) {
            // Without a link the bolt's position cannot be confirmed: never a stale "locked".
            ref.snapshot.forgetLockState();
        }
        publishAvailability(ref);
        publishState(ref);
        updateDiscovery();
    };
    events.stateChanged = [this, &ref](LinkState state) {
        ref.status.link = std::string(linkStateName(state));
        publishState(ref);
    };
    events.seen = [this, &ref] { ref.status.lastSeenMs = nowMs(); };
    ref.link = std::make_unique<LockLink>(identityOf(record), options_.policy, ble_, scheduler_,
                                          random_, slots_, std::move(events));
    const std::string mac = record.mac;
    locks_[mac] = std::move(lock);
    ref.link->start();
    // Learn the state once at start-up, whatever the policy.
    ref.link->wake();
    return ref;
}

void LockService::routeBle() {
    ble_.setHandlers({
        .advertisement =
            [this](const ports::Advertisement& advertisement) {
                seen_[advertisement.mac] = advertisement;
                if (auto* lock = findByMac(advertisement.mac)) {
                    lock->status.rssi = advertisement.rssi;
                    lock->link->onAdvertisement(advertisement);
                }
                onProbeAdvertisement(advertisement.mac);
            },
        .notification =
            [this](const std::string& mac, const ports::Bytes& packet) {
                if (auto* lock = findByMac(mac)) {
                    lock->link->onNotification(packet);
                } else if (auto* link = probeLink(mac)) {
                    link->onNotification(packet);
                }
            },
        .linkLost =
            [this](const std::string& mac, const std::string& reason) {
                if (auto* lock = findByMac(mac)) {
                    lock->link->onLinkLost(reason);
                } else if (auto* link = probeLink(mac)) {
                    link->onLinkLost(reason);
                }
            },
        .adapterAvailable =
            [this](bool available) {
                log::info(kTag,
                          std::string("bluetooth ") + (available ? "available" : "unavailable"));
                for (auto& [mac, lock] : locks_) {
                    lock->link->onAdapterAvailable(available);
                }
            },
    });
}

void LockService::updateDiscovery() {
    // BlueZ forgets devices it has not seen for a while and cannot connect to them; while a
    // lock is unreachable, scanning lets it reappear (and its advertisement wakes its link).
    const bool wanted = std::any_of(locks_.begin(), locks_.end(), [](const auto& entry) {
        return entry.second->online == false;
    });
    if (wanted != discovering_) {
        discovering_ = wanted;
        wanted ? ble_.startDiscovery() : ble_.stopDiscovery();
        log::info(kTag, wanted ? "scanning for unreachable locks" : "all locks reachable");
    }
}

void LockService::onReport(Lock& lock, const protocol::tuya::DpReport& report) {
    std::optional<std::int64_t> lockTime;
    if (report.time) {
        lockTime = report.time->unixMs / 1000;
    }
    lock.status.lastSeenMs = nowMs();
    for (const auto& dp : report.dps) {
        onDp(lock, dp, lockTime);
    }
}

void LockService::onDp(Lock& lock, const protocol::tuya::Dp& dp,
                       std::optional<std::int64_t> lockTime) {
    auto record = toDpRecord(dp);
    if (!record) {
        log::warning(kTag, record.error().message, {{"LOCK", lock.record.topic}});
        return;
    }
    auto outcome = lock.translator.translate(*record, lockTime);
    if (!outcome) {
        // Never dropped: whatever the profile cannot read is published as it came.
        if (outcome.error().code != domain::DpErrc::UnknownDp) {
            log::warning(kTag, outcome.error().message, {{"LOCK", lock.record.topic}});
        } else if (lock.unknownLogged.insert(record->id).second) {
            log::info(kTag, outcome.error().message + "; publishing it raw",
                      {{"LOCK", lock.record.topic}});
        }
        if (outcome.error().secretPayload) {
            return;  // e.g. a malformed DP 71 reply echoes the check code: never published
        }
        broker_.publish(topicOf(lock, "dp/" + std::to_string(record->id)),
                        rawDpPayload(*record, lockTime, nowMs()), 1, false);
        return;
    }
    // A confirmation of the same bolt position still refreshes its age.
    if (outcome->state.lock) {
        lock.status.stateAtMs = nowMs();
    }
    if (lock.snapshot.apply(outcome->state)) {
        publishState(lock);
    }
    if (outcome->event) {
        storeEvent(lock, *record, *outcome->event, lockTime);
    }
    if (outcome->reply) {
        auto it = std::find_if(lock.replies.begin(), lock.replies.end(),
                               [&](const PendingReply& r) { return r.dp == record->id; });
        if (it != lock.replies.end()) {
            auto done = std::move(it->done);
            scheduler_.cancel(it->timer);
            lock.replies.erase(it);
            done(outcome->reply->ok()
                     ? CommandResult{CommandResult::Outcome::Ok, {}}
                     : CommandResult{CommandResult::Outcome::Rejected,
                                     "the lock answered " + outcome->reply->reason});
        }
    }
}

void LockService::storeEvent(Lock& lock, const domain::DpRecord& dp, const domain::LockEvent& event,
                             std::optional<std::int64_t> lockTime) {
    const auto hubMs = nowMs();
    const auto when = lockTime.value_or(hubMs / 1000);
    ports::StoredEvent stored;
    stored.lockId = lock.record.id;
    stored.dp = dp.id;
    stored.value = dp.raw;
    stored.lockTime = when;
    stored.hubTimeMs = hubMs;
    stored.eventId = domain::eventId(lock.record.topic, dp.id, dp.raw, when);
    stored.topic = topicOf(lock, "event");
    stored.payload = lockEventPayload(event, {stored.eventId, std::nullopt, hubMs});
    auto isNew = store_.recordEvent(stored);
    if (!isNew) {
        // The event must not be lost because the disk failed: publish it directly.
        log::error(kTag, "cannot store an event, publishing it unstored: " + isNew.error().message,
                   {{"LOCK", lock.record.topic}, {"EVENT_ID", stored.eventId}});
        broker_.publish(stored.topic, stored.payload, 1, false);
        return;
    }
    if (!*isNew) {
        log::debug(kTag, "replayed record already stored", {{"EVENT_ID", stored.eventId}});
        return;
    }
    log::info(kTag, "event " + std::string(domain::eventKindName(event.kind)),
              {{"LOCK", lock.record.topic}, {"EVENT_ID", stored.eventId}});
    outbox_.kick();
}

void LockService::publishState(Lock& lock) {
    LinkStatus status = lock.status;
    if (auto rssi = lock.link ? lock.link->rssi() : std::nullopt) {
        status.rssi = *rssi;
    }
    broker_.publish(topicOf(lock, "state"), lockStatePayload(lock.snapshot, status, nowMs()), 1,
                    true);
}

void LockService::publishAvailability(Lock& lock) {
    if (lock.online) {
        broker_.publish(topicOf(lock, "availability"), *lock.online ? "online" : "offline", 1,
                        true);
    }
}

void LockService::publishAll() {
    for (auto& [mac, lock] : locks_) {
        publishAvailability(*lock);
        publishState(*lock);
    }
}

bool LockService::onSet(const std::string& topic, const std::string& payload) {
    const std::string prefix = options_.baseTopic + "/";
    const std::string suffix = "/set";
    if (!topic.starts_with(prefix) || !topic.ends_with(suffix) ||
        topic.size() <= prefix.size() + suffix.size()) {
        return false;
    }
    const std::string name =
        topic.substr(prefix.size(), topic.size() - prefix.size() - suffix.size());
    if (name.find('/') != std::string::npos || name == "bridge") {
        return false;
    }
    // Home Assistant sends the bare words; scripts may send JSON with a transaction.
    std::string state;
    nlohmann::json transaction;
    if (payload == "LOCK" || payload == "UNLOCK") {
        state = payload;
    } else {
        auto parsed = parseBridgeRequest(payload);
        transaction = parsed.transaction;
        std::string problem;
        if (!parsed.request) {
            problem = parsed.request.error().message;
        } else {
            JsonReader reader(parsed.request->body, "");
            reader.skip("transaction");
            reader.required("state");
            reader.oneOf("state", {"LOCK", "UNLOCK"}, state);
            reader.rejectUnknownKeys();
            problem = reader.ok() ? "" : reader.error();
        }
        if (!problem.empty()) {
            broker_.publish(topic + "/result",
                            nlohmann::json({{"result", "rejected"}, {"reason", problem}}).dump(), 1,
                            false);
            return true;
        }
    }
    Lock* lock = findByTopic(name);
    if (lock == nullptr) {
        nlohmann::json result = {{"state", state},
                                 {"result", "rejected"},
                                 {"reason", "no paired lock is called \"" + name + "\""}};
        if (!transaction.is_null()) {
            result["transaction"] = transaction;
        }
        broker_.publish(topic + "/result", result.dump(), 1, false);
        return true;
    }
    runCommand(*lock, state == "LOCK" ? domain::LockCommand::Lock : domain::LockCommand::Unlock,
               state, transaction);
    return true;
}

void LockService::runCommand(Lock& lock, domain::LockCommand command, const std::string& state,
                             const nlohmann::json& transaction) {
    domain::CommandContext context;
    context.now = nowMs() / 1000;
    random_.fill(context.random);
    auto encoded = lock.encoder.encode(command, context);
    if (!encoded) {
        return publishResult(
            lock, state, {CommandResult::Outcome::Rejected, encoded.error().message}, transaction);
    }
    std::vector<protocol::tuya::Dp> dps;
    for (const auto& record : encoded->writes) {
        auto dp = toProtocolDp(record);
        if (!dp) {
            return publishResult(lock, state, {CommandResult::Outcome::Failed, dp.error().message},
                                 transaction);
        }
        dps.push_back(*dp);
    }
    log::info(kTag, "command " + state, {{"LOCK", lock.record.topic}});
    const auto deadline = scheduler_.now() + options_.commandTimeout;
    const auto replyDp = encoded->replyDp;
    const std::string mac = lock.record.mac;
    std::weak_ptr<bool> alive = alive_;
    lock.link->submit(
        std::move(dps), options_.commandTimeout, [=, this](const CommandResult& result) {
            Lock* target = alive.expired() ? nullptr : findByMac(mac);
            if (target == nullptr) {
                return;
            }
            if (result.outcome != CommandResult::Outcome::Ok || !replyDp) {
                return publishResult(*target, state, result, transaction);
            }
            // The write went through; the lock reports the outcome in its reply DP.
            auto report = [=, this](const CommandResult& final) {
                if (Lock* again = alive.expired() ? nullptr : findByMac(mac)) {
                    publishResult(*again, state, final, transaction);
                }
            };
            PendingReply pending{*replyDp, report, 0};
            const auto left =
                std::max(milliseconds(0), duration_cast<milliseconds>(deadline - scheduler_.now()));
            const auto dp = *replyDp;
            pending.timer = scheduler_.after(left, [=, this] {
                Lock* waiting = alive.expired() ? nullptr : findByMac(mac);
                if (waiting == nullptr) {
                    return;
                }
                auto it = std::find_if(waiting->replies.begin(), waiting->replies.end(),
                                       [dp](const PendingReply& r) { return r.dp == dp; });
                if (it == waiting->replies.end()) {
                    return;
                }
                auto done = std::move(it->done);
                waiting->replies.erase(it);
                done({CommandResult::Outcome::Timeout,
                      "the lock accepted the command but did not report its outcome"});
            });
            target->replies.push_back(std::move(pending));
        });
}

void LockService::publishResult(const Lock& lock, const std::string& state,
                                const CommandResult& result, const nlohmann::json& transaction) {
    nlohmann::json payload = {{"state", state}, {"result", outcomeName(result.outcome)}};
    if (!result.reason.empty()) {
        payload["reason"] = result.reason;
    }
    if (!transaction.is_null()) {
        payload["transaction"] = transaction;
    }
    log::info(kTag,
              "command " + state + ": " + std::string(outcomeName(result.outcome)) +
                  (result.reason.empty() ? "" : " (" + result.reason + ")"),
              {{"LOCK", lock.record.topic}});
    broker_.publish(topicOf(lock, "set/result"), payload.dump(), 1, false);
}

}  // namespace lockhub
