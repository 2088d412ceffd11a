// codes issue|list|revoke|verify (code/issue, code/list, code/revoke, code/verify).
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <ostream>

#include "ctl/Command.h"
#include "ctl/Views.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;

constexpr std::array kCodeTypes{"dynamic", "timed", "one_time", "clear_one", "clear_all"};

Outcome<void> codesIssue(Context& context) {
    const auto& invocation = context.invocation();
    auto lock = lockArgument(invocation.positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    const auto type = invocation.flag("type");
    if (!type || std::find(kCodeTypes.begin(), kCodeTypes.end(), *type) == kCodeTypes.end()) {
        return usage("--type: expected dynamic, timed, one_time, clear_one or clear_all" +
                     (type ? ", got \"" + *type + "\"" : std::string()));
    }
    const auto name = invocation.flag("name");
    if (!name) {
        return usage("a code needs --name, which its events and the code list show");
    }
    json body = {{"lock", *lock}, {"type", *type}, {"name", *name}};
    for (const char* flag : {"start", "end"}) {
        if (auto value = invocation.flag(flag)) {
            body[flag] = *value;
        }
    }
    if (invocation.has("serial")) {
        auto serial = integerFlag(invocation, "serial", 0, 10, 0);
        if (!serial) {
            return tl::unexpected(serial.error());
        }
        body["serial"] = *serial;
    }
    if (auto user = invocation.flag("user")) {
        auto id = userId(context, *user);
        if (!id) {
            return tl::unexpected(id.error());
        }
        body["user"] = *id;
    }
    auto issued = context.call("code/issue", body);
    if (!issued) {
        return tl::unexpected(issued.error());
    }
    context.show(*issued, [&] { context.out() << issuedCodeText(*issued); });
    return {};
}

Outcome<void> codesList(Context& context) {
    const auto& invocation = context.invocation();
    auto lock = lockArgument(invocation.positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    json body = {{"lock", *lock}};
    if (auto state = invocation.flag("state")) {
        body["state"] = *state;
    }
    auto data = context.call("code/list", body);
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data,
                 [&] { context.out() << codesTable(data->value("codes", json::array())).text(); });
    return {};
}

Outcome<void> codesRevoke(Context& context) {
    const auto& args = context.invocation().positionals;
    auto lock = lockArgument(args.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    const std::string& text = args.at(1);
    long long id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id < 1) {
        return usage("ID: expected a code's id (see lockhubctl codes list), got \"" + text + "\"");
    }
    auto revoked = context.call("code/revoke", {{"lock", *lock}, {"id", id}});
    if (!revoked) {
        return tl::unexpected(revoked.error());
    }
    context.show(*revoked, [&] { context.out() << revokedCodeText(*revoked); });
    return {};
}

// `message` when it is the `<lock>/set/result` of the request with `transaction`: how the result
// of code/verify's unlock is told apart (docs/mqtt-api.md `code/verify`).
std::optional<json> resultFor(const Message& message, const std::string& resultTopic,
                              const std::string& transaction) {
    auto result = json::parse(message.payload, nullptr, false);
    if (message.topic != resultTopic || !result.is_object() ||
        result.value("transaction", json()) != transaction) {
        return std::nullopt;
    }
    return result;
}

// Waits for that result, unless it came in `early`, while the hub was answering.
Outcome<json> unlockResult(BridgeClient& client, const std::string& resultTopic,
                           const std::string& transaction, std::optional<json> early,
                           const std::string& lock, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!early) {
        auto message = client.next(deadline);
        if (!message) {
            return tl::unexpected(message.error());
        }
        if (!*message && interrupted()) {
            return failure(Exit::Failed, "interrupted while waiting for the unlock of " + lock);
        }
        if (!*message) {
            return failure(Exit::Failed,
                           "unlock " + lock + ": no result within " +
                               std::to_string(timeout.count()) +
                               " s (the lock is asleep or out of range?); the hub keeps trying "
                               "until its locks.command_timeout_s");
        }
        early = resultFor(**message, resultTopic, transaction);
    }
    if (early->value("result", "") != "ok") {
        return failure(
            Exit::Failed,
            "unlock " + lock + ": " + cell(early->value("result", json())) +
                (early->contains("reason") ? " (" + cell((*early)["reason"]) + ")" : ""));
    }
    return *early;
}

Outcome<void> codesVerify(Context& context) {
    const auto& invocation = context.invocation();
    auto lock = lockArgument(invocation.positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto code = secretArgument(invocation.positionals.at(1), "code");
    if (!code) {
        return usage("CODE -: expected the code on standard input");
    }
    auto unlockTimeout = integerFlag(invocation, "unlock-timeout", 1, 600, 35);
    if (!unlockTimeout) {
        return tl::unexpected(unlockTimeout.error());
    }
    if (invocation.has("unlock-timeout") && !invocation.has("unlock")) {
        return usage("--unlock-timeout is only for --unlock");
    }
    json body = {{"lock", *lock}, {"code", *code}};
    if (!invocation.has("unlock")) {
        auto verified = context.call("code/verify", body);
        if (!verified) {
            return tl::unexpected(verified.error());
        }
        context.show(*verified, [&] { context.out() << verifiedCodeText(*verified); });
        return {};
    }
    auto client = context.client();
    if (!client) {
        return tl::unexpected(client.error());
    }
    const std::string resultTopic = (*client)->topic(*lock + "/set/result");
    const std::string transaction = (*client)->newTransaction();
    body["unlock"] = true;
    body["transaction"] = transaction;
    std::optional<json> early;
    Waiting waiting;
    waiting.filters = {resultTopic};
    waiting.onMessage = [&](const Message& message) {
        if (auto result = resultFor(message, resultTopic, transaction)) {
            early = std::move(result);
        }
    };
    auto verified = context.call("code/verify", body, waiting);
    if (!verified) {
        return tl::unexpected(verified.error());
    }
    if (verified->value("unlock", json()) != "requested") {
        context.show(*verified, [&] { context.out() << verifiedCodeText(*verified); });
        return failure(Exit::Failed, "no unlock: a clear code does not open " + *lock);
    }
    if (!context.json()) {
        // Flushed: a sleeping lock may take most of the wait, and the verdict is known already.
        context.out() << verifiedCodeText(*verified) << std::flush;
    }
    auto result = unlockResult(**client, resultTopic, transaction, std::move(early), *lock,
                               std::chrono::seconds(*unlockTimeout));
    if (!result) {
        return tl::unexpected(result.error());
    }
    if (context.json()) {
        (*verified)["unlock_result"] = *result;
        context.show(*verified, [] {});
    } else {
        context.out() << "unlocked\n";
    }
    return {};
}

}  // namespace

std::vector<Command> codeCommands() {
    return {
        {{"codes issue",
          {"LOCK"},
          {{"type", "TYPE", "dynamic, timed, one_time, clear_one or clear_all"},
           {"name", "NAME", "what the code is called in events and in codes list"},
           {"start", "TIME",
            "ISO-8601 with an offset (Z, +01:00); timed and clear_one need it, one_time and "
            "clear_all default to the current hour"},
           {"end", "TIME", "ISO-8601 with an offset; timed and clear_one only"},
           {"user", "USER", "the user the code is for (an id or a name)"},
           {"serial", "N", "one_time and clear_all: the serial, 0-10 (default the lowest free)"}},
          "mint a code for a guest (code/issue)",
          "Prints the code, its validity in this machine's time zone and in UTC, and the rules\n"
          "the guest should know, ready to paste into a message. Offline codes count whole UTC\n"
          "hours: the note under the rules says what was rounded."},
         codesIssue},
        {{"codes list",
          {"LOCK"},
          {{"state", "STATE",
            "only codes in this state (issued, activated, used, cleared, expired, "
            "issued_offline)"}},
          "the lock's issued codes and their states, never the digits (code/list)",
          ""},
         codesList},
        {{"codes revoke",
          {"LOCK", "ID"},
          {},
          "mint the clear-one code that disables timed code ID at the lock (code/revoke)",
          "Offline codes cannot be revoked remotely: someone must type the printed clear-one code\n"
          "at the lock's keypad, and it clears the timed code only if the lock has accepted it."},
         codesRevoke},
        {{"codes verify",
          {"LOCK", "CODE"},
          {{"unlock", "", "unlock the lock when the code is a valid unlock code, and wait for it"},
           {"unlock-timeout", "SECONDS",
            "with --unlock: how long to wait for the lock's result (default 35)"}},
          "check a code with the lock's rules, as an intercom keypad would (code/verify)",
          "CODE \"-\" reads it from standard input, so it does not show in ps. A wrong code\n"
          "counts toward the lock's wrong-code lockout. With --unlock it waits for the lock's\n"
          "result of the unlock and prints \"unlocked\"; the exit status is 1 when the lock\n"
          "refused or did not confirm it, when no result came within --unlock-timeout (a\n"
          "sleeping lock may take a while), or when the code is a clear code, which opens\n"
          "nothing."},
         codesVerify},
    };
}

}  // namespace lockhub::ctl
