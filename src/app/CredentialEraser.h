// What the UserDirectory asks before it forgets a credential that a lock still accepts: delete it
// at the lock. Narrow on purpose: the directory knows people, not DPs.
#pragma once

#include <functional>

#include "domain/Error.h"
#include "ports/UserStore.h"

namespace lockhub {

class CredentialEraser {
public:
    using Done = std::function<void(const Result<void>&)>;
    virtual ~CredentialEraser() = default;
    // `done` runs exactly once, ok only when the lock confirmed the deletion; never after the
    // eraser is destroyed.
    virtual void erase(const ports::Credential& credential, Done done) = 0;
};

}  // namespace lockhub
