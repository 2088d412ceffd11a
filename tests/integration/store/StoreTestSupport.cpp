#include "integration/store/StoreTestSupport.h"

#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "adapters/sqlite/SqliteStore.h"

namespace lockhub::testing {
namespace {

constexpr uid_t kNobody = 65534;
// Child exit codes; the message, if any, comes through the pipe.
constexpr int kOpened = 0;
constexpr int kFailed = 1;
constexpr int kSetupImpossible = 2;

[[noreturn]] void childMain(int out, const std::filesystem::path& stateDir, ChildSetup setup) {
    if (setup == ChildSetup::Unprivileged && ::geteuid() == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
            ::_exit(kSetupImpossible);
        }
    }
    if (setup == ChildSetup::ReadOnlyBindMount) {
        const char* dir = stateDir.c_str();
        if (::unshare(CLONE_NEWNS) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount(dir, dir, nullptr, MS_BIND, nullptr) != 0 ||
            ::mount(nullptr, dir, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
            ::_exit(kSetupImpossible);
        }
    }
    auto store = adapters::sqlite::SqliteStore::open(stateDir);
    if (store) {
        ::_exit(kOpened);
    }
    const std::string& message = store.error().message;
    std::size_t written = 0;
    while (written < message.size()) {
        const auto n = ::write(out, message.data() + written, message.size() - written);
        if (n <= 0) {
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    ::_exit(kFailed);
}

}  // namespace

std::vector<std::uint8_t> fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + file.string());
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

mode_t modeOf(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        throw std::runtime_error("cannot stat " + path.string());
    }
    return st.st_mode & 07777;
}

std::string schemaDump(adapters::sqlite::Database& db) {
    auto stmt = db.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name");
    if (!stmt) {
        throw std::runtime_error(stmt.error().message);
    }
    std::string dump;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            throw std::runtime_error(row.error().message);
        }
        if (!*row) {
            return dump;
        }
        dump += stmt->columnText(0) + " " + stmt->columnText(1) + ": " + stmt->columnText(2) + "\n";
    }
}

std::int64_t userVersion(adapters::sqlite::Database& db) {
    auto version = db.queryInt("PRAGMA user_version");
    if (!version) {
        throw std::runtime_error(version.error().message);
    }
    return *version;
}

uid_t unprivilegedUid() {
    return ::geteuid() == 0 ? kNobody : ::geteuid();
}

void giveToUnprivileged(const std::filesystem::path& path) {
    if (::geteuid() == 0 && ::chown(path.c_str(), kNobody, kNobody) != 0) {
        throw std::runtime_error("cannot chown " + path.string());
    }
}

void allowTraversal(const std::filesystem::path& dir) {
    if (::chmod(dir.c_str(), 0711) != 0) {
        throw std::runtime_error("cannot chmod " + dir.string());
    }
}

std::optional<ChildOutcome> openStoreInChild(const std::filesystem::path& stateDir,
                                             ChildSetup setup) {
    int fds[2];
    if (::pipe(fds) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::close(fds[0]);
        childMain(fds[1], stateDir, setup);
    }
    ::close(fds[1]);
    std::string message;
    char buffer[512];
    for (;;) {
        const auto n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        message.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        throw std::runtime_error("the store child did not exit normally");
    }
    switch (WEXITSTATUS(status)) {
        case kOpened:
            return ChildOutcome{true, {}};
        case kFailed:
            return ChildOutcome{false, message};
        case kSetupImpossible:
            return std::nullopt;
        default:
            throw std::runtime_error("the store child exited with an unexpected status");
    }
}

void execOrThrow(adapters::sqlite::Database& db, std::string_view sql) {
    if (auto done = db.exec(sql, "test setup"); !done) {
        throw std::runtime_error(done.error().message);
    }
}

}  // namespace lockhub::testing
