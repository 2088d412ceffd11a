// CodeAttribution for the EventPipeline: decrypts a lock's offline-code record (DP 67 unlock, 65
// clear-one, 66 clear-all: AES-128-CBC of "000000" + the plaintext under the offline key) back to
// the code's plaintext, finds the issued code, moves its state (and the codes a clear code
// cleared), and applies the same step to the hub's copy of the lock's table, so `code/verify`
// judges as the door does. A dynamic-code unlock (DP 14) names every dynamic code issued for that
// step or a neighbouring one. The lock's wrong-password alarms count toward the lockout.
#pragma once

#include "app/CodeAttribution.h"
#include "app/CodeLedger.h"
#include "app/CodeLockout.h"
#include "domain/codes/OfflineCodePlaintext.h"
#include "ports/CodeStore.h"
#include "ports/UserStore.h"

namespace lockhub {

class CodeAttributor final : public CodeAttribution {
public:
    CodeAttributor(ports::CodeStore& store, CodeLedger& ledger, CodeLockout& lockout,
                   ports::UserStore& users);

    std::optional<AttributedCodes> attribute(const PairedLock& lock, const domain::LockEvent& event,
                                             std::span<const std::uint8_t> value,
                                             std::int64_t at) override;
    void wrongCodeAtLock(const PairedLock& lock) override;

private:
    std::optional<AttributedCodes> offline(const PairedLock& lock, const domain::LockEvent& event,
                                           std::span<const std::uint8_t> value, std::int64_t at);
    void mirror(const PairedLock& lock, std::uint32_t t0,
                const domain::codes::OfflineCodePlaintext& plaintext, std::int64_t at);
    AttributedCodes named(const std::vector<ports::IssuedCode>& matched,
                          const std::vector<ports::IssuedCode>& cleared);

    ports::CodeStore& store_;
    CodeLedger& ledger_;
    CodeLockout& lockout_;
    ports::UserStore& users_;
};

}  // namespace lockhub
