#include "ctl/Views.h"

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
