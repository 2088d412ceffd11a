// A profile built in code with one DP per role (the JSON default profile is tested in the app
// tests, where its loader lives).
#pragma once

#include "domain/lock/DpProfile.h"

namespace lockhub::domain::test {

DpSpec spec(std::uint8_t id, DpRole role, std::uint8_t type);
DpSpec unlockRecord(std::uint8_t id, UnlockMethod method, CredentialSource source,
                    std::uint8_t type);

// Unlock by DP 6, lock by DP 46, plus DP 60/61 and 71 so every flow can be chosen.
DpProfile allRolesProfile();

}  // namespace lockhub::domain::test
