// lockhubctl's command line: a table of subcommands, each with its positionals and flags, parsed
// into an Invocation. The same table produces every --help text, so the help cannot drift from
// what the parser accepts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctl/Outcome.h"

namespace lockhub::ctl {

struct FlagSpec {
    std::string name;       // without the leading "--"
    std::string valueName;  // empty: a switch that takes no value
    std::string help;
};

struct CommandSpec {
    std::string path;  // "users set"
    // Positional names; a trailing "?" marks an optional one, a trailing "..." any number.
    std::vector<std::string> positionals;
    std::vector<FlagSpec> flags;
    std::string summary;
    std::string details;  // further paragraphs for --help (may be empty)
};

struct Invocation {
    const CommandSpec* command = nullptr;      // null with `help`: the overview was asked for
    std::map<std::string, std::string> flags;  // global and command flags; switches map to ""
    std::vector<std::string> positionals;
    bool help = false;

    bool has(const std::string& flag) const { return flags.contains(flag); }
    std::optional<std::string> flag(const std::string& name) const;
};

// Flags every subcommand accepts (connection, output, timeout), before or after the subcommand.
const std::vector<FlagSpec>& globalFlags();

// Fails with exit status 2 (usage) naming the problem.
Outcome<Invocation> parseArguments(const std::vector<std::string>& args,
                                   const std::vector<CommandSpec>& commands);

std::string commandHelp(const CommandSpec& command);
std::string overviewHelp(const std::vector<CommandSpec>& commands);

// Whole-number flag values, range-checked; a usage failure names the flag.
Outcome<long long> integerFlag(const Invocation& invocation, const std::string& name, long long min,
                               long long max, long long fallback);

}  // namespace lockhub::ctl
