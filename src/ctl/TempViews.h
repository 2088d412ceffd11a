// How temp_password/* responses look to a person (lockhubctl temp …). Pure functions of the JSON
// the hub sent, so they are tested without a broker.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ctl/Table.h"

namespace lockhub::ctl {

// One temporary password (a create, modify or delete response): name, lock, the window in this
// machine's time zone and in UTC, the uses, the state and the lock's ids. Never the digits: the
// host chose them and the hub does not send them back.
std::string tempPasswordText(const nlohmann::json& password);
// temp_password/list's `temp_passwords`.
Table tempPasswordsTable(const nlohmann::json& passwords);

}  // namespace lockhub::ctl
