// The hub's book of issued codes (ports::CodeStore) read through the scheme: which issued code a
// plaintext is, what a lock accepting it does to the states in `code/list` (a timed code becomes
// activated, a one-time code used, a clear code used and what it cleared cleared), which dynamic
// codes an unlock at a given time can be, and the state a code shows at a given time (`expired`
// is never stored: it follows from the window).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "domain/codes/OfflineCodePlaintext.h"
#include "ports/CodeStore.h"

namespace lockhub {

class CodeLedger {
public:
    explicit CodeLedger(ports::CodeStore& store) : store_(store) {}

    struct Applied {
        std::optional<ports::IssuedCode> code;   // the issued code, if the hub issued it
        std::vector<ports::IssuedCode> cleared;  // codes it cleared (clear-one, clear-all)
    };

    // The lock accepted `plaintext` at `at`: update the states and say what it was.
    Result<Applied> accepted(std::int64_t lockId, std::uint32_t t0,
                             const domain::codes::OfflineCodePlaintext& plaintext, std::int64_t at);
    // Dynamic codes issued for the step of `at` or a neighbouring one, each a candidate for an
    // unlock at `at`; a sole candidate is marked used.
    Result<std::vector<ports::IssuedCode>> dynamicUnlock(std::int64_t lockId, std::int64_t at);

    static std::optional<domain::codes::OfflineCodePlaintext> plaintextOf(
        const ports::IssuedCode& code, std::uint32_t t0);
    // The stored state, or `expired` once the window in which it could still do something is over.
    static std::string stateAt(const ports::IssuedCode& code, std::int64_t now);

private:
    Result<void> move(ports::IssuedCode& code, const char* state, std::int64_t at);

    ports::CodeStore& store_;
};

}  // namespace lockhub
