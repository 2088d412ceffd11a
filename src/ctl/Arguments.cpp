#include "ctl/Arguments.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace lockhub::ctl {
namespace {

bool optional(const std::string& positional) {
    return positional.ends_with("?");
}

bool variadic(const std::string& positional) {
    return positional.ends_with("...");
}

std::string displayName(const std::string& positional) {
    if (optional(positional)) {
        return "[" + positional.substr(0, positional.size() - 1) + "]";
    }
    if (variadic(positional)) {
        return "[" + positional + "]";
    }
    return positional;
}

const FlagSpec* findFlag(const std::vector<FlagSpec>& flags, const std::string& name) {
    const auto it = std::find_if(flags.begin(), flags.end(),
                                 [&](const FlagSpec& flag) { return flag.name == name; });
    return it == flags.end() ? nullptr : &*it;
}

bool isGroup(const std::vector<CommandSpec>& commands, const std::string& path) {
    return std::any_of(commands.begin(), commands.end(), [&](const CommandSpec& command) {
        return command.path.starts_with(path + " ");
    });
}

std::string subcommandsOf(const std::vector<CommandSpec>& commands, const std::string& group) {
    std::string out;
    for (const auto& command : commands) {
        if (command.path.starts_with(group + " ")) {
            out += (out.empty() ? "" : ", ") + command.path.substr(group.size() + 1);
        }
    }
    return out;
}

std::string usageLine(const CommandSpec& command) {
    std::string line = "lockhubctl " + command.path;
    if (!command.flags.empty()) {
        line += " [options]";
    }
    for (const auto& positional : command.positionals) {
        line += " " + displayName(positional);
    }
    return line;
}

// `left` in a column of `indent`, then `text` wrapped to 100 columns beside it.
void describe(std::ostringstream& out, const std::string& left, const std::string& text,
              std::size_t indent) {
    constexpr std::size_t kWidth = 100;
    out << left;
    std::size_t column = left.size();
    if (column >= indent) {
        out << "\n";
        column = 0;
    }
    std::istringstream words(text);
    std::string word;
    bool first = true;
    while (words >> word) {
        if (!first && column + 1 + word.size() > kWidth) {
            out << "\n";
            column = 0;
        }
        if (column < indent) {
            out << std::string(indent - column, ' ');
            column = indent;
        } else {
            out << ' ';
            ++column;
        }
        out << word;
        column += word.size();
        first = false;
    }
    out << "\n";
}

void describeFlags(std::ostringstream& out, const std::vector<FlagSpec>& flags) {
    for (const auto& flag : flags) {
        describe(out, "  --" + flag.name + (flag.valueName.empty() ? "" : " " + flag.valueName),
                 flag.help, 28);
    }
}

Outcome<void> checkPositionals(const CommandSpec& command, const std::vector<std::string>& given) {
    std::size_t required = 0;
    bool unbounded = false;
    for (const auto& positional : command.positionals) {
        if (variadic(positional)) {
            unbounded = true;
        } else if (!optional(positional)) {
            ++required;
        }
    }
    const std::size_t max = unbounded ? given.size() : command.positionals.size();
    if (given.size() < required) {
        return usage("lockhubctl " + command.path + ": missing " +
                     command.positionals[given.size()] + " (usage: " + usageLine(command) + ")");
    }
    if (given.size() > max) {
        return usage("lockhubctl " + command.path + ": unexpected argument \"" + given[max] +
                     "\" (usage: " + usageLine(command) + ")");
    }
    return {};
}

}  // namespace

std::optional<std::string> Invocation::flag(const std::string& name) const {
    const auto it = flags.find(name);
    if (it == flags.end()) {
        return std::nullopt;
    }
    return it->second;
}

const std::vector<FlagSpec>& globalFlags() {
    static const std::vector<FlagSpec> flags{
        {"config", "FILE",
         "the daemon's configuration to take the broker settings from "
         "(default $LOCKHUB_CONFIG, else /etc/lockhub/lockhubd.json if it exists)"},
        {"broker", "URI", "the broker, tcp://HOST:PORT or ssl://HOST:PORT ($LOCKHUB_BROKER)"},
        {"username", "NAME", "MQTT user name ($LOCKHUB_MQTT_USERNAME)"},
        {"password-file", "FILE",
         "file holding the MQTT password ($LOCKHUB_MQTT_PASSWORD_FILE; the password itself may "
         "be given in $LOCKHUB_MQTT_PASSWORD)"},
        {"ca-file", "FILE",
         "CA certificate(s) to verify the broker with; implies TLS "
         "($LOCKHUB_MQTT_CA_FILE)"},
        {"cert-file", "FILE", "client certificate for TLS ($LOCKHUB_MQTT_CERT_FILE)"},
        {"key-file", "FILE", "client private key for TLS ($LOCKHUB_MQTT_KEY_FILE)"},
        {"base-topic", "TOPIC", "the daemon's base topic ($LOCKHUB_BASE_TOPIC, default lockhub)"},
        {"timeout", "SECONDS", "how long to wait for the hub's answer (default 10)"},
        {"json", "", "print the hub's response data as JSON instead of a table"},
        {"plain", "",
         "send secrets unsealed when the hub offers no seal_key (an older lockhubd); readable by "
         "every subscriber of the broker"},
        {"help", "", "show this help"},
    };
    return flags;
}

Outcome<Invocation> parseArguments(const std::vector<std::string>& args,
                                   const std::vector<CommandSpec>& commands) {
    Invocation invocation;
    std::string path;
    bool flagsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (!flagsEnded && arg == "--") {
            flagsEnded = true;
            continue;
        }
        if (!flagsEnded && (arg == "-h" || arg == "--help")) {
            invocation.help = true;
            continue;
        }
        if (!flagsEnded && arg.starts_with("--")) {
            const auto equals = arg.find('=');
            const std::string name =
                arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
            const FlagSpec* spec = findFlag(globalFlags(), name);
            if (!spec && invocation.command) {
                spec = findFlag(invocation.command->flags, name);
            }
            if (!spec) {
                return usage("unknown option --" + name +
                             (invocation.command ? " for " + invocation.command->path : "") +
                             " (see lockhubctl " +
                             (invocation.command ? invocation.command->path + " " : "") +
                             "--help)");
            }
            std::string value;
            if (spec->valueName.empty()) {
                if (equals != std::string::npos) {
                    return usage("--" + name + " takes no value");
                }
            } else if (equals != std::string::npos) {
                value = arg.substr(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                return usage("--" + name + " needs a value (" + spec->valueName + ")");
            }
            if (!invocation.flags.emplace(name, value).second) {
                return usage("--" + name + " given twice");
            }
            continue;
        }
        if (!flagsEnded && arg.size() > 1 && arg.front() == '-' && !invocation.command) {
            return usage("unknown option " + arg + " (see lockhubctl --help)");
        }
        if (invocation.command) {
            invocation.positionals.push_back(arg);
            continue;
        }
        path += (path.empty() ? "" : " ") + arg;
        const auto exact =
            std::find_if(commands.begin(), commands.end(),
                         [&](const CommandSpec& command) { return command.path == path; });
        if (exact != commands.end()) {
            invocation.command = &*exact;
        } else if (!isGroup(commands, path)) {
            return usage("unknown command \"" + path + "\" (see lockhubctl --help)");
        }
    }
    if (!invocation.command) {
        if (invocation.help || path.empty()) {
            if (!invocation.help) {
                return usage("no command given (see lockhubctl --help)");
            }
            return invocation;
        }
        return usage(path + " needs one of: " + subcommandsOf(commands, path));
    }
    if (!invocation.help) {
        if (auto ok = checkPositionals(*invocation.command, invocation.positionals); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    return invocation;
}

std::string commandHelp(const CommandSpec& command) {
    std::ostringstream out;
    out << "usage: " << usageLine(command) << "\n\n" << command.summary << "\n";
    if (!command.details.empty()) {
        out << "\n" << command.details << "\n";
    }
    if (!command.flags.empty()) {
        out << "\noptions:\n";
        describeFlags(out, command.flags);
    }
    out << "\ncommon options:\n";
    describeFlags(out, globalFlags());
    return out.str();
}

std::string overviewHelp(const std::vector<CommandSpec>& commands) {
    std::ostringstream out;
    out << "usage: lockhubctl [options] COMMAND [arguments]\n\n"
           "Administers a running lockhubd through its MQTT API.\n\ncommands:\n";
    for (const auto& command : commands) {
        std::string left = "  " + command.path;
        for (const auto& positional : command.positionals) {
            left += " " + displayName(positional);
        }
        describe(out, left, command.summary, 40);
    }
    out << "\ncommon options:\n";
    describeFlags(out, globalFlags());
    out << "\nlockhubctl COMMAND --help describes a command's own options. Exit status: 0 ok,\n"
           "1 the hub answered with an error (printed on stderr), 2 usage, 3 no answer within\n"
           "--timeout. See lockhubctl(1).\n";
    return out.str();
}

Outcome<long long> integerFlag(const Invocation& invocation, const std::string& name, long long min,
                               long long max, long long fallback) {
    const auto text = invocation.flag(name);
    if (!text) {
        return fallback;
    }
    long long value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value < min || value > max) {
        return usage("--" + name + ": expected a whole number from " + std::to_string(min) +
                     " to " + std::to_string(max) + ", got \"" + *text + "\"");
    }
    return value;
}

}  // namespace lockhub::ctl
