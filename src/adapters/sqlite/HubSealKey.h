// The private half of the hub's seal key pair (design §4, adapters/sodium/SodiumSeal.h), kept at
// rest like the lock secrets: drawn once from OpenSSL's CSPRNG on first start and stored in
// `meta.seal_private_key` as hex of a SecretBox blob, bound to that row.
#pragma once

#include <array>
#include <cstdint>

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/SecretBox.h"
#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

using HubSealPrivateKey = std::array<std::uint8_t, 32>;

// Reads the stored key, or creates and stores one. A stored value that does not open under
// `box` (the secrets key was lost or replaced) is replaced by a new key with a logged warning:
// nothing is stored under the seal key, so clients only need to read the new seal_key.
Result<HubSealPrivateKey> loadHubSealKey(Database& db, const SecretBox& box);

}  // namespace lockhub::adapters::sqlite
