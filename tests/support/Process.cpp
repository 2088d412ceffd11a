#include "support/Process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace lockhub::testing {
namespace {

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> merged;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos) {
            merged[entry.substr(0, eq)] = entry.substr(eq + 1);
        }
    }
    for (const auto& [key, value] : extra) {
        merged[key] = value;
    }
    std::vector<std::string> out;
    for (const auto& [key, value] : merged) {
        out.push_back(key + "=" + value);
    }
    return out;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

ExitStatus decode(int status) {
    if (WIFEXITED(status)) {
        return {true, WEXITSTATUS(status)};
    }
    return {false, WTERMSIG(status)};
}

}  // namespace

Process::Process(std::string name, std::vector<std::string> argv,
                 const std::filesystem::path& outputDir, std::map<std::string, std::string> env)
    : name_(std::move(name)),
      out_(outputDir / (name_ + ".out")),
      err_(outputDir / (name_ + ".err")) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    auto envStrings = mergedEnvironment(env);
    auto envp = cStrings(envStrings);
    auto args = cStrings(argv);
    const int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw std::runtime_error("cannot spawn " + argv.at(0) + ": " + std::to_string(rc));
    }
}

Process::~Process() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        waitExit(std::chrono::seconds(5));
    }
}

bool Process::running() {
    if (status_) {
        return false;
    }
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        status_ = decode(status);
        return false;
    }
    return r == 0;
}

void Process::signal(int signo) {
    if (running()) {
        ::kill(pid_, signo);
    }
}

std::optional<ExitStatus> Process::waitExit(std::chrono::milliseconds timeout) {
    waitUntil([this] { return !running(); }, timeout, std::chrono::milliseconds(5));
    return status_;
}

std::string Process::stdoutText() const {
    return readFile(out_);
}
std::string Process::stderrText() const {
    return readFile(err_);
}

std::string describe(Process& process) {
    std::string state = "running";
    if (!process.running()) {
        const auto status = process.waitExit(std::chrono::milliseconds(0));
        state = status->exited ? "exited with " + std::to_string(status->code)
                               : "killed by signal " + std::to_string(status->code);
    }
    return state + "; stderr:\n" + process.stderrText();
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace lockhub::testing
