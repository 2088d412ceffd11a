#include "ctl/Command.h"

#include <algorithm>
#include <iostream>

namespace lockhub::ctl {

Context::Context(const Invocation& invocation, ConnectionSettings settings,
                 std::chrono::milliseconds timeout, std::ostream& out, std::ostream& err)
    : invocation_(invocation),
      settings_(std::move(settings)),
      timeout_(timeout),
      out_(out),
      err_(err) {}

Outcome<BridgeClient*> Context::client() {
    if (!client_) {
        auto connected = BridgeClient::connect(settings_, actorName(), timeout_);
        if (!connected) {
            return tl::unexpected(connected.error());
        }
        client_ = std::move(*connected);
    }
    return client_.get();
}

Outcome<nlohmann::json> Context::call(const std::string& op, nlohmann::json body,
                                      const Waiting& waiting, std::chrono::milliseconds extra) {
    auto connected = client();
    if (!connected) {
        return tl::unexpected(connected.error());
    }
    auto sealed = seal(op, std::move(body));
    if (!sealed) {
        return tl::unexpected(sealed.error());
    }
    auto data = request(**connected, op, std::move(sealed->body), timeout_ + extra, waiting);
    if (!data) {
        return data;
    }
    return openResponse(op, std::move(*data), sealed->reply.get());
}

Outcome<SealedRequest> Context::seal(const std::string& op, nlohmann::json body) {
    if (needsSealing(op, body) && !sealKey_) {
        auto connected = client();
        if (!connected) {
            return tl::unexpected(connected.error());
        }
        auto key = readSealKey(**connected, timeout_);
        if (!key) {
            return tl::unexpected(key.error());
        }
        sealKey_ = std::move(*key);
    }
    return sealRequest(op, std::move(body), sealKey_.value_or(std::nullopt),
                       invocation_.has("plain"));
}

void Context::show(const nlohmann::json& data, const std::function<void()>& human) {
    if (json()) {
        out_ << data.dump() << "\n";
    } else {
        human();
    }
}

std::vector<Command> allCommands() {
    std::vector<Command> all;
    for (auto group :
         {lockCommands(), peopleCommands(), recordCommands(), codeCommands(), tempCommands()}) {
        all.insert(all.end(), group.begin(), group.end());
    }
    return all;
}

nlohmann::json userReference(const std::string& text) {
    const bool digits =
        !text.empty() && text.size() <= 18 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
        return std::stoll(text);
    }
    return text;
}

Outcome<nlohmann::json> userId(Context& context, const std::string& text) {
    auto reference = userReference(text);
    if (reference.is_number()) {
        return reference;
    }
    auto users = context.call("user/list", nlohmann::json::object());
    if (!users) {
        return tl::unexpected(users.error());
    }
    for (const auto& user : users->value("users", nlohmann::json::array())) {
        if (user.value("name", "") == text) {
            return user["id"];
        }
    }
    return failure(Exit::Failed, "not_found: no user is called \"" + text + "\"");
}

Outcome<std::string> lockArgument(const std::string& lock) {
    const bool valid =
        !lock.empty() && lock.size() <= 64 &&
        lock.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
    if (!valid) {
        return usage("\"" + lock +
                     "\" is not a lock's topic name (1-64 of a-z, 0-9, _ and -; see "
                     "lockhubctl locks)");
    }
    return lock;
}

Outcome<std::string> secretArgument(const std::string& value, const std::string& flag) {
    if (value != "-") {
        return value;
    }
    std::string line;
    if (!std::getline(std::cin, line) || line.empty()) {
        return usage("--" + flag + " -: expected the value on standard input");
    }
    return line;
}

}  // namespace lockhub::ctl
