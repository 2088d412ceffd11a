// A child process for integration tests: spawned with explicit arguments and environment, its
// output captured to files so a failing test can show it, killed when the test ends.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lockhub::testing {

struct ExitStatus {
    bool exited = false;  // false: killed by a signal
    int code = 0;         // exit code, or the signal number
};

class Process {
public:
    // `outputDir` receives <name>.out and <name>.err. `env` entries are added to (or replace)
    // the current environment.
    Process(std::string name, std::vector<std::string> argv, const std::filesystem::path& outputDir,
            std::map<std::string, std::string> env = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    void signal(int signo);
    std::optional<ExitStatus> waitExit(std::chrono::milliseconds timeout);
    std::string stdoutText() const;
    std::string stderrText() const;

private:
    std::string name_;
    std::filesystem::path out_;
    std::filesystem::path err_;
    pid_t pid_ = -1;
    std::optional<ExitStatus> status_;
};

// Polls `predicate` until it holds or `timeout` passes; returns its last value.
template <typename Predicate>
bool waitUntil(Predicate predicate, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step = std::chrono::milliseconds(10));

std::string readFile(const std::filesystem::path& path);

// "running" or how it ended, then its stderr: for assertion messages.
std::string describe(Process& process);

}  // namespace lockhub::testing

#include "support/WaitUntil.inl"
