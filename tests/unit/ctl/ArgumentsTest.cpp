#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ctl/Arguments.h"
#include "ctl/Command.h"

namespace lockhub::ctl {
namespace {

const std::vector<CommandSpec> kCommands{
    {"locks", {}, {}, "list", ""},
    {"rename", {"LOCK", "NAME"}, {}, "rename", ""},
    {"pair", {"DEVICE..."}, {{"from", "FILE", "import"}, {"mac", "MAC", "address"}}, "pair", ""},
    {"users list", {}, {}, "users", ""},
    {"users set", {"NAME"}, {{"id", "ID", "rename"}, {"arrived", "", "flag"}}, "set", ""},
    {"records", {"LOCK?"}, {}, "records", ""},
};

Invocation parsed(const std::vector<std::string>& args) {
    auto invocation = parseArguments(args, kCommands);
    EXPECT_TRUE(invocation) << invocation.error().message;
    return invocation ? *invocation : Invocation{};
}

Failure rejected(const std::vector<std::string>& args) {
    auto invocation = parseArguments(args, kCommands);
    EXPECT_FALSE(invocation);
    return invocation ? Failure{Exit::Ok, ""} : invocation.error();
}

TEST(CtlArguments, GlobalFlagsGoBeforeOrAfterTheCommand) {
    const auto invocation =
        parsed({"--broker", "tcp://h:1", "users", "set", "Alice", "--timeout=3", "--json"});
    ASSERT_NE(invocation.command, nullptr);
    EXPECT_EQ(invocation.command->path, "users set");
    EXPECT_EQ(invocation.positionals, std::vector<std::string>{"Alice"});
    EXPECT_EQ(invocation.flag("broker"), "tcp://h:1");
    EXPECT_EQ(invocation.flag("timeout"), "3");
    EXPECT_TRUE(invocation.has("json"));
    EXPECT_FALSE(invocation.has("id"));
}

TEST(CtlArguments, CommandFlagsSwitchesAndVariadicPositionals) {
    const auto pair = parsed({"pair", "--from", "devices.json", "Back Door", "bf12"});
    EXPECT_EQ(pair.flag("from"), "devices.json");
    EXPECT_EQ(pair.positionals, (std::vector<std::string>{"Back Door", "bf12"}));
    EXPECT_TRUE(parsed({"pair"}).positionals.empty());

    const auto set = parsed({"users", "set", "--id", "4", "--arrived", "Ann"});
    EXPECT_EQ(set.flag("id"), "4");
    EXPECT_EQ(set.flag("arrived"), "");
    EXPECT_EQ(set.positionals, std::vector<std::string>{"Ann"});
    EXPECT_EQ(parsed({"records"}).positionals.size(), 0u);
    EXPECT_EQ(parsed({"records", "front"}).positionals.size(), 1u);
}

TEST(CtlArguments, DoubleDashEndsTheFlags) {
    const auto invocation = parsed({"rename", "front", "--", "--weird name"});
    EXPECT_EQ(invocation.positionals, (std::vector<std::string>{"front", "--weird name"}));
}

TEST(CtlArguments, UsageErrorsNameTheProblem) {
    EXPECT_EQ(rejected({}).message, "no command given (see lockhubctl --help)");
    EXPECT_EQ(rejected({"frob"}).message, "unknown command \"frob\" (see lockhubctl --help)");
    EXPECT_EQ(rejected({"users"}).message, "users needs one of: list, set");
    EXPECT_EQ(rejected({"users", "drop"}).message,
              "unknown command \"users drop\" (see lockhubctl --help)");
    EXPECT_EQ(rejected({"locks", "--mac", "x"}).message,
              "unknown option --mac for locks (see lockhubctl locks --help)");
    EXPECT_EQ(rejected({"-v", "locks"}).message, "unknown option -v (see lockhubctl --help)");
    EXPECT_EQ(rejected({"rename", "front"}).message,
              "lockhubctl rename: missing NAME (usage: lockhubctl rename LOCK NAME)");
    EXPECT_EQ(rejected({"rename", "a", "b", "c"}).message,
              "lockhubctl rename: unexpected argument \"c\" (usage: lockhubctl rename LOCK NAME)");
    EXPECT_EQ(rejected({"pair", "--from"}).message, "--from needs a value (FILE)");
    EXPECT_EQ(rejected({"users", "set", "A", "--arrived=yes"}).message, "--arrived takes no value");
    EXPECT_EQ(rejected({"--json", "locks", "--json"}).message, "--json given twice");
    for (const auto& args : std::vector<std::vector<std::string>>{{"frob"}, {"rename"}}) {
        EXPECT_EQ(rejected(args).exit, Exit::Usage);
    }
}

TEST(CtlArguments, HelpNeedsNoPositionals) {
    const auto command = parsed({"rename", "--help"});
    EXPECT_TRUE(command.help);
    ASSERT_NE(command.command, nullptr);
    EXPECT_EQ(command.command->path, "rename");
    const auto overview = parsed({"-h"});
    EXPECT_TRUE(overview.help);
    EXPECT_EQ(overview.command, nullptr);
}

TEST(CtlArguments, IntegerFlagsAreRangeChecked) {
    Invocation invocation;
    invocation.flags = {{"timeout", "30"}, {"limit", "0"}, {"count", "3x"}};
    EXPECT_EQ(integerFlag(invocation, "timeout", 1, 3600, 10).value(), 30);
    EXPECT_EQ(integerFlag(invocation, "absent", 1, 5, 4).value(), 4);
    const auto low = integerFlag(invocation, "limit", 1, 500, 100);
    ASSERT_FALSE(low);
    EXPECT_EQ(low.error().exit, Exit::Usage);
    EXPECT_EQ(low.error().message, "--limit: expected a whole number from 1 to 500, got \"0\"");
    EXPECT_FALSE(integerFlag(invocation, "count", 1, 5, 1));
}

TEST(CtlArguments, HelpAndTheManPageDocumentEveryCommandAndFlag) {
    std::ifstream in(std::string(LOCKHUB_SOURCE_DIR) + "/packaging/man/lockhubctl.1");
    ASSERT_TRUE(in) << "packaging/man/lockhubctl.1 is missing";
    std::ostringstream page;
    page << in.rdbuf();
    // troff escapes every "-" as "\-".
    const auto man = [&](const std::string& text) {
        std::string escaped;
        for (char c : text) {
            escaped += c == '-' ? std::string("\\-") : std::string(1, c);
        }
        return escaped;
    };
    std::vector<CommandSpec> specs;
    for (const auto& command : allCommands()) {
        specs.push_back(command.spec);
    }
    const std::string overview = overviewHelp(specs);
    for (const auto& spec : specs) {
        EXPECT_NE(overview.find("  " + spec.path), std::string::npos) << spec.path;
        EXPECT_NE(page.str().find(".B " + man(spec.path)), std::string::npos)
            << "the man page lacks " << spec.path;
        const std::string help = commandHelp(spec);
        for (const auto& flag : spec.flags) {
            EXPECT_NE(help.find("--" + flag.name), std::string::npos) << spec.path << flag.name;
            EXPECT_NE(page.str().find("\\-\\-" + man(flag.name)), std::string::npos)
                << "the man page lacks " << spec.path << " --" << flag.name;
        }
    }
    for (const auto& flag : globalFlags()) {
        EXPECT_NE(page.str().find("\\-\\-" + man(flag.name)), std::string::npos)
            << "the man page lacks --" << flag.name;
    }
}

}  // namespace
}  // namespace lockhub::ctl
