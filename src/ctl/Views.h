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
// lock/diagnose as a checklist: one row per item (ok, problem, or - when there is nothing to
// judge) with its verdict, then the active alarms.
std::string diagnosisText(const nlohmann::json& diagnosis);

// One `<lock>/event` as a line: hub time, lock, event, method and credential, user.
std::string eventLine(const std::string& lock, const nlohmann::json& event);

// One `enrol_progress` event as the enrolment's status line.
std::string enrolProgressLine(const nlohmann::json& progress);

// A `user` value ({"id","name"} or null) for people; "-" when nobody is named.
std::string userName(const nlohmann::json& user);

// A hub time ("2026-12-01T14:00:00Z") in this machine's time zone (TZ) and in UTC:
// "2026-12-01 15:00:00 CET (2026-12-01 14:00:00 UTC)"; anything else is shown unchanged.
std::string localAndUtc(const nlohmann::json& time);

// A `code/issue` or `code/revoke` response as a message a host can paste to a guest: the digits,
// type and name, the validity in local time and UTC, the rules and the alignment note.
std::string issuedCodeText(const nlohmann::json& issued);
// A `code/revoke` response: the clear-one code as above, and that it must be typed at the lock.
std::string revokedCodeText(const nlohmann::json& revoked);
// code/list's `codes`: metadata and state only (the hub never sends the digits there).
Table codesTable(const nlohmann::json& codes);
// A `code/verify` response: what was accepted, what it cleared and whether an unlock followed.
std::string verifiedCodeText(const nlohmann::json& verified);

}  // namespace lockhub::ctl
