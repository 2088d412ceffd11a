#include "sim/host/SimOptions.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace lockhub::sim {
namespace {

using nlohmann::json;

constexpr std::uint32_t kMaxLocks = 1000;

template <typename T>
std::optional<T> number(const std::string& text) {
    T value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

Result<void> applyConfig(const std::filesystem::path& path, SimOptions& options) {
    std::ifstream in(path);
    if (!in) {
        return fail(Errc::Config, "cannot read config " + path.string());
    }
    std::stringstream text;
    text << in.rdbuf();
    const auto config = json::parse(text.str(), nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
        return fail(Errc::Config, path.string() + ": not a JSON object");
    }
    for (const auto& [key, value] : config.items()) {
        if (key == "seed" && value.is_number_unsigned()) {
            options.seed = value.get<std::uint64_t>();
        } else if (key == "locks" && value.is_number_unsigned()) {
            options.lockCount = value.get<std::uint32_t>();
        } else if (key == "locks" && value.is_array()) {
            options.lockOverrides.assign(value.begin(), value.end());
        } else if (key == "credentials" && value.is_string()) {
            options.credentialsFile = value.get<std::string>();
        } else if (key == "bus" && value.is_string()) {
            options.busAddress = value.get<std::string>();
        } else if (key == "realistic" && value.is_boolean()) {
            options.realistic = value.get<bool>();
        } else if (key == "known" && value.is_boolean()) {
            options.known = value.get<bool>();
        } else if (key == "temporary_timeout" && value.is_number_unsigned()) {
            options.temporaryTimeout = value.get<std::uint32_t>();
        } else {
            return fail(Errc::Config, path.string() + ": unknown key or wrong type: " + key);
        }
    }
    return {};
}

}  // namespace

Result<SimOptions> parseSimOptions(const std::vector<std::string>& args) {
    SimOptions options;
    SimOptions flags;
    bool seedFlag = false;
    std::optional<std::filesystem::path> configFile;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) {
                return std::nullopt;
            }
            return args[++i];
        };
        if (arg == "--realistic") {
            flags.realistic = true;
            continue;
        }
        if (arg == "--known") {
            flags.known = true;
            continue;
        }
        const auto next = value();
        if (!next) {
            return fail(Errc::Config, arg + ": missing value or unknown option");
        }
        if (arg == "--locks") {
            const auto count = number<std::uint32_t>(*next);
            if (!count || *count > kMaxLocks) {
                return fail(Errc::Config, "--locks: expected 0-1000");
            }
            flags.lockCount = count;
        } else if (arg == "--seed") {
            const auto seed = number<std::uint64_t>(*next);
            if (!seed) {
                return fail(Errc::Config, "--seed: expected an unsigned integer");
            }
            flags.seed = *seed;
            seedFlag = true;
        } else if (arg == "--temporary-timeout") {
            const auto seconds = number<std::uint32_t>(*next);
            if (!seconds) {
                return fail(Errc::Config, "--temporary-timeout: expected seconds");
            }
            flags.temporaryTimeout = seconds;
        } else if (arg == "--config") {
            configFile = *next;
        } else if (arg == "--bus") {
            flags.busAddress = *next;
        } else if (arg == "--credentials") {
            flags.credentialsFile = *next;
        } else {
            return fail(Errc::Config, arg + ": unknown option");
        }
    }
    if (configFile) {
        if (auto applied = applyConfig(*configFile, options); !applied) {
            return tl::unexpected(applied.error());
        }
    }
    if (seedFlag) {
        options.seed = flags.seed;
    }
    if (flags.lockCount) {
        options.lockCount = flags.lockCount;
    }
    if (!flags.busAddress.empty()) {
        options.busAddress = flags.busAddress;
    }
    if (!flags.credentialsFile.empty()) {
        options.credentialsFile = flags.credentialsFile;
    }
    options.realistic = options.realistic || flags.realistic;
    options.known = options.known || flags.known;
    if (flags.temporaryTimeout) {
        options.temporaryTimeout = flags.temporaryTimeout;
    }
    if (options.lockCount && *options.lockCount > kMaxLocks) {
        return fail(Errc::Config, "locks: at most 1000");
    }
    return options;
}

}  // namespace lockhub::sim
