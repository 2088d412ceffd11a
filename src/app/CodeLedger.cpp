#include "app/CodeLedger.h"

#include <cstdlib>

#include "app/CodeRules.h"
#include "domain/codes/DynamicCode.h"

namespace lockhub {
namespace {

using domain::codes::kSecondsPerHour;
using domain::codes::OfflineCodePlaintext;
using domain::codes::OfflineCodeType;

constexpr std::int64_t kSecondsPerDay = 24 * kSecondsPerHour;
constexpr std::int64_t kDynamicStep = domain::codes::kDynamicCodeStepSeconds;

std::optional<OfflineCodeType> offlineType(const std::string& type) {
    const auto parsed = parseCodeType(type);
    if (!parsed) {
        return std::nullopt;
    }
    switch (*parsed) {
        case CodeType::Timed:
            return OfflineCodeType::Timed;
        case CodeType::OneTime:
            return OfflineCodeType::OneTime;
        case CodeType::ClearOne:
            return OfflineCodeType::ClearOne;
        case CodeType::ClearAll:
            return OfflineCodeType::ClearAll;
        case CodeType::Dynamic:
            break;
    }
    return std::nullopt;
}

// The last second the code could still be accepted for the first time (issued) or at all.
std::optional<std::int64_t> lastChance(const ports::IssuedCode& code) {
    const auto type = parseCodeType(code.type).value_or(CodeType::Timed);
    const bool activated = code.state == "activated";
    switch (type) {
        case CodeType::Dynamic:
            return code.start + 2 * kDynamicStep - 1;
        case CodeType::Timed:
            return activated ? code.end
                             : std::min(code.start + kSecondsPerDay, code.end.value_or(0));
        case CodeType::OneTime:
            return code.start + 6 * kSecondsPerHour;
        case CodeType::ClearOne:
            return code.end;
        case CodeType::ClearAll:
            return code.start + kSecondsPerDay;
    }
    return std::nullopt;
}

}  // namespace

std::optional<OfflineCodePlaintext> CodeLedger::plaintextOf(const ports::IssuedCode& code,
                                                            std::uint32_t t0) {
    const auto type = offlineType(code.type);
    const auto epoch = domain::codes::hourFloor(t0);
    if (!type || code.start < epoch) {
        return std::nullopt;
    }
    const auto hours = (code.start - epoch) / kSecondsPerHour;
    const auto field = domain::codes::carriesDuration(*type)
                           ? (code.end.value_or(code.start) - code.start) / kSecondsPerHour
                           : code.serial.value_or(0);
    auto plaintext = OfflineCodePlaintext::make(*type, static_cast<std::uint32_t>(hours),
                                                static_cast<std::uint32_t>(field));
    return plaintext ? std::optional(*plaintext) : std::nullopt;
}

std::string CodeLedger::stateAt(const ports::IssuedCode& code, std::int64_t now) {
    if (code.state != "issued" && code.state != "activated") {
        return code.state;
    }
    const auto last = lastChance(code);
    return last && now > *last ? "expired" : code.state;
}

Result<void> CodeLedger::move(ports::IssuedCode& code, const char* state, std::int64_t at) {
    if (code.state == state) {
        return {};
    }
    if (auto moved = store_.setCodeState(code.id, state, at); !moved) {
        return moved;
    }
    code.state = state;
    code.changedAt = at;
    return {};
}

Result<CodeLedger::Applied> CodeLedger::accepted(std::int64_t lockId, std::uint32_t t0,
                                                 const OfflineCodePlaintext& plaintext,
                                                 std::int64_t at) {
    auto codes = store_.codes(lockId);
    if (!codes) {
        return tl::unexpected(codes.error());
    }
    Applied applied;
    for (auto& code : *codes) {
        if (plaintextOf(code, t0) == plaintext) {
            applied.code = code;
            break;
        }
    }
    const auto type = plaintext.type();
    const auto moveMatch = [&](const char* state) -> Result<void> {
        return applied.code ? move(*applied.code, state, at) : Result<void>{};
    };
    // Only codes the lock holds as valid are invalidated: activated ones.
    const auto clearWhere = [&](auto&& matches) -> Result<void> {
        for (auto& code : *codes) {
            if (code.state == "activated" && matches(code)) {
                if (auto moved = move(code, "cleared", at); !moved) {
                    return moved;
                }
                applied.cleared.push_back(code);
            }
        }
        return {};
    };
    Result<void> done;
    if (type == OfflineCodeType::Timed) {
        done = applied.code && applied.code->state == "issued" ? moveMatch("activated")
                                                               : Result<void>{};
    } else if (type == OfflineCodeType::OneTime) {
        done = moveMatch("used");
    } else if (type == OfflineCodeType::ClearOne) {
        done = moveMatch("used");
        if (done) {
            done = clearWhere([&](const ports::IssuedCode& code) {
                const auto other = plaintextOf(code, t0);
                return other && other->body() == plaintext.body();
            });
        }
    } else if (type == OfflineCodeType::ClearAll) {
        done = moveMatch("used");
        if (done) {
            done = clearWhere([](const ports::IssuedCode&) { return true; });
        }
    }
    if (!done) {
        return tl::unexpected(done.error());
    }
    return applied;
}

Result<std::vector<ports::IssuedCode>> CodeLedger::dynamicUnlock(std::int64_t lockId,
                                                                 std::int64_t at) {
    auto codes = store_.codes(lockId);
    if (!codes) {
        return tl::unexpected(codes.error());
    }
    std::vector<ports::IssuedCode> candidates;
    for (const auto& code : *codes) {
        if (code.type == "dynamic" &&
            std::llabs(code.start / kDynamicStep - at / kDynamicStep) <= 1) {
            candidates.push_back(code);
        }
    }
    if (candidates.size() == 1) {
        if (auto moved = move(candidates.front(), "used", at); !moved) {
            return tl::unexpected(moved.error());
        }
    }
    return candidates;
}

}  // namespace lockhub
