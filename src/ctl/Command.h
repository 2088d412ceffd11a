// What a subcommand gets to work with, and the shape of one: its command-line spec and the
// function that runs it. Each group of subcommands lives in its own file.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "ctl/Arguments.h"
#include "ctl/BridgeClient.h"
#include "ctl/Connection.h"
#include "ctl/Outcome.h"
#include "ctl/Requests.h"
#include "ctl/Sealing.h"

namespace lockhub::ctl {

class Context {
public:
    Context(const Invocation& invocation, ConnectionSettings settings,
            std::chrono::milliseconds timeout, std::ostream& out, std::ostream& err);

    const Invocation& invocation() const { return invocation_; }
    std::chrono::milliseconds timeout() const { return timeout_; }
    bool json() const { return invocation_.has("json"); }
    std::ostream& out() { return out_; }
    std::ostream& err() { return err_; }
    // Whether out() is a terminal, where a progress line may be redrawn in place.
    bool terminal() const { return terminal_; }
    void setTerminal(bool terminal) { terminal_ = terminal; }

    // Connects on first use, so a command can check its input before it needs the broker.
    Outcome<BridgeClient*> client();

    // request() on this context's client and timeout (plus `extra` for slow operations).
    Outcome<nlohmann::json> call(const std::string& op, nlohmann::json body,
                                 const Waiting& waiting = {},
                                 std::chrono::milliseconds extra = std::chrono::milliseconds(0));

    // `body` sealed for `op` (Sealing.h), reading the hub's seal_key on first need.
    Outcome<SealedRequest> seal(const std::string& op, nlohmann::json body);

    // Prints `data` as JSON with --json, else calls `human`.
    void show(const nlohmann::json& data, const std::function<void()>& human);

private:
    const Invocation& invocation_;
    ConnectionSettings settings_;
    std::chrono::milliseconds timeout_;
    std::ostream& out_;
    std::ostream& err_;
    std::unique_ptr<BridgeClient> client_;
    std::optional<std::optional<std::string>> sealKey_;  // once read
    bool terminal_ = false;
};

struct Command {
    CommandSpec spec;
    std::function<Outcome<void>(Context&)> run;
};

std::vector<Command> lockCommands();  // status, locks, scan, pair, remove, rename, diagnose, lock,
                                      // unlock
std::vector<Command> peopleCommands();  // users …, credentials …
std::vector<Command> recordCommands();  // records, watch
std::vector<Command> codeCommands();    // codes issue|list|revoke|verify
std::vector<Command> tempCommands();    // temp create|modify|delete|list

std::vector<Command> allCommands();

// A `user` argument: an id when it is all digits, else a name.
nlohmann::json userReference(const std::string& text);

// A user id for ops that take only ids (credential/enrol, code/issue): a name is looked up in
// user/list.
Outcome<nlohmann::json> userId(Context& context, const std::string& text);

// A lock's topic name as the hub makes them ([a-z0-9_-]{1,64}); anything else is a usage error,
// as it could put MQTT wildcards into the topics lockhubctl subscribes to or publishes on.
Outcome<std::string> lockArgument(const std::string& lock);

// The value of a flag that carries a secret (a local key, PIN or code); "-" reads it from the
// first line of standard input, so it does not show in ps.
Outcome<std::string> secretArgument(const std::string& value, const std::string& flag);

}  // namespace lockhub::ctl
