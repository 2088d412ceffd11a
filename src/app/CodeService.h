// Offline and dynamic codes over the bridge API (docs/codes.md, docs/mqtt-api.md "Codes"):
// `code/issue` mints a code with the lock's own scheme and remembers only a keyed hash of it,
// `code/list` shows what was issued and its state, `code/revoke` answers an offline code with the
// clear code that disables it at the lock, and `code/verify` judges a code presented to the hub,
// optionally unlocking. It also answers UnlockCodeCheck for remote unlocks that carry a code.
// The rules live in CodeRules, the states in CodeLedger, verification in CodeChecker, the lockout
// in CodeLockout and attribution of the lock's records in CodeAttributor.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "app/BridgeService.h"
#include "app/CodeAttributor.h"
#include "app/CodeChecker.h"
#include "app/CodeLedger.h"
#include "app/CodeLockout.h"
#include "app/CodeRules.h"
#include "app/LockRegistry.h"
#include "app/OutboxPump.h"
#include "app/UnlockCodeCheck.h"
#include "ports/ClockSync.h"
#include "ports/CodeHasher.h"
#include "ports/CodeStore.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"
#include "ports/UserStore.h"

namespace lockhub {

class JsonReader;

struct CodeServiceOptions {
    std::string baseTopic = "lockhub";
    std::string hubId;
    bool requireClockSync = true;  // codes.require_clock_sync
    domain::codes::LockoutRules lockout;
};

struct CodeServicePorts {
    ports::LockStore& locks;
    ports::CodeStore& codes;
    ports::UserStore& users;
    const ports::CodeHasher& hasher;
    const ports::ClockSync& clock;
    ports::Scheduler& scheduler;
};

class CodeService final : public UnlockCodeCheck {
public:
    // Unlocks a lock after `code/verify` accepted a code (CommandService::unlockAs), its result on
    // `<lock>/set/result` carrying the request's `transaction` so the caller can tell it apart.
    using Unlock = std::function<void(PairedLock& lock, const nlohmann::json& transaction)>;

    CodeService(CodeServiceOptions options, CodeServicePorts ports, LockRegistry& registry,
                OutboxPump& outbox, BridgeService& bridge, Unlock unlock);

    Result<CodeMatch> check(std::int64_t lockId, const SecretString& code,
                            std::string_view source) override;
    CodeAttribution& attribution() { return attributor_; }
    // code/issue answered by the hub itself. `offline`: on behalf of a cloud issuer that is down
    // or silent (CloudLink), so the code shows `issued_offline` until the lock activates it.
    Result<nlohmann::json> issue(const nlohmann::json& body, bool offline = false);
    // Where code/issue learns each lock's clock drift (LockTimeline::drift), for its warning.
    using DriftOf = std::function<std::optional<std::int64_t>(std::int64_t lockId)>;
    void watchClocks(DriftOf driftOf) { driftOf_ = std::move(driftOf); }
    // Where every code the hub refused is told (LockDiagnostics::codeRefused).
    void watchRefusals(CodeChecker::Refused refused) { checker_.onRefused(std::move(refused)); }
    // Where each wrong-code lockout is told once stored (LockoutPublisher::started).
    void watchLockouts(CodeLockout::Started started) { lockout_.onStarted(std::move(started)); }
    // code/revoke of an online temporary password (`temp_password` instead of `id`): deleted
    // over BLE by TempPasswordService::remove, which gets {"lock", "id"} and answers for it.
    using TempPasswordRevoke = std::function<Result<nlohmann::json>(const nlohmann::json& body)>;
    void revokeTempPasswordsWith(TempPasswordRevoke revoke) {
        revokeTempPassword_ = std::move(revoke);
    }

private:
    Result<nlohmann::json> list(const nlohmann::json& body);
    Result<nlohmann::json> revoke(const nlohmann::json& body);
    Result<nlohmann::json> revokeTempPassword(const nlohmann::json& body);
    Result<nlohmann::json> verify(const nlohmann::json& body);

    // Ends reading a request that names a lock (code/list, code/revoke, code/verify): the lock
    // called `topic`.
    Result<PairedLock*> requestedLock(JsonReader& reader, const std::string& topic);
    // requestedLock with every code issued for it (code/list, code/revoke).
    Result<std::pair<PairedLock*, std::vector<ports::IssuedCode>>> lockWithCodes(
        JsonReader& reader, const std::string& topic);
    // Mints, stores the hash and answers with the code: the one place the digits leave.
    Result<nlohmann::json> mint(PairedLock& lock, const PlannedCode& plan, const std::string& name,
                                const std::optional<ports::User>& user,
                                std::optional<std::int64_t> clears, bool offline = false);
    nlohmann::json describe(const ports::IssuedCode& code, std::int64_t now);

    CodeServiceOptions options_;
    CodeServicePorts ports_;
    LockRegistry& registry_;
    CodeLedger ledger_;
    CodeLockout lockout_;
    CodeChecker checker_;
    DriftOf driftOf_;
    TempPasswordRevoke revokeTempPassword_;
    CodeAttributor attributor_;
    Unlock unlock_;
};

}  // namespace lockhub
