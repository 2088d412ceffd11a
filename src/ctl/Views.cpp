#include "ctl/Views.h"

#include <time.h>

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace lockhub::ctl {
namespace {

using nlohmann::json;

const json& field(const json& object, const char* key) {
    static const json null;
    if (!object.is_object()) {
        return null;
    }
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

std::string policyCell(const json& policy) {
    if (!policy.is_object()) {
        return cell(policy);
    }
    return cell(field(policy, "mode"));
}

std::string formatted(const std::tm& time, const char* format) {
    char text[64];
    const auto size = std::strftime(text, sizeof text, format, &time);
    return std::string(text, size);
}

// "Valid from:  …", the labels in one column so the times line up.
std::string labelled(const std::string& label, const std::string& value) {
    constexpr std::size_t kColumn = 14;
    const std::string head = label + ":";
    return head + std::string(kColumn - std::min(kColumn - 1, head.size()), ' ') + value + "\n";
}

// `code 4 "Plumber" (one_time)`, and the user it was issued for.
std::string codeReference(const json& code) {
    std::string out = "code " + cell(field(code, "id")) + " \"" + cell(field(code, "name")) +
                      "\" (" + cell(field(code, "type")) + ")";
    if (const auto& user = field(code, "user"); user.is_object()) {
        out += " for " + userName(user);
    }
    return out;
}

std::string windowCell(const json& window) {
    const auto& end = field(window, "end");
    if (end.is_null()) {
        return "from " + cell(field(window, "start"));
    }
    return cell(field(window, "start")) + " to " + cell(end);
}

std::string methodAndCredential(const json& event) {
    std::string out = cell(field(event, "method"));
    if (const auto& credential = field(event, "credential"); !credential.is_null()) {
        out += " #" + cell(credential);
    }
    return out;
}

}  // namespace

std::string cell(const json& value) {
    if (value.is_null()) {
        return "-";
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "yes" : "no";
    }
    return value.dump();
}

std::string userName(const json& user) {
    return user.is_object() ? cell(field(user, "name")) : "-";
}

std::string localAndUtc(const json& time) {
    if (!time.is_string()) {
        return cell(time);
    }
    const std::string text = time.get<std::string>();
    std::tm utc{};
    std::istringstream in(text);
    in >> std::get_time(&utc, "%Y-%m-%dT%H:%M:%S");
    if (in.fail() || in.get() != 'Z' || in.peek() != std::char_traits<char>::eof()) {
        return text;
    }
    const std::time_t seconds = timegm(&utc);
    // TZ may have changed since the last conversion (the tests set it).
    tzset();
    std::tm local{};
    localtime_r(&seconds, &local);
    const std::string inUtc = formatted(utc, "%Y-%m-%d %H:%M:%S") + " UTC";
    const std::string inLocal = formatted(local, "%Y-%m-%d %H:%M:%S %Z");
    return inLocal == inUtc ? inUtc : inLocal + " (" + inUtc + ")";
}

std::string issuedCodeText(const json& issued) {
    const auto& validity = field(issued, "validity");
    const auto& activateBy = field(validity, "activate_by");
    const auto& notAfter = field(validity, "not_after");
    const bool singleUse = cell(field(validity, "uses")) == "single";
    std::string out = labelled("Code", cell(field(issued, "code"))) +
                      labelled("Type", cell(field(issued, "type"))) +
                      labelled("Name", cell(field(issued, "name")));
    if (const auto& user = field(issued, "user"); user.is_object()) {
        out += labelled("User", userName(user));
    }
    out += labelled("Lock",
                    cell(field(issued, "lock")) + " (code id " + cell(field(issued, "id")) + ")");
    out += labelled("Valid from", localAndUtc(field(validity, "not_before")));
    // A first-use deadline at the end itself is no separate line, except that for a single-use
    // code the end is when it must be used.
    if (!activateBy.is_null() && activateBy != notAfter) {
        out += labelled(singleUse ? "Use by" : "First use by", localAndUtc(activateBy));
    }
    if (!notAfter.is_null()) {
        out += labelled(singleUse && notAfter == activateBy ? "Use by" : "Valid until",
                        localAndUtc(notAfter));
    }
    out += "Rules:\n";
    for (const auto& rule : field(issued, "rules")) {
        out += "- " + cell(rule) + "\n";
    }
    if (const auto& alignment = field(issued, "alignment"); !alignment.is_null()) {
        out += "Note: " + cell(alignment) + "\n";
    }
    if (issued.contains("clock_warning")) {
        out += "Warning: " + cell(issued["clock_warning"]) + "\n";
    }
    if (const auto& clears = field(issued, "clears"); !clears.is_null()) {
        out += labelled("Clears", "code " + cell(clears));
    }
    return out;
}

std::string revokedCodeText(const json& revoked) {
    return issuedCodeText(revoked) +
           "\nType this clear-one code at the lock's keypad: offline codes cannot be revoked "
           "remotely.\nIt clears code " +
           cell(field(revoked, "revokes")) +
           " only if the lock has already accepted that code; a code never typed stays\nusable "
           "until its first-use deadline.\n";
}

Table codesTable(const json& codes) {
    Table table({"ID", "TYPE", "NAME", "USER", "WINDOW", "STATE"});
    for (const auto& code : codes) {
        table.add({cell(field(code, "id")), cell(field(code, "type")), cell(field(code, "name")),
                   userName(field(code, "user")), windowCell(field(code, "window")),
                   cell(field(code, "state"))});
    }
    return table;
}

std::string verifiedCodeText(const json& verified) {
    std::string out = cell(field(verified, "result")) + ": ";
    const auto& code = field(verified, "code");
    const auto& candidates = field(verified, "candidates");
    if (code.is_object()) {
        out += codeReference(code);
    } else if (candidates.is_array() && !candidates.empty()) {
        out += "one of ";
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            out += (i == 0 ? "" : ", ") + codeReference(candidates[i]);
        }
    } else {
        out += "a code this hub did not issue";
    }
    out += "\n";
    const auto& cleared = field(verified, "cleared");
    if (cleared.is_array() && !cleared.empty()) {
        out += "cleared codes:";
        for (std::size_t i = 0; i < cleared.size(); ++i) {
            out += (i == 0 ? " " : ", ") + cell(cleared[i]);
        }
        out += "\n";
    }
    const std::string unlock = cell(field(verified, "unlock"));
    if (unlock == "requested") {
        out += "unlock requested: waiting for " + cell(field(verified, "lock")) + "'s result\n";
    } else if (unlock == "not_an_unlock_code") {
        out += "no unlock: a clear code does not open the lock\n";
    }
    return out;
}

Table locksTable(const json& locks) {
    Table table({"LOCK", "NAME", "MAC", "STATE", "LINK", "AVAILABLE", "BATTERY", "POLICY"});
    for (const auto& lock : locks) {
        table.add({cell(field(lock, "lock")), cell(field(lock, "name")), cell(field(lock, "mac")),
                   cell(field(lock, "state")), cell(field(lock, "link")),
                   cell(field(lock, "available")), cell(field(lock, "battery")),
                   policyCell(field(lock, "policy"))});
    }
    return table;
}

Table scanTable(const json& locks) {
    Table table({"MAC", "NAME", "RSSI", "PAIRED", "PROTOCOL", "BOUND", "PRODUCT"});
    for (const auto& lock : locks) {
        table.add({cell(field(lock, "mac")), cell(field(lock, "name")), cell(field(lock, "rssi")),
                   cell(field(lock, "paired")), cell(field(lock, "protocol")),
                   cell(field(lock, "bound")), cell(field(lock, "product_id"))});
    }
    return table;
}

Table usersTable(const json& users) {
    Table table({"ID", "NAME", "ARRIVED"});
    for (const auto& user : users) {
        table.add(
            {cell(field(user, "id")), cell(field(user, "name")), cell(field(user, "arrived"))});
    }
    return table;
}

Table credentialsTable(const json& credentials) {
    Table table({"LOCK", "METHOD", "CREDENTIAL", "USER", "DURESS"});
    for (const auto& credential : credentials) {
        table.add({cell(field(credential, "lock")), cell(field(credential, "method")),
                   cell(field(credential, "credential")), userName(field(credential, "user")),
                   cell(field(credential, "duress"))});
    }
    return table;
}

Table deletionsTable(const json& deleted) {
    Table table({"LOCK", "METHOD", "CREDENTIAL", "RESULT", "MESSAGE"});
    for (const auto& entry : deleted) {
        table.add({cell(field(entry, "lock")), cell(field(entry, "method")),
                   cell(field(entry, "credential")), cell(field(entry, "result")),
                   entry.contains("message") ? cell(field(entry, "message")) : ""});
    }
    return table;
}

Table recordsTable(const json& records) {
    Table table({"ID", "HUB_TIME", "LOCK_TIME", "LOCK", "EVENT", "METHOD", "CREDENTIAL", "USER_ID",
                 "USER", "ALARM", "CODE", "TIME_CORRECTED", "EVENT_ID"});
    for (const auto& record : records) {
        const auto& user = field(record, "user");
        const auto& code = field(record, "code");
        table.add({cell(field(record, "id")), cell(field(record, "hub_time")),
                   cell(field(record, "lock_time")), cell(field(record, "lock")),
                   cell(field(record, "event")), cell(field(record, "method")),
                   cell(field(record, "credential")), cell(field(user, "id")), userName(user),
                   cell(field(record, "alarm")), code.is_object() ? cell(field(code, "name")) : "-",
                   cell(field(record, "time_corrected")), cell(field(record, "event_id"))});
    }
    return table;
}

std::string statusText(const json& health, const json& info) {
    Table table({"KEY", "VALUE"});
    table.add({"healthy", cell(field(health, "healthy"))});
    table.add({"version", cell(field(health, "version"))});
    table.add({"hub_id", cell(field(health, "hub_id"))});
    table.add({"uptime_s", cell(field(health, "uptime_s"))});
    table.add({"mqtt", cell(field(health, "mqtt"))});
    table.add({"database", cell(field(health, "database"))});
    table.add({"locks", cell(field(health, "locks"))});
    if (info.is_object()) {
        table.add({"storage", cell(field(field(info, "storage"), "status"))});
        for (const auto& [key, value] : field(info, "counts").items()) {
            table.add({"count." + key, cell(value)});
        }
    }
    return table.text();
}

std::string diagnosisText(const json& diagnosis) {
    Table table({"CHECK", "STATUS", "VERDICT"});
    const auto add = [&](const std::string& item, const json& value) {
        const auto& ok = field(value, "ok");
        table.add({item, ok.is_boolean() ? (ok.get<bool>() ? "ok" : "problem") : "-",
                   cell(field(value, "verdict"))});
    };
    // The FAQ 4.1 order first (docs/mqtt-api.md "lock/diagnose"), then items of a newer hub.
    const std::vector<std::string> known = {"clock",        "t0",      "code_failures", "link",
                                            "records_lost", "battery", "firmware"};
    for (const auto& item : known) {
        if (diagnosis.contains(item)) {
            add(item, diagnosis[item]);
        }
    }
    for (const auto& [item, value] : diagnosis.items()) {
        if (value.is_object() && value.contains("verdict") &&
            std::find(known.begin(), known.end(), item) == known.end()) {
            add(item, value);
        }
    }
    std::string alarms;
    for (const auto& alarm : field(diagnosis, "alarms_active")) {
        alarms += (alarms.empty() ? "" : ", ") + cell(alarm);
    }
    return table.text() + "active alarms: " + (alarms.empty() ? "none" : alarms) + "\n";
}

std::string eventLine(const std::string& lock, const json& event) {
    if (cell(field(event, "event")) == "enrol_progress") {
        return cell(field(event, "hub_time")) + "  " + lock + "  " + enrolProgressLine(event);
    }
    std::string line = cell(field(event, "hub_time")) + "  " + lock + "  " +
                       cell(field(event, "event")) + "  " + methodAndCredential(event);
    if (const auto& alarm = field(event, "alarm"); !alarm.is_null()) {
        line += "  " + cell(alarm);
    }
    const auto& user = field(event, "user");
    if (user.is_object()) {
        line += "  " + userName(user);
    } else if (!field(event, "credential").is_null()) {
        line += "  (nobody named)";
    }
    return line;
}

std::string enrolProgressLine(const json& progress) {
    std::string line = cell(field(progress, "method")) + " enrolment for " +
                       userName(field(progress, "user")) + ": " + cell(field(progress, "stage"));
    if (const auto& count = field(progress, "count"); !count.is_null()) {
        line += ", " + cell(count) + (count == 1 ? " touch" : " touches");
    }
    if (const auto& credential = field(progress, "credential"); !credential.is_null()) {
        line += ", credential #" + cell(credential);
    }
    if (const auto& reason = field(progress, "reason"); !reason.is_null()) {
        line += " (" + cell(reason) + ")";
    }
    return line;
}

}  // namespace lockhub::ctl
