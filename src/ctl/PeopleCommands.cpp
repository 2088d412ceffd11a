// users list|set|remove, credentials list|assign|remove|enrol.
#include <ostream>

#include "ctl/Command.h"
#include "ctl/Views.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;
using std::chrono::seconds;

Outcome<void> usersList(Context& context) {
    auto data = context.call("user/list", json::object());
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data,
                 [&] { context.out() << usersTable(data->value("users", json::array())).text(); });
    return {};
}

Outcome<void> usersSet(Context& context) {
    const auto& invocation = context.invocation();
    json body = {{"name", invocation.positionals.at(0)}};
    if (invocation.has("id")) {
        auto id = integerFlag(invocation, "id", 1, 1LL << 53, 1);
        if (!id) {
            return tl::unexpected(id.error());
        }
        body["user"] = *id;
    }
    if (invocation.has("arrived") && invocation.has("no-arrived")) {
        return usage("--arrived and --no-arrived contradict each other");
    }
    if (invocation.has("arrived") || invocation.has("no-arrived")) {
        body["arrived"] = invocation.has("arrived");
    }
    auto user = context.call("user/set", body);
    if (!user) {
        return tl::unexpected(user.error());
    }
    context.show(*user, [&] { context.out() << usersTable(json::array({*user})).text(); });
    return {};
}

Outcome<void> usersRemove(Context& context) {
    json body = {{"user", userReference(context.invocation().positionals.at(0))}};
    if (context.invocation().has("not-at-lock")) {
        body["at_lock"] = false;
    }
    auto data = context.call("user/remove", body);
    if (!data) {
        return tl::unexpected(data.error());
    }
    const bool removed = data->value("removed", true);
    const auto& user = (*data)["user"];
    context.show(*data, [&] {
        context.out() << (removed ? "removed user " : "kept user ") << cell(user["id"]) << " "
                      << userName(user) << "\n";
        const auto deleted = data->value("deleted", json::array());
        if (!deleted.empty()) {
            context.out() << "\n" << deletionsTable(deleted).text();
        }
    });
    if (!removed) {
        return failure(Exit::Failed, "user " + userName(user) +
                                         " is kept: a lock did not delete their credentials "
                                         "(repeat when it is back, or use --not-at-lock)");
    }
    return {};
}

Outcome<json> hardwareId(const std::string& text) {
    if (text.empty() || text.size() > 10 ||
        text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(text) > 4294967295LL) {
        return usage(
            "CREDENTIAL: expected the lock's hardware id, a whole number from 0 to "
            "4294967295, got \"" +
            text + "\"");
    }
    return std::stoll(text);
}

Outcome<void> credentialsList(Context& context) {
    const auto& invocation = context.invocation();
    json body = json::object();
    if (auto lock = invocation.flag("lock")) {
        body["lock"] = *lock;
    }
    if (auto user = invocation.flag("user")) {
        body["user"] = userReference(*user);
    }
    auto data = context.call("credential/list", body);
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data, [&] {
        context.out() << credentialsTable(data->value("credentials", json::array())).text();
    });
    return {};
}

Outcome<void> credentialsAssign(Context& context) {
    const auto& args = context.invocation().positionals;
    auto id = hardwareId(args.at(2));
    if (!id) {
        return tl::unexpected(id.error());
    }
    json body = {{"lock", args.at(0)},
                 {"method", args.at(1)},
                 {"credential", *id},
                 {"user", userReference(args.at(3))}};
    if (context.invocation().has("duress")) {
        body["duress"] = true;
    }
    auto credential = context.call("credential/assign", body);
    if (!credential) {
        return tl::unexpected(credential.error());
    }
    context.show(*credential,
                 [&] { context.out() << credentialsTable(json::array({*credential})).text(); });
    return {};
}

Outcome<void> credentialsRemove(Context& context) {
    const auto& args = context.invocation().positionals;
    auto id = hardwareId(args.at(2));
    if (!id) {
        return tl::unexpected(id.error());
    }
    json body = {{"lock", args.at(0)}, {"method", args.at(1)}, {"credential", *id}};
    if (context.invocation().has("not-at-lock")) {
        body["at_lock"] = false;
    }
    auto credential = context.call("credential/remove", body);
    if (!credential) {
        return tl::unexpected(credential.error());
    }
    context.show(*credential,
                 [&] { context.out() << credentialsTable(json::array({*credential})).text(); });
    return {};
}

// The live display: redrawn in place on a terminal, one line per stage otherwise. With --json
// the progress goes to stderr so that stdout holds only the response data.
class ProgressDisplay {
public:
    explicit ProgressDisplay(Context& context) : context_(context) {}

    void show(const json& progress) {
        const std::string line = enrolProgressLine(progress);
        if (context_.json()) {
            context_.err() << line << "\n";
        } else if (context_.terminal()) {
            context_.out() << "\r\033[K" << line << std::flush;
            redrawn_ = true;
        } else {
            // Flushed: a script reading the progress through a pipe sees each touch as it happens.
            context_.out() << line << "\n" << std::flush;
        }
    }

    void finish() {
        if (redrawn_) {
            context_.out() << "\n";
            redrawn_ = false;
        }
    }

private:
    Context& context_;
    bool redrawn_ = false;
};

Outcome<void> credentialsEnrol(Context& context) {
    const auto& invocation = context.invocation();
    const auto& args = invocation.positionals;
    auto lock = lockArgument(args.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    const std::string method = args.at(2);
    if (method != "password" && method != "card" && method != "fingerprint") {
        return usage("METHOD: expected password, card or fingerprint, got \"" + method + "\"");
    }
    if ((method == "password") != invocation.has("pin")) {
        return usage(method == "password" ? "a password enrolment needs --pin"
                                          : "--pin is only for a password enrolment");
    }
    auto enrolTimeout = integerFlag(invocation, "enrol-timeout", 1, 300, 60);
    if (!enrolTimeout) {
        return tl::unexpected(enrolTimeout.error());
    }
    auto user = userId(context, args.at(1));
    if (!user) {
        return tl::unexpected(user.error());
    }
    json body = {
        {"lock", *lock}, {"user", *user}, {"method", method}, {"timeout_s", *enrolTimeout}};
    if (auto pin = invocation.flag("pin")) {
        auto digits = secretArgument(*pin, "pin");
        if (!digits) {
            return tl::unexpected(digits.error());
        }
        body["pin"] = *digits;
    }
    auto client = context.client();
    if (!client) {
        return tl::unexpected(client.error());
    }
    ProgressDisplay display(context);
    const std::string eventTopic = (*client)->topic(*lock + "/event");
    Waiting waiting;
    waiting.filters = {eventTopic};
    waiting.onMessage = [&](const Message& message) {
        const auto event = json::parse(message.payload, nullptr, false);
        if (message.topic == eventTopic && event.is_object() &&
            event.value("event", "") == "enrol_progress") {
            display.show(event);
        }
    };
    // Ctrl-C asks the hub to stop; its answer to the enrolment (cancelled) still ends the wait.
    waiting.onInterrupt = [&] {
        (void)(*client)->publish(
            (*client)->topic("bridge/request/credential/enrol_cancel"),
            json{{"lock", *lock}, {"transaction", (*client)->newTransaction()}}.dump());
    };
    auto credential = context.call("credential/enrol", body, waiting, seconds(*enrolTimeout));
    display.finish();
    if (!credential) {
        return tl::unexpected(credential.error());
    }
    context.show(*credential,
                 [&] { context.out() << credentialsTable(json::array({*credential})).text(); });
    return {};
}

}  // namespace

std::vector<Command> peopleCommands() {
    return {
        {{"users list", {}, {}, "the hub's users (user/list)", ""}, usersList},
        {{"users set",
          {"NAME"},
          {{"id", "ID", "rename user ID to NAME instead of creating a user"},
           {"arrived", "", "publish `arrived` on this user's first unlock after a quiet period"},
           {"no-arrived", "", "stop publishing `arrived` for this user"}},
          "create a user, or rename one with --id (user/set)",
          ""},
         usersSet},
        {{"users remove",
          {"USER"},
          {{"not-at-lock", "", "forget the user's credentials without deleting them at the locks"}},
          "remove a user (an id or a name) and delete their credentials at the locks "
          "(user/remove)",
          "When a lock cannot delete one, the hub keeps the user with just those credentials: the\n"
          "table shows each lock's result, and the exit status is 1."},
         usersRemove},
        {{"credentials list",
          {},
          {{"lock", "LOCK", "only this lock's credentials"},
           {"user", "USER", "only this user's (an id or a name)"}},
          "credentials assigned to users (credential/list)",
          ""},
         credentialsList},
        {{"credentials assign",
          {"LOCK", "METHOD", "CREDENTIAL", "USER"},
          {{"duress", "", "an unlock with it also raises a duress event"}},
          "name a lock's credential: METHOD (fingerprint, password, card, ...) and hardware id "
          "CREDENTIAL belong to USER (credential/assign)",
          ""},
         credentialsAssign},
        {{"credentials remove",
          {"LOCK", "METHOD", "CREDENTIAL"},
          {{"not-at-lock", "", "only forget it, without deleting it at the lock"}},
          "delete a credential at the lock and forget it (credential/remove)",
          ""},
         credentialsRemove},
        {{"credentials enrol",
          {"LOCK", "USER", "METHOD"},
          {{"pin", "DIGITS",
            "the new password (METHOD password only); \"-\" reads it from "
            "standard input"},
           {"enrol-timeout", "SECONDS",
            "how long the lock waits for the finger or card, 1-300 "
            "(default 60)"}},
          "enrol a new password, card or fingerprint at the lock for USER (credential/enrol)",
          "Shows the lock's progress (a fingerprint takes several touches) from the "
          "enrol_progress\n"
          "events until the hub answers; waits --enrol-timeout plus --timeout. Ctrl-C cancels\n"
          "the enrolment (credential/enrol_cancel)."},
         credentialsEnrol},
    };
}

}  // namespace lockhub::ctl
