#include "ctl/TempViews.h"

#include "ctl/Views.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;

const json& member(const json& object, const char* key) {
    static const json kNull;
    return object.is_object() && object.contains(key) ? object.at(key) : kNull;
}

std::string line(const std::string& label, const std::string& value) {
    return label + ": " + value + "\n";
}

std::string usesCell(const json& uses) {
    return uses == 0 ? "unlimited" : cell(uses);
}

}  // namespace

std::string tempPasswordText(const json& password) {
    const auto& window = member(password, "window");
    std::string out = line("Temporary password", cell(member(password, "name")) + " (id " +
                                                     cell(member(password, "id")) + ")");
    out += line("Lock", cell(member(password, "lock")));
    if (const auto& user = member(password, "user"); user.is_object()) {
        out += line("User", userName(user));
    }
    out += line("Valid from", localAndUtc(member(window, "start")));
    out += line("Valid until", localAndUtc(member(window, "end")));
    out += line("Uses", usesCell(member(password, "uses")));
    std::string state = cell(member(password, "state"));
    if (const auto& queued = member(password, "queued"); !queued.is_null()) {
        state += " (" + cell(queued) + " waits for the lock's next connection)";
    }
    out += line("State", state);
    if (const auto& error = member(password, "error"); !error.is_null()) {
        out += line("Lock said", cell(error));
    }
    out += line("Revision", cell(member(password, "revision")));
    out += line("Hardware id", cell(member(password, "hardware_id")));
    return out;
}

Table tempPasswordsTable(const json& passwords) {
    Table table({"ID", "NAME", "USER", "START", "END", "USES", "STATE", "REV", "HW"});
    for (const auto& password : passwords) {
        const auto& window = member(password, "window");
        table.add({cell(member(password, "id")), cell(member(password, "name")),
                   userName(member(password, "user")), cell(member(window, "start")),
                   cell(member(window, "end")), usesCell(member(password, "uses")),
                   cell(member(password, "state")), cell(member(password, "revision")),
                   cell(member(password, "hardware_id"))});
    }
    return table;
}

}  // namespace lockhub::ctl
