#include "integration/ctl/CtlProcess.h"

#include <pwd.h>
#include <unistd.h>

#include <atomic>

namespace lockhub::testing {

std::unique_ptr<Process> startCtl(const std::filesystem::path& dir,
                                  const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& env) {
    static std::atomic<int> runs{0};
    std::vector<std::string> argv{LOCKHUBCTL_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<Process>("lockhubctl" + std::to_string(runs++), argv, dir, env);
}

CtlResult runCtl(const std::filesystem::path& dir, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, std::chrono::milliseconds wait) {
    auto process = startCtl(dir, args, env);
    const auto status = process->waitExit(wait);
    CtlResult result;
    if (status && status->exited) {
        result.code = status->code;
    }
    result.out = process->stdoutText();
    result.err = process->stderrText();
    return result;
}

std::string expectedActor() {
    if (const char* login = ::getlogin()) {
        return std::string("lockhubctl:") + login;
    }
    return std::string("lockhubctl:") + ::getpwuid(::geteuid())->pw_name;
}

}  // namespace lockhub::testing
