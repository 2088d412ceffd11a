// Where the key that encrypts lock secrets at rest comes from (docs/storage.md, "Secrets at
// rest"). Preferred: a systemd credential (LoadCredential=lockhub-secrets-key:...), which keeps
// the key off the state directory and out of its backups. Otherwise a key file in the state
// directory, created 0600 from OpenSSL's CSPRNG on first use. Either way it is exactly 32 raw
// bytes. Losing the key loses every paired lock's secrets (the locks must be paired again).
#pragma once

#include <filesystem>
#include <optional>

#include "adapters/sqlite/SecretBox.h"
#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

inline constexpr const char* kSecretsKeyCredential = "lockhub-secrets-key";
inline constexpr const char* kSecretsKeyFile = "secrets.key";

// $CREDENTIALS_DIRECTORY, set by systemd for a unit with LoadCredential=; nullopt otherwise.
std::optional<std::filesystem::path> credentialsDirectoryFromEnvironment();

// Reads <credentialsDir>/lockhub-secrets-key when that file exists; otherwise reads
// <stateDir>/secrets.key, creating it (0600, fsynced) when missing. `stateDir` must exist (open
// the SqliteStore first). A key of the wrong size, or a key file that is not a regular file, is a
// Storage error naming the file; the key itself never appears in a message.
Result<SecretBox> loadSecretBox(const std::filesystem::path& stateDir,
                                const std::optional<std::filesystem::path>& credentialsDir);

}  // namespace lockhub::adapters::sqlite
