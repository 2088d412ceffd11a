// status, locks, scan, pair, remove, rename, diagnose, lock, unlock.
#include <fstream>
#include <sstream>

#include "app/SecretFields.h"
#include "ctl/Command.h"
#include "ctl/DevicesFile.h"
#include "ctl/Views.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The hub gives a pairing handshake this long (PairingService's deadline) before it answers.
constexpr seconds kPairDeadline{45};
// How long `status` waits for the retained bridge/info after the health answer.
constexpr milliseconds kInfoGrace{500};

void printLock(Context& context, const json& lock) {
    context.show(lock, [&] { context.out() << locksTable(json::array({lock})).text(); });
}

Outcome<void> status(Context& context) {
    auto client = context.client();
    if (!client) {
        return tl::unexpected(client.error());
    }
    const std::string infoTopic = (*client)->topic("bridge/info");
    json info;
    const auto keepInfo = [&](const Message& message) {
        if (message.topic == infoTopic) {
            info = json::parse(message.payload, nullptr, false);
        }
    };
    auto health = context.call("health", json::object(), Waiting{{infoTopic}, keepInfo, {}});
    if (!health) {
        return tl::unexpected(health.error());
    }
    const auto deadline = std::chrono::steady_clock::now() + kInfoGrace;
    while (info.is_null()) {
        auto message = (*client)->next(deadline);
        if (!message || !*message) {
            break;
        }
        keepInfo(**message);
    }
    if (info.is_discarded()) {
        info = nullptr;
    }
    context.show({{"health", *health}, {"info", info}},
                 [&] { context.out() << statusText(*health, info); });
    return {};
}

Outcome<void> locks(Context& context) {
    auto data = context.call("lock/list", json::object());
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data,
                 [&] { context.out() << locksTable(data->value("locks", json::array())).text(); });
    return {};
}

Outcome<void> scan(Context& context) {
    auto duration = integerFlag(context.invocation(), "duration", 1, 60, 5);
    if (!duration) {
        return tl::unexpected(duration.error());
    }
    auto data = context.call("lock/scan", {{"duration_s", *duration}}, {}, seconds(*duration));
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data,
                 [&] { context.out() << scanTable(data->value("locks", json::array())).text(); });
    return {};
}

// The options `pair` adds to every request, whichever way the keys came.
Outcome<void> addPairOptions(const Invocation& invocation, json& body) {
    if (auto lock = invocation.flag("lock")) {
        auto valid = lockArgument(*lock);
        if (!valid) {
            return tl::unexpected(valid.error());
        }
        body["lock"] = *lock;
    }
    if (invocation.has("protocol")) {
        auto protocol = integerFlag(invocation, "protocol", 3, 4, 3);
        if (!protocol) {
            return tl::unexpected(protocol.error());
        }
        body["protocol"] = *protocol;
    }
    for (const auto& [flag, key] : {std::pair{"product-id", "product_id"},
                                    std::pair{"profile", "profile"}, std::pair{"name", "name"}}) {
        if (auto value = invocation.flag(flag)) {
            body[key] = *value;
        }
    }
    if (auto policy = invocation.flag("policy")) {
        if (policy->starts_with("{")) {
            const auto parsed = json::parse(*policy, nullptr, false);
            if (!parsed.is_object()) {
                return usage("--policy: not a JSON object");
            }
            body["policy"] = parsed;
        } else {
            body["policy"] = {{"mode", *policy}};
        }
    }
    return {};
}

Outcome<std::vector<json>> pairRequestsFromFile(const Invocation& invocation) {
    for (const char* flag : {"mac", "uuid", "local-key", "device-id"}) {
        if (invocation.has(flag)) {
            return usage(std::string("--") + flag + " cannot be combined with --from");
        }
    }
    const std::string path = *invocation.flag("from");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return failure(Exit::Failed, "cannot read " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto devices = parseDevicesFile(text.str(), path);
    if (!devices) {
        return tl::unexpected(devices.error());
    }
    auto chosen = selectDevices(*devices, invocation.positionals);
    if (!chosen) {
        return tl::unexpected(chosen.error());
    }
    if (chosen->size() > 1 && (invocation.has("name") || invocation.has("lock"))) {
        return usage("--name and --lock name one lock: pair one device at a time with them");
    }
    std::vector<json> requests;
    for (const auto& device : *chosen) {
        requests.push_back(pairRequestFor(device));
    }
    return requests;
}

Outcome<std::vector<json>> pairRequestsFromFlags(const Invocation& invocation) {
    if (!invocation.positionals.empty()) {
        return usage("device names or ids are for --from FILE");
    }
    json body = json::object();
    for (const auto& [flag, key] :
         {std::pair{"mac", "mac"}, std::pair{"uuid", "uuid"}, std::pair{"device-id", "device_id"},
          std::pair{"local-key", "local_key"}, std::pair{"name", "name"}}) {
        auto value = invocation.flag(flag);
        if (!value) {
            return usage(std::string("pair needs --") + flag + " (or --from FILE)");
        }
        if (std::string(key) == "local_key") {
            auto secret = secretArgument(*value, flag);
            if (!secret) {
                return tl::unexpected(secret.error());
            }
            body[key] = *secret;
        } else {
            body[key] = *value;
        }
    }
    return std::vector<json>{body};
}

Outcome<void> pair(Context& context) {
    const auto& invocation = context.invocation();
    auto requests = invocation.has("from") ? pairRequestsFromFile(invocation)
                                           : pairRequestsFromFlags(invocation);
    if (!requests) {
        return tl::unexpected(requests.error());
    }
    std::optional<Exit> first;
    for (auto& body : *requests) {
        if (auto ok = addPairOptions(invocation, body); !ok) {
            return ok;
        }
        const std::string name = body["name"];
        auto lock = context.call("lock/pair", body, {}, kPairDeadline);
        if (!lock) {
            // Pair the remaining devices anyway; the exit status reports the first failure.
            context.err() << "lockhubctl: pair \"" << name << "\": " << lock.error().message
                          << "\n";
            if (!first) {
                first = lock.error().exit;
            }
            continue;
        }
        printLock(context, *lock);
    }
    if (first) {
        // The messages are printed already, one per device.
        return tl::unexpected(Failure{*first, ""});
    }
    return {};
}

Outcome<void> remove(Context& context) {
    auto lock = lockArgument(context.invocation().positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto data = context.call("lock/remove", {{"lock", *lock}});
    if (!data) {
        return tl::unexpected(data.error());
    }
    printLock(context, *data);
    return {};
}

Outcome<void> diagnose(Context& context) {
    auto lock = lockArgument(context.invocation().positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto data = context.call("lock/diagnose", {{"lock", *lock}});
    if (!data) {
        return tl::unexpected(data.error());
    }
    context.show(*data, [&] { context.out() << diagnosisText(*data); });
    return {};
}

Outcome<void> rename(Context& context) {
    const auto& args = context.invocation().positionals;
    auto lock = lockArgument(args.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto data = context.call("lock/rename", {{"lock", *lock}, {"name", args.at(1)}});
    if (!data) {
        return tl::unexpected(data.error());
    }
    printLock(context, *data);
    return {};
}

// `<lock>/set` and its one result on `<lock>/set/result` (docs/mqtt-api.md).
Outcome<void> command(Context& context, const std::string& state) {
    auto lock = lockArgument(context.invocation().positionals.at(0));
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto client = context.client();
    if (!client) {
        return tl::unexpected(client.error());
    }
    const std::string resultTopic = (*client)->topic(*lock + "/set/result");
    if (auto ok = (*client)->subscribe(resultTopic); !ok) {
        return ok;
    }
    const std::string transaction = (*client)->newTransaction();
    json body = {{"state", state}, {"transaction", transaction}};
    if (auto code = context.invocation().flag("code")) {
        auto secret = secretArgument(*code, "code");
        if (!secret) {
            return tl::unexpected(secret.error());
        }
        body["code"] = *secret;
    }
    auto sealed = context.seal(std::string(kSetTopicOp), std::move(body));
    if (!sealed) {
        return tl::unexpected(sealed.error());
    }
    if (auto ok = (*client)->publish((*client)->topic(*lock + "/set"), sealed->body.dump()); !ok) {
        return ok;
    }
    const auto deadline = std::chrono::steady_clock::now() + context.timeout();
    while (true) {
        auto message = (*client)->next(deadline);
        if (!message) {
            return tl::unexpected(message.error());
        }
        if (!*message) {
            return tl::unexpected(noAnswer(state + " " + *lock, context.timeout()));
        }
        const auto result = json::parse((*message)->payload, nullptr, false);
        if ((*message)->topic != resultTopic || !result.is_object() ||
            result.value("transaction", json()) != transaction) {
            continue;
        }
        if (result.value("result", "") != "ok") {
            return failure(
                Exit::Failed,
                state + " " + *lock + ": " + cell(result.value("result", json())) +
                    (result.contains("reason") ? " (" + cell(result["reason"]) + ")" : ""));
        }
        context.show(result, [&] { context.out() << state << " " << *lock << ": ok\n"; });
        return {};
    }
}

const std::vector<FlagSpec> kPairFlags{
    {"mac", "MAC", "the lock's Bluetooth address"},
    {"uuid", "UUID", "the lock's 16-character Tuya UUID"},
    {"local-key", "KEY",
     "the lock's local key; \"-\" reads it from standard input (a key on the "
     "command line is visible to other users in ps)"},
    {"device-id", "ID", "the lock's Tuya device id"},
    {"name", "NAME", "the lock's display name (with --from: instead of the file's)"},
    {"lock", "TOPIC",
     "topic name to use (default derived from the name: Front Door -> front-door)"},
    {"protocol", "3|4", "Tuya BLE protocol generation (default 3)"},
    {"product-id", "ID", "the Tuya product id (with --from: instead of the file's)"},
    {"profile", "NAME", "DP profile (default tuya-ble-lock)"},
    {"policy", "MODE|JSON",
     "connection policy: on_demand, keep_alive or always, or a JSON object as "
     "lock/set_policy takes it"},
    {"from", "FILE",
     "import the keys from tinytuya's devices.json; name the devices to pair by "
     "name or id (not needed when the file holds one)"},
};

}  // namespace

std::vector<Command> lockCommands() {
    return {
        {{"status", {}, {}, "the hub's health and bridge/info", ""}, status},
        {{"locks", {}, {}, "the paired locks (lock/list)", ""}, locks},
        {{"scan",
          {},
          {{"duration", "SECONDS", "how long to discover, 1-60 (default 5)"}},
          "Tuya locks in Bluetooth range (lock/scan)",
          "Waits --duration plus --timeout for the answer."},
         scan},
        {{"pair",
          {"DEVICE..."},
          kPairFlags,
          "pair a lock with its Tuya keys (lock/pair)",
          "Either --mac, --uuid, --local-key, --device-id and --name, or --from FILE with the\n"
          "devices.json of `python -m tinytuya wizard`; from it lockhubctl reads id, key, mac,\n"
          "uuid, name and product_id. Several devices are paired one after the other. The hub\n"
          "verifies the keys with a handshake first, so pair waits 45 s plus --timeout."},
         pair},
        {{"remove", {"LOCK"}, {}, "unpair a lock; its records stay (lock/remove)", ""}, remove},
        {{"rename", {"LOCK", "NAME"}, {}, "change a lock's display name (lock/rename)", ""},
         rename},
        {{"diagnose",
          {"LOCK"},
          {},
          "why a code or the link may fail: the lock's checklist (lock/diagnose)",
          "Clock drift, T0, recent refused credentials, link quality, records lost, battery and\n"
          "firmware, each ok or a problem with a plain-language verdict, then the active alarms."},
         diagnose},
        {{"lock", {"LOCK"}, {}, "lock it and wait for the result (<lock>/set)", ""},
         [](Context& context) { return command(context, "LOCK"); }},
        {{"unlock",
          {"LOCK"},
          {{"code", "CODE",
            "a code or PIN, when the hub requires one to unlock; \"-\" reads it "
            "from standard input"}},
          "unlock it and wait for the result (<lock>/set)",
          "The hub answers ok, rejected, failed or timeout; all but ok exit with status 1.\n"
          "Its own command timeout (locks.command_timeout_s, 30 s) may exceed --timeout."},
         [](Context& context) { return command(context, "UNLOCK"); }},
    };
}

}  // namespace lockhub::ctl
