// What a `code/issue` request may ask for (docs/codes.md "Rules"): the window each code type can
// express in Tuya's scheme, aligned to the whole UTC hours the scheme counts in, and Tuya's own
// limits (one-time codes valid for 6 h from their hour, clear-all codes for 24 h, at most 10
// one-time or clear codes per lock and start hour, serials up to 10). Planning decides the window
// and serial; minting the digits is the domain issuer's job.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Error.h"
#include "ports/CodeStore.h"

namespace lockhub {

enum class CodeType { Dynamic, Timed, OneTime, ClearOne, ClearAll };

std::string_view codeTypeName(CodeType type);
std::optional<CodeType> parseCodeType(std::string_view name);

inline constexpr std::int64_t kMaxCodesPerHour = 10;

struct CodeRequest {
    CodeType type = CodeType::Timed;
    std::optional<std::int64_t> start;  // Unix s, as requested
    std::optional<std::int64_t> end;
    std::optional<std::int64_t> serial;
};

// The code as the lock will enforce it.
struct PlannedCode {
    CodeType type = CodeType::Timed;
    std::int64_t start = 0;
    std::optional<std::int64_t> end;  // timed, clear-one; dynamic: the end of its step
    std::optional<std::int64_t> serial;
    std::int64_t notBefore = 0;              // the first second the lock accepts it
    std::optional<std::int64_t> activateBy;  // the latest first use
    std::optional<std::int64_t> notAfter;    // the last second it can ever be accepted
    std::optional<std::string> alignment;    // what was rounded, when something was
};

// `t0` is required for every type but dynamic (the caller answers t0_unknown first). `existing`
// are the lock's issued codes (for serials and the per-hour limit). Errors: bad_request naming the
// field and the rule, limit_reached, conflict (a serial already used for that hour).
Result<PlannedCode> planCode(const CodeRequest& request, std::optional<std::uint32_t> t0,
                             std::int64_t now, const std::vector<ports::IssuedCode>& existing);

// The rules a guest experiences, as sentences (UTC times).
std::vector<std::string> guestRules(const PlannedCode& code);

// The lock judges a code by its own clock. With the drift the hub measured (lock minus hub,
// seconds; docs/records.md "clock_drift"), what the host should know before handing the code
// out; nullopt within kCodeDriftWarningS.
inline constexpr std::int64_t kCodeDriftWarningS = 60;
std::optional<std::string> driftWarning(CodeType type, std::int64_t driftS);

// {"not_before", "activate_by", "not_after", "uses"}: the validity exactly as the lock enforces it.
nlohmann::json validityJson(const PlannedCode& code);

}  // namespace lockhub
