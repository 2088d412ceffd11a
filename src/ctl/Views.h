// How the hub's responses and events look to a person: which fields become which columns.
// Pure functions of the JSON the hub sent, so they are tested without a broker.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ctl/Table.h"

namespace lockhub::ctl {

// A JSON value as a table cell: "-" for null or absent, yes/no for booleans.
std::string cell(const nlohmann::json& value);

Table locksTable(const nlohmann::json& locks);
Table scanTable(const nlohmann::json& locks);
Table usersTable(const nlohmann::json& users);
Table credentialsTable(const nlohmann::json& credentials);
// user/remove's `deleted`: what each lock did with each of the user's credentials.
Table deletionsTable(const nlohmann::json& deleted);
// The same columns for the terminal and for --csv.
Table recordsTable(const nlohmann::json& records);

// `health` response data and the retained `bridge/info` (null when none arrived).
std::string statusText(const nlohmann::json& health, const nlohmann::json& info);

// One `<lock>/event` as a line: hub time, lock, event, method and credential, user.
std::string eventLine(const std::string& lock, const nlohmann::json& event);

// One `enrol_progress` event as the enrolment's status line.
std::string enrolProgressLine(const nlohmann::json& progress);

// A `user` value ({"id","name"} or null) for people; "-" when nobody is named.
std::string userName(const nlohmann::json& user);

}  // namespace lockhub::ctl
