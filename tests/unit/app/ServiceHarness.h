// The hub's services wired as the daemon wires them, but against fakes of every port: locks that
// run the real lock side of the protocol in memory (FakeLockRadio), a broker that records what is
// published (FakeBroker), the in-memory store and a manual clock. Each service's tests drive it
// through this and assert what the outside world would see.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/AlarmTracker.h"
#include "app/BridgeService.h"
#include "app/CommandService.h"
#include "app/EnrolmentService.h"
#include "app/EventPipeline.h"
#include "app/LockCredentialEraser.h"
#include "app/LockDiagnostics.h"
#include "app/LockRegistry.h"
#include "app/OutboxPump.h"
#include "app/PairingService.h"
#include "app/ProfileLoader.h"
#include "app/ReplyDispatcher.h"
#include "app/StatePublisher.h"
#include "app/UnlockRequests.h"
#include "app/UserDirectory.h"
#include "tests/fakes/FakeBroker.h"
#include "tests/fakes/FakeCodePorts.h"
#include "tests/fakes/FakeLockRadio.h"
#include "tests/fakes/InMemoryLockStore.h"
#include "tests/fakes/InMemoryUserStore.h"
#include "tests/fakes/ManualScheduler.h"

namespace lockhub::test {

inline constexpr const char* kFrontMac = "DC:23:4D:00:00:01";
inline constexpr const char* kBackMac = "DC:23:4D:00:00:02";
inline constexpr const char* kHubId = "0123456789abcdef";

inline protocol::tuya::LockIdentity lockSideOf(const std::string& suffix) {
    protocol::tuya::LockIdentity identity;
    identity.uuid = "tuyab10f2d3c4e" + suffix;
    identity.loginKey = SecretString("a3f6b2");
    identity.deviceId = "bf1234567890abcdef" + suffix;
    return identity;
}

inline ports::LockRecord recordOf(const std::string& topic, const std::string& mac,
                                  const std::string& suffix) {
    ports::LockRecord record;
    record.topic = topic;
    record.name = topic;
    record.mac = mac;
    record.uuid = "tuyab10f2d3c4e" + suffix;
    record.deviceId = "bf1234567890abcdef" + suffix;
    record.localKey = SecretString("a3f6b2c4d5e6f708");
    return record;
}

inline LockRegistryOptions registryOptions(LinkPolicy::Mode mode) {
    LockRegistryOptions options;
    options.policy.mode = mode;
    // The shipped profiles, as the daemon has them built in (no profiles_dir).
    options.profiles = loadProfiles(builtinProfiles(), {}).value();
    return options;
}

// A timed record as the lock reports it: a with-time report.
inline protocol::tuya::ReportTime at(std::int64_t unixSeconds) {
    return {protocol::tuya::ReportTime::Format::Seconds, unixSeconds * 1000};
}

class ServiceHarness {
public:
    explicit ServiceHarness(LinkPolicy::Mode mode = LinkPolicy::Mode::Always,
                            std::chrono::milliseconds commandTimeout = std::chrono::seconds(30))
        : registry(registryOptions(mode), store, radio, scheduler, random),
          state("lockhub", broker, scheduler, registry),
          requests({.baseTopic = "lockhub"}, registry, scheduler, outbox, bridge,
                   [this](PairedLock& lock, const std::string& shownAs,
                          const nlohmann::json& transaction) {
                       commands.unlockAs(lock, shownAs, transaction);
                   }),
          commands({.baseTopic = "lockhub", .timeout = commandTimeout}, registry, store, broker,
                   scheduler, random, outbox, bridge),
          eraser(registry, scheduler, commandTimeout),
          users(userStore, registry, bridge, eraser),
          enrolment("lockhub", registry, users, hasher, broker, scheduler, bridge),
          replies(commands),
          events({.baseTopic = "lockhub", .hubId = kHubId}, registry, store, broker, scheduler,
                 outbox, state, replies, users),
          pairing(registry, state, store, radio, scheduler, bridge),
          alarms({.baseTopic = "lockhub", .hubId = kHubId}, registry, broker, scheduler, outbox,
                 bridge),
          diagnostics(registry, store, state, alarms, scheduler, bridge) {
        events.addObserver(alarms);
        events.addObserver(requests);
        events.addObserver(diagnostics);
        bridge.onConnected([this] {
            state.publishAll();
            outbox.connectionRestarted();
        });
        replies.route(domain::DpRole::UnlockMethodCreate, enrolment);
        replies.route(domain::DpRole::UnlockMethodDelete, eraser);
        bridge.attach();
        EXPECT_TRUE(users.load().has_value());
    }

    // Pairs `topic` in the store (as an earlier run did) and starts the services, online.
    PairedLock& startWithLock(const std::string& topic = "front",
                              const std::string& mac = kFrontMac,
                              const std::string& suffix = "5a") {
        radio.addLock(mac, lockSideOf(suffix));
        EXPECT_TRUE(store.addLock(recordOf(topic, mac, suffix), 0).has_value());
        start();
        return *registry.byTopic(topic);
    }
    void start() {
        EXPECT_TRUE(registry.start().has_value());
        broker.connect();
        scheduler.advance(std::chrono::milliseconds(500));
    }

    nlohmann::json lastJson(const std::string& topic) const {
        auto messages = broker.on(topic);
        EXPECT_FALSE(messages.empty()) << "nothing on " << topic;
        return messages.empty() ? nlohmann::json() : nlohmann::json::parse(messages.back().payload);
    }
    std::size_t storedRecords() { return store.recordCount(); }

    // Answers, as the lock's firmware would, every DP 2 (delete) write `mac` got since the last
    // call, with `result` (0 = deleted); the next deletion of a lock is written only after the
    // previous reply, so this repeats until no new write comes. Returns the requests answered.
    std::vector<std::vector<std::uint8_t>> answerDeletions(const std::string& mac,
                                                           std::uint8_t result = 0) {
        std::vector<std::vector<std::uint8_t>> answered;
        auto& seen = deletionsSeen_[mac];
        for (bool more = true; more;) {
            scheduler.advance(std::chrono::milliseconds(10));
            more = false;
            const auto& writes = radio.lock(mac).writes;
            for (; seen < writes.size(); ++seen) {
                const auto& dp = writes[seen].front();
                const auto* raw = std::get_if<std::vector<std::uint8_t>>(&dp.value);
                if (dp.id != 2 || raw == nullptr) {
                    continue;
                }
                auto reply = *raw;
                reply.push_back(result);
                radio.report(mac, {protocol::tuya::Dp::raw(2, reply)});
                answered.push_back(*raw);
                more = true;
            }
        }
        return answered;
    }

    fakes::ManualScheduler scheduler;
    fakes::FakeLockRadio radio{scheduler};
    fakes::FakeBroker broker{scheduler};
    fakes::InMemoryLockStore store;
    fakes::CountingRandom random;
    fakes::FakeCodeHasher hasher;
    BridgeService bridge{broker, scheduler, "lockhub", [] { return nlohmann::json::object(); }};
    OutboxPump outbox{store, broker, scheduler};
    LockRegistry registry;
    StatePublisher state;
    UnlockRequests requests;
    CommandService commands;
    LockCredentialEraser eraser;
    fakes::InMemoryUserStore userStore;
    UserDirectory users;
    EnrolmentService enrolment;
    ReplyDispatcher replies;
    EventPipeline events;
    PairingService pairing;
    AlarmTracker alarms;
    LockDiagnostics diagnostics;

private:
    std::map<std::string, std::size_t> deletionsSeen_;  // by MAC: DP writes looked at
};

}  // namespace lockhub::test
