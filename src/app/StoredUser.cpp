#include "app/StoredUser.h"

#include <string>

namespace lockhub {

Result<std::optional<ports::User>> storedUser(ports::UserStore& users,
                                              std::optional<std::int64_t> id) {
    if (!id) {
        return std::optional<ports::User>();
    }
    auto all = users.users();
    if (!all) {
        return tl::unexpected(all.error());
    }
    for (const auto& user : *all) {
        if (user.id == *id) {
            return std::optional(user);
        }
    }
    return fail(Errc::NotFound, "no user has id " + std::to_string(*id));
}

}  // namespace lockhub
