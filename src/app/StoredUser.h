// The user a code or a temporary password was issued for, read from the store at the moment it
// is needed (the UserDirectory's cache is the directory's own): shared by the services that name
// a user beside what they issued.
#pragma once

#include <cstdint>
#include <optional>

#include "domain/Error.h"
#include "ports/UserStore.h"

namespace lockhub {

// nullopt for no id; NotFound for an id no user has (any more).
Result<std::optional<ports::User>> storedUser(ports::UserStore& users,
                                              std::optional<std::int64_t> id);

}  // namespace lockhub
