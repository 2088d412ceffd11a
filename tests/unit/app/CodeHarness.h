// The ServiceHarness with the code service wired as the daemon wires it: the in-memory code store,
// a clock whose NTP state the test sets, the fake keyed hash, T0 at pairing (issuer `hub` unless
// told otherwise), and the EventPipeline asking the code service about code records. The lock
// "front" is paired with T0 = 2023-11-14T23:00:00Z; the manual clock starts at 23:13:20.
#pragma once

#include <optional>

#include "app/CodeService.h"
#include "app/LockT0.h"
#include "tests/fakes/FakeCodePorts.h"
#include "tests/fakes/InMemoryCodeStore.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub::test {

inline constexpr std::int64_t kT0 = 1'700'002'800;  // 2023-11-14T23:00:00Z
inline constexpr std::int64_t kStartUtc = 1'700'003'600;
inline const SecretString kLoginKey{"a3f6b2"};

struct CodeHarnessOptions {
    bool hubOwnsT0 = true;
    bool requireClockSync = true;
    std::optional<std::int64_t> t0 = kT0;
};

class CodeHarness : public ServiceHarness {
public:
    explicit CodeHarness(CodeHarnessOptions options = {})
        : t0(options.hubOwnsT0, registry, store, scheduler, bridge),
          codes({.baseTopic = "lockhub",
                 .hubId = kHubId,
                 .requireClockSync = options.requireClockSync,
                 .lockout = {}},
                {store, codeStore, userStore, hasher, clock, scheduler}, registry, outbox, bridge,
                [this](PairedLock& lock, const nlohmann::json& transaction) {
                    commands.unlockAs(lock, "UNLOCK", transaction);
                }),
          t0Value_(options.t0) {
        events.setCodeAttribution(codes.attribution());
        if (options.hubOwnsT0) {
            pairing.setHandshakeStep(
                [this](LockLink& link, ports::LockRecord& record, std::function<void()> done) {
                    t0.writeOnPairing(link, record, std::move(done));
                });
        }
    }

    PairedLock& startFront() {
        radio.addLock(kFrontMac, lockSideOf("5a"));
        auto record = recordOf("front", kFrontMac, "5a");
        record.t0 = t0Value_;
        EXPECT_TRUE(store.addLock(record, 0).has_value());
        start();
        return *registry.byTopic("front");
    }

    nlohmann::json request(const std::string& op, nlohmann::json body,
                           std::chrono::milliseconds wait = std::chrono::milliseconds(10)) {
        const auto before = broker.on("lockhub/bridge/response/" + op).size();
        broker.deliver("lockhub/bridge/request/" + op, body.dump());
        scheduler.advance(wait);
        const auto after = broker.on("lockhub/bridge/response/" + op);
        EXPECT_EQ(after.size(), before + 1) << "no answer to " << op;
        return after.size() > before ? nlohmann::json::parse(after.back().payload)
                                     : nlohmann::json();
    }
    // The error code of a request that must fail, or "ok".
    std::string errorOf(const std::string& op, nlohmann::json body) {
        auto response = request(op, std::move(body));
        return response["status"] == "ok" ? "ok" : response["error"]["code"].get<std::string>();
    }

    fakes::InMemoryCodeStore codeStore;
    fakes::FakeClockSync clock;
    LockT0 t0;
    CodeService codes;

private:
    std::optional<std::int64_t> t0Value_;
};

}  // namespace lockhub::test
