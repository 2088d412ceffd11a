// lockhubctl: the administration CLI over lockhubd's MQTT API (lockhubctl(1)).
#include <unistd.h>

#include <iostream>

#include "ctl/Command.h"

namespace {

using namespace lockhub::ctl;

int finish(const Failure& failure) {
    if (!failure.message.empty()) {
        std::cerr << "lockhubctl: " << failure.message << "\n";
    }
    return static_cast<int>(failure.exit);
}

}  // namespace

int main(int argc, char** argv) {
    const auto commands = allCommands();
    std::vector<CommandSpec> specs;
    for (const auto& command : commands) {
        specs.push_back(command.spec);
    }
    auto invocation = parseArguments(std::vector<std::string>(argv + 1, argv + argc), specs);
    if (!invocation) {
        return finish(invocation.error());
    }
    if (invocation->help) {
        std::cout << (invocation->command ? commandHelp(*invocation->command)
                                          : overviewHelp(specs));
        return 0;
    }
    auto timeoutS = integerFlag(*invocation, "timeout", 1, 3600, 10);
    if (!timeoutS) {
        return finish(timeoutS.error());
    }
    auto settings = resolveConnection(*invocation, processEnvironment());
    if (!settings) {
        return finish(settings.error());
    }
    installInterruptHandler();
    Context context(*invocation, std::move(*settings), std::chrono::seconds(*timeoutS), std::cout,
                    std::cerr);
    context.setTerminal(::isatty(STDOUT_FILENO) == 1);
    const auto index = static_cast<std::size_t>(invocation->command - specs.data());
    if (auto ok = commands.at(index).run(context); !ok) {
        return finish(ok.error());
    }
    return 0;
}
