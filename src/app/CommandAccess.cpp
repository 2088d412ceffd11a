#include "app/CommandAccess.h"

#include <algorithm>

namespace lockhub {

std::string readUnlockCode(const nlohmann::json& body, std::optional<SecretString>& code) {
    auto it = body.find("code");
    if (it == body.end()) {
        return "";
    }
    const std::string expected =
        "/code: expected a string of 1 to " + std::to_string(kMaxUnlockCodeDigits) + " digits";
    if (!it->is_string()) {
        return expected + ", got " + (it->is_number() ? "a number" : "another type");
    }
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > kMaxUnlockCodeDigits ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return expected;  // never the value: it may be a code with a typo
    }
    code = SecretString(text);
    return "";
}

void CommandAccess::requireCodes(UnlockCodeCheck& check) {
    check_ = &check;
}

std::optional<CommandRefusal> CommandAccess::authorize(std::int64_t lockId, std::string_view state,
                                                       const std::optional<SecretString>& code,
                                                       std::string_view source,
                                                       std::optional<CodeMatch>& match) {
    if (check_ == nullptr) {
        if (code) {
            return CommandRefusal{
                "/code: this hub does not check codes (access.require_code_for_unlock is off)", ""};
        }
        return std::nullopt;
    }
    if (state != "UNLOCK") {
        return std::nullopt;  // locking needs no code; one sent along is not checked
    }
    if (!code) {
        return CommandRefusal{"code_required", "this hub requires a code to unlock"};
    }
    auto checked = check_->check(lockId, *code, source);
    if (!checked) {
        const auto reason = checked.error().code == Errc::LockedOut ? "locked_out" : "auth_failed";
        return CommandRefusal{reason, checked.error().message};
    }
    match = std::move(*checked);
    return std::nullopt;
}

nlohmann::json codeMatchJson(const CodeMatch& match) {
    return {{"id", match.codeId ? nlohmann::json(*match.codeId) : nlohmann::json()},
            {"name", match.name},
            {"type", match.type}};
}

}  // namespace lockhub
