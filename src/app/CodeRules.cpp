#include "app/CodeRules.h"

#include <algorithm>
#include <array>

#include "app/LockMessages.h"
#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodePlaintext.h"

namespace lockhub {
namespace {

using domain::codes::kSecondsPerHour;
using domain::codes::OfflineCodePlaintext;

constexpr std::int64_t kDay = 24 * kSecondsPerHour;
constexpr std::int64_t kOneTimeWindow = 6 * kSecondsPerHour;
constexpr std::int64_t kStep = domain::codes::kDynamicCodeStepSeconds;

constexpr std::array<std::pair<CodeType, std::string_view>, 5> kNames = {{
    {CodeType::Dynamic, "dynamic"},
    {CodeType::Timed, "timed"},
    {CodeType::OneTime, "one_time"},
    {CodeType::ClearOne, "clear_one"},
    {CodeType::ClearAll, "clear_all"},
}};

std::int64_t floorHour(std::int64_t t) {
    return t - t % kSecondsPerHour;
}
std::int64_t ceilHour(std::int64_t t) {
    return floorHour(t + kSecondsPerHour - 1);
}

bool carriesSerial(CodeType type) {
    return type == CodeType::OneTime || type == CodeType::ClearAll;
}

Result<void> checkStart(std::int64_t start, std::uint32_t t0) {
    const auto epoch = domain::codes::hourFloor(t0);
    if (start < epoch) {
        return fail(Errc::BadRequest, "/start: before the lock's T0 hour (" + isoUtcSeconds(epoch) +
                                          "); the scheme counts hours from T0");
    }
    if ((start - epoch) / kSecondsPerHour > OfflineCodePlaintext::kMaxStartHours) {
        return fail(Errc::BadRequest,
                    "/start: more than 99999 h after the lock's T0 hour; the scheme cannot say it");
    }
    return {};
}

Result<void> checkDuration(std::int64_t start, std::int64_t end, std::int64_t now) {
    if (end <= start) {
        return fail(Errc::BadRequest, "/end: must be after the start");
    }
    if ((end - start) / kSecondsPerHour > OfflineCodePlaintext::kMaxField) {
        return fail(Errc::BadRequest,
                    "/end: a window lasts at most 9999 h (about 416 days) in the scheme");
    }
    if (end < now) {
        return fail(Errc::BadRequest, "/end: the window is already over");
    }
    return {};
}

// One-time and clear codes share the lock's limit per start hour; one-time and clear-all codes of
// one hour are told apart only by their serial.
Result<std::int64_t> chooseSerial(const CodeRequest& request, std::int64_t start,
                                  const std::vector<ports::IssuedCode>& existing) {
    const auto type = std::string(codeTypeName(request.type));
    std::vector<bool> used(OfflineCodePlaintext::kMaxSerial + 1, false);
    for (const auto& code : existing) {
        if (code.type == type && code.start == start && code.serial) {
            used[static_cast<std::size_t>(*code.serial)] = true;
            if (request.serial == code.serial) {
                return fail(Errc::Conflict, "/serial: " + std::to_string(*code.serial) +
                                                " is already used by code " +
                                                std::to_string(code.id) + " for that hour");
            }
        }
    }
    if (request.serial) {
        return *request.serial;
    }
    for (std::int64_t serial = 1; serial <= OfflineCodePlaintext::kMaxSerial; ++serial) {
        if (!used[static_cast<std::size_t>(serial)]) {
            return serial;
        }
    }
    return fail(Errc::LimitReached, "every serial (1 to 10) is used for that hour");
}

Result<void> checkHourLimit(std::int64_t start, const std::vector<ports::IssuedCode>& existing) {
    const auto count = std::count_if(existing.begin(), existing.end(), [&](const auto& code) {
        return code.start == start &&
               (code.type == "one_time" || code.type == "clear_one" || code.type == "clear_all");
    });
    if (count >= kMaxCodesPerHour) {
        return fail(Errc::LimitReached,
                    "the lock takes at most 10 one-time or clear codes per "
                    "hour; the hour from " +
                        isoUtcSeconds(start) + " has them all");
    }
    return {};
}

std::optional<std::string> describeAlignment(const CodeRequest& request, const PlannedCode& plan) {
    std::vector<std::string> parts;
    if (request.start && *request.start != plan.start) {
        parts.push_back("start rounded down from " + isoUtcSeconds(*request.start) + " to " +
                        isoUtcSeconds(plan.start));
    }
    if (request.end && plan.end && *request.end != *plan.end) {
        parts.push_back("end rounded up from " + isoUtcSeconds(*request.end) + " to " +
                        isoUtcSeconds(*plan.end));
    }
    if (parts.empty()) {
        return std::nullopt;
    }
    std::string text = "offline codes count whole UTC hours: ";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        text += (i ? "; " : "") + parts[i];
    }
    return text;
}

Result<PlannedCode> planOffline(const CodeRequest& request, std::uint32_t t0, std::int64_t now,
                                const std::vector<ports::IssuedCode>& existing) {
    const bool needsEnd = request.type == CodeType::Timed || request.type == CodeType::ClearOne;
    if (needsEnd && (!request.start || !request.end)) {
        return fail(Errc::BadRequest, std::string(request.start ? "/end" : "/start") +
                                          ": required for a " +
                                          std::string(codeTypeName(request.type)) + " code");
    }
    if (!needsEnd && request.end) {
        return fail(Errc::BadRequest, "/end: a " + std::string(codeTypeName(request.type)) +
                                          " code has a fixed window; give only its start");
    }
    if (!carriesSerial(request.type) && request.serial) {
        return fail(Errc::BadRequest, "/serial: only one-time and clear-all codes carry one");
    }
    PlannedCode plan;
    plan.type = request.type;
    plan.start = floorHour(request.start.value_or(now));
    if (auto ok = checkStart(plan.start, t0); !ok) {
        return tl::unexpected(ok.error());
    }
    plan.notBefore = plan.start;
    if (needsEnd) {
        plan.end = ceilHour(*request.end);
        if (auto ok = checkDuration(plan.start, *plan.end, now); !ok) {
            return tl::unexpected(ok.error());
        }
        plan.notAfter = plan.end;
        if (request.type == CodeType::Timed) {
            plan.activateBy = std::min(plan.start + kDay, *plan.end);
        }
    } else {
        plan.activateBy = plan.start + (request.type == CodeType::OneTime ? kOneTimeWindow : kDay);
        plan.notAfter = plan.activateBy;
    }
    if (plan.activateBy && *plan.activateBy < now) {
        return fail(Errc::BadRequest, "/start: the code must first be used by " +
                                          isoUtcSeconds(*plan.activateBy) + " (" +
                                          (request.type == CodeType::OneTime ? "6" : "24") +
                                          " h after its start), which is already past");
    }
    if (request.type != CodeType::Timed) {
        if (auto ok = checkHourLimit(plan.start, existing); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    if (carriesSerial(request.type)) {
        auto serial = chooseSerial(request, plan.start, existing);
        if (!serial) {
            return tl::unexpected(serial.error());
        }
        plan.serial = *serial;
    }
    plan.alignment = describeAlignment(request, plan);
    return plan;
}

}  // namespace

std::string_view codeTypeName(CodeType type) {
    for (const auto& [value, name] : kNames) {
        if (value == type) {
            return name;
        }
    }
    return "timed";
}

std::optional<CodeType> parseCodeType(std::string_view name) {
    for (const auto& [value, text] : kNames) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

Result<PlannedCode> planCode(const CodeRequest& request, std::optional<std::uint32_t> t0,
                             std::int64_t now, const std::vector<ports::IssuedCode>& existing) {
    if (request.type != CodeType::Dynamic) {
        return planOffline(request, *t0, now, existing);
    }
    if (request.start || request.end || request.serial) {
        return fail(Errc::BadRequest,
                    "a dynamic code is always for the current 5-minute step: no start, end or "
                    "serial");
    }
    PlannedCode plan;
    plan.type = CodeType::Dynamic;
    plan.start = now - now % kStep;
    plan.end = plan.start + kStep;
    // The lock tries its own step, the next and the previous one.
    plan.notBefore = plan.start - kStep;
    plan.notAfter = plan.start + 2 * kStep - 1;
    return plan;
}

std::optional<std::string> driftWarning(CodeType type, std::int64_t driftS) {
    const std::int64_t off = driftS < 0 ? -driftS : driftS;
    if (off <= kCodeDriftWarningS) {
        return std::nullopt;
    }
    const std::string clock = "the lock's clock is " + std::to_string(off) + " s " +
                              (driftS > 0 ? "ahead of" : "behind") + " the hub's";
    if (type == CodeType::Dynamic) {
        // The lock tries its own step and one either side (reference §3.3).
        return clock + (off >= 300 ? ", more than the 300 s a dynamic code tolerates: the lock "
                                     "may refuse it"
                                   : ": the lock accepts this dynamic code for less of its "
                                     "5 minutes than usual");
    }
    return clock + ": the lock opens and closes this code's window " + std::to_string(off) + " s " +
           (driftS > 0 ? "earlier" : "later") + " than stated";
}

std::vector<std::string> guestRules(const PlannedCode& code) {
    const auto at = [](std::optional<std::int64_t> t) { return isoUtcSeconds(t.value_or(0)); };
    switch (code.type) {
        case CodeType::Dynamic:
            return {"opens from " + at(code.notBefore) + " to " + at(code.notAfter) +
                        " by the lock's clock (about 5 minutes either side)",
                    "can be used more than once in that time"};
        case CodeType::Timed:
            return {
                "valid from " + at(code.start) + " to " + at(code.end),
                "use within 24 h of the start (by " + at(code.activateBy) + "), or it never opens",
                "after its first use it opens again and again until the end"};
        case CodeType::OneTime:
            return {"single use", "valid from " + at(code.start),
                    "use within 6 h of the start (by " + at(code.activateBy) + ")"};
        case CodeType::ClearOne:
            return {"single use; it does not open the door",
                    "type it at the lock between " + at(code.start) + " and " + at(code.end),
                    "it disables the timed code with the same window, if the lock has already "
                    "accepted that code; a timed code never typed is not affected"};
        case CodeType::ClearAll:
            return {"single use; it does not open the door",
                    "use within 24 h of the start (" + at(code.start) + " to " +
                        at(code.activateBy) + ")",
                    "it disables every code the lock has already accepted; codes never typed "
                    "are not affected"};
    }
    return {};
}

nlohmann::json validityJson(const PlannedCode& code) {
    const auto orNull = [](std::optional<std::int64_t> t) {
        return t ? nlohmann::json(isoUtcSeconds(*t)) : nlohmann::json();
    };
    const bool reusable = code.type == CodeType::Dynamic || code.type == CodeType::Timed;
    return {{"not_before", isoUtcSeconds(code.notBefore)},
            {"activate_by", orNull(code.activateBy)},
            {"not_after", orNull(code.notAfter)},
            {"uses", reusable ? "unlimited" : "single"}};
}

}  // namespace lockhub
