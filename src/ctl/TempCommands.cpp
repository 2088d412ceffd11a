// temp create|modify|delete|list (temp_password/create, /modify, /delete, /list).
#include <charconv>
#include <ostream>

#include "ctl/Command.h"
#include "ctl/TempViews.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;

Outcome<long long> idArgument(const std::string& text) {
    long long id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id < 1) {
        return usage("ID: expected a temporary password's id (see lockhubctl temp list), got \"" +
                     text + "\"");
    }
    return id;
}

// The flags create and modify share; `body` gets those given.
Outcome<void> readFields(Context& context, json& body) {
    const auto& invocation = context.invocation();
    for (const char* flag : {"name", "start", "end"}) {
        if (auto value = invocation.flag(flag)) {
            body[flag] = *value;
        }
    }
    if (auto password = invocation.flag("password")) {
        auto digits = secretArgument(*password, "password");
        if (!digits) {
            return tl::unexpected(digits.error());
        }
        body["password"] = *digits;
    }
    if (invocation.has("uses")) {
        auto uses = integerFlag(invocation, "uses", 0, 255, 0);
        if (!uses) {
            return tl::unexpected(uses.error());
        }
        body["uses"] = *uses;
    }
    if (auto user = invocation.flag("user")) {
        auto id = userId(context, *user);
        if (!id) {
            return tl::unexpected(id.error());
        }
        body["user"] = *id;
    }
    return {};
}

Outcome<void> show(Context& context, const char* op, const json& body) {
    auto data = context.call(op, body);
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data, [&] { context.out() << tempPasswordText(*data); });
    return {};
}

Outcome<void> tempCreate(Context& context) {
    auto lock = lockArgument(context.invocation().positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    for (const char* flag : {"name", "password", "start", "end"}) {
        if (!context.invocation().has(flag)) {
            return usage(std::string("temp create needs --") + flag);
        }
    }
    json body = {{"lock", *lock}};
    if (auto read = readFields(context, body); !read) {
        return read;
    }
    return show(context, "temp_password/create", body);
}

Outcome<void> tempModify(Context& context) {
    auto id = idArgument(context.invocation().positionals.at(0));
    if (!id) {
        return tl::unexpected(id.error());
    }
    json body = {{"id", *id}};
    if (auto read = readFields(context, body); !read) {
        return read;
    }
    return show(context, "temp_password/modify", body);
}

Outcome<void> tempDelete(Context& context) {
    auto id = idArgument(context.invocation().positionals.at(0));
    if (!id) {
        return tl::unexpected(id.error());
    }
    return show(context, "temp_password/delete", {{"id", *id}});
}

Outcome<void> tempList(Context& context) {
    auto lock = lockArgument(context.invocation().positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto data = context.call("temp_password/list", {{"lock", *lock}});
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data, [&] {
        context.out() << tempPasswordsTable(data->value("temp_passwords", json::array())).text();
    });
    return {};
}

std::vector<FlagSpec> fieldFlags(bool create) {
    return {{"name", "NAME", "what the password is called in events and in temp list"},
            {"password", "DIGITS",
             std::string(create ? ""
                                : "a new one, or the same again when changing times or "
                                  "uses; ") +
                 "6-10 digits, \"-\" reads it from standard input"},
            {"start", "TIME", "ISO-8601 with an offset (Z, +01:00)"},
            {"end", "TIME", "ISO-8601 with an offset"},
            {"uses", "N", "how often it opens the lock, 1-255; 0 unlimited (the default)"},
            {"user", "USER", "the user it is for (an id or a name)"}};
}

}  // namespace

std::vector<Command> tempCommands() {
    return {
        {{"temp create",
          {"LOCK"},
          fieldFlags(true),
          "push a temporary password to the lock over BLE (temp_password/create)",
          "It is pending until the lock confirms it, which waits for the lock's next connection\n"
          "when it is asleep or away. At most 10 valid per lock. The window is printed in this\n"
          "machine's time zone and in UTC."},
         tempCreate},
        {{"temp modify",
          {"ID"},
          fieldFlags(false),
          "rename or change a temporary password (temp_password/modify)",
          "A new window or use count is written to the lock again, with the password: give\n"
          "--password (the hub keeps only a hash once the lock has it)."},
         tempModify},
        {{"temp delete",
          {"ID"},
          {},
          "delete a temporary password at the lock (temp_password/delete)",
          ""},
         tempDelete},
        {{"temp list",
          {"LOCK"},
          {},
          "the lock's temporary passwords and their states, never the digits (temp_password/list)",
          ""},
         tempList},
    };
}

}  // namespace lockhub::ctl
