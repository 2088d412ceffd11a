// The seam between a remote unlock that must carry a code (`<lock>/set` with `code`, when
// access.require_code_for_unlock is set) and whoever can judge that code. The CodeService answers
// it with the lock's own rules and counts each failure toward the wrong-code lockout, so the
// CommandService never learns how codes work and the CodeService never learns about commands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/Error.h"
#include "domain/Secret.h"

namespace lockhub {

// What an accepted code was, for the command's result and the audit.
struct CodeMatch {
    std::optional<std::int64_t> codeId;  // the hub's id of an issued code, or none (a PIN)
    std::string name;                    // as the host named it
    std::string type;                    // "dynamic", "timed", "one_time", "pin", ...
    std::optional<std::int64_t> userId;  // the user it was issued for
};

class UnlockCodeCheck {
public:
    virtual ~UnlockCodeCheck() = default;
    // Errors: `auth_failed` (wrong code; counted toward the lockout) or `locked_out` (too many
    // wrong codes recently; the message says until when). `source` is the audit's actor.
    virtual Result<CodeMatch> check(std::int64_t lockId, const SecretString& code,
                                    std::string_view source) = 0;
};

}  // namespace lockhub
