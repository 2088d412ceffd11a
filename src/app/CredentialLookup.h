// What the EventPipeline asks the UserDirectory at event time: whose credential was used. Narrow on
// purpose, so the pipeline cannot reach into the directory's other state.
#pragma once

#include <cstdint>
#include <optional>

#include "app/LockMessages.h"
#include "domain/lock/LockEvent.h"

namespace lockhub {

struct CredentialOwner {
    EventUser user;
    bool duress = false;   // the credential is flagged duress
    bool arrived = false;  // the user wants `arrived` events
};

class CredentialLookup {
public:
    virtual ~CredentialLookup() = default;
    // nullopt when nobody has named the credential.
    virtual std::optional<CredentialOwner> ownerOf(std::int64_t lockId, domain::UnlockMethod method,
                                                   std::uint32_t hardwareId) const = 0;
};

}  // namespace lockhub
