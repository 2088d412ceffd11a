// Whether a `<lock>/set` may run (issue 10, access.require_code_for_unlock): with codes
// required, an UNLOCK must carry a `code` that the UnlockCodeCheck accepts; LOCK needs none.
// Without, a `code` is refused rather than ignored, so nobody believes a code protects the door
// when nothing checks it. The code is a SecretString from the payload on: it never reaches a
// result, a log line or the audit.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "app/UnlockCodeCheck.h"
#include "domain/Error.h"
#include "domain/Secret.h"

namespace lockhub {

inline constexpr std::size_t kMaxUnlockCodeDigits = 32;

// Reads the optional "code" of a set payload into `code`; a problem (wrong type, not 1–32
// digits) as a message naming the key, empty when there is none.
std::string readUnlockCode(const nlohmann::json& body, std::optional<SecretString>& code);

struct CommandRefusal {
    std::string reason;   // for `reason` and the audit: code_required, auth_failed, locked_out,
                          // or a payload problem's text
    std::string message;  // for people; empty for payload problems
};

class CommandAccess {
public:
    // Codes are required from now on, judged by `check` (the CodeService).
    void requireCodes(UnlockCodeCheck& check);

    // nullopt: the command may run; `match` then says which code opened it (codes required).
    std::optional<CommandRefusal> authorize(std::int64_t lockId, std::string_view state,
                                            const std::optional<SecretString>& code,
                                            std::string_view source,
                                            std::optional<CodeMatch>& match);

private:
    UnlockCodeCheck* check_ = nullptr;
};

// {"id", "name", "type"} of the code that opened the lock, for the command's result.
nlohmann::json codeMatchJson(const CodeMatch& match);

}  // namespace lockhub
