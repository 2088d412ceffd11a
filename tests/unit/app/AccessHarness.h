// The ServiceHarness with the access layer of issue 10 on top, wired as the daemon wires it:
// the audit on an in-memory store, `access.denied_ops` checked against every registered op, and
// a fake UnlockCodeCheck for require_code_for_unlock.
#pragma once

#include <string>
#include <vector>

#include "app/AccessPolicy.h"
#include "app/AuditLog.h"
#include "app/UnlockCodeCheck.h"
#include "tests/fakes/InMemoryAuditStore.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub::test {

// Accepts "1234" (a PIN of user 1) and "55667788" (issued code 9); anything else is a wrong
// code, and after `lockoutAfter` wrong ones every code is locked out. Remembers what it saw.
class FakeCodeCheck final : public UnlockCodeCheck {
public:
    Result<CodeMatch> check(std::int64_t lockId, const SecretString& code,
                            std::string_view source) override {
        calls.push_back({lockId, code.reveal(), std::string(source)});
        if (wrong >= lockoutAfter) {
            return fail(Errc::LockedOut, "too many wrong codes; try again after 12:01:00Z");
        }
        if (code.reveal() == "1234") {
            return CodeMatch{std::nullopt, "Alice's PIN", "pin", 1};
        }
        if (code.reveal() == "55667788") {
            return CodeMatch{9, "cleaner", "one_time", std::nullopt};
        }
        ++wrong;
        return fail(Errc::AuthFailed, "the code is not valid for this lock");
    }

    struct Call {
        std::int64_t lockId;
        std::string code;
        std::string source;
    };
    std::vector<Call> calls;
    int wrong = 0;
    int lockoutAfter = 3;
};

class AccessHarness : public ServiceHarness {
public:
    explicit AccessHarness(std::vector<std::string> deniedOps = {}, bool requireCode = false)
        : ServiceHarness(LinkPolicy::Mode::Always, std::chrono::seconds(5)) {
        if (requireCode) {
            commands.requireCodes(codes);
        }
        auto policy = AccessPolicy::make(deniedOps, bridge.operationNames());
        EXPECT_TRUE(policy.has_value()) << policy.error().message;
        bridge.guard(policy ? std::move(*policy) : AccessPolicy(), &audit);
    }

    // The services' own teardown may still answer a request; the audit is gone by then.
    ~AccessHarness() { bridge.guard(AccessPolicy(), nullptr); }

    // A request as a v5 client with `actor` sends it, or (empty actor) as a v3.1.1 client.
    void request(const std::string& op, const std::string& payload, const std::string& actor = "") {
        ports::Broker::Origin origin;
        if (!actor.empty()) {
            origin.userProperties = {{"actor", actor}};
        }
        broker.deliver("lockhub/bridge/request/" + op, payload, origin);
        scheduler.settle();
    }
    nlohmann::json response(const std::string& op) {
        return lastJson("lockhub/bridge/response/" + op);
    }
    std::vector<ports::AuditEntry> auditRows() {
        scheduler.settle();
        return auditStore.rows();
    }

    fakes::InMemoryAuditStore auditStore;
    AuditLog audit{auditStore, scheduler, bridge};
    FakeCodeCheck codes;
};

}  // namespace lockhub::test
