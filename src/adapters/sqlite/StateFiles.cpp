#include "adapters/sqlite/StateFiles.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>

#include "adapters/sqlite/StorageError.h"

namespace lockhub::adapters::sqlite {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kFileMode = 0600;
constexpr mode_t kGroupOther = 0077;

std::string octal(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

Result<void> createDirectory(const std::filesystem::path& dir) {
    std::error_code ec;
    if (dir.has_parent_path()) {
        std::filesystem::create_directories(dir.parent_path(), ec);
        if (ec) {
            return tl::unexpected(
                systemError(dir.parent_path(), "creating the directory failed", ec.value()));
        }
    }
    // mkdir can only narrow the mode (umask), and another process may have won the race.
    if (::mkdir(dir.c_str(), kDirMode) != 0 && errno != EEXIST) {
        return tl::unexpected(systemError(dir, "creating the state directory failed", errno));
    }
    return {};
}

}  // namespace

Result<void> prepareStateDirectory(const std::filesystem::path& dir) {
    struct stat st {};
    // stat, not lstat: with DynamicUser=yes systemd makes /var/lib/<name> a symlink into
    // /var/lib/private.
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno != ENOENT) {
            return tl::unexpected(systemError(dir, "cannot inspect the state directory", errno));
        }
        if (auto created = createDirectory(dir); !created) {
            return created;
        }
        if (::stat(dir.c_str(), &st) != 0) {
            return tl::unexpected(systemError(dir, "cannot inspect the state directory", errno));
        }
    }
    if (!S_ISDIR(st.st_mode)) {
        return tl::unexpected(storageError(dir, "the state directory is not a directory"));
    }
    if (st.st_uid != ::geteuid()) {
        return tl::unexpected(storageError(
            dir, "the state directory is owned by uid " + std::to_string(st.st_uid) +
                     ", not by this process (uid " + std::to_string(::geteuid()) + ")"));
    }
    if ((st.st_mode & kGroupOther) != 0 && ::chmod(dir.c_str(), st.st_mode & 0700) != 0) {
        return tl::unexpected(systemError(dir,
                                          "removing group/other access from the state directory (" +
                                              octal(st.st_mode) + ") failed",
                                          errno));
    }
    // AT_EACCESS: the effective uid decides, as it will when SQLite creates its files. For root
    // this still catches a read-only mount (EROFS) and an immutable directory (EPERM).
    if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
        return tl::unexpected(systemError(
            dir, "the state directory is not writable; the daemon needs to create files in it",
            errno));
    }
    return {};
}

Result<void> prepareDatabaseFile(const std::filesystem::path& file) {
    const int fd =
        ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kFileMode);
    if (fd >= 0) {
        ::close(fd);
        return {};
    }
    if (errno != EEXIST) {
        return tl::unexpected(systemError(file, "creating the database file failed", errno));
    }
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
        return tl::unexpected(systemError(file, "cannot inspect the database file", errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return tl::unexpected(storageError(file, "the database is not a regular file"));
    }
    if (st.st_uid == ::geteuid() && (st.st_mode & kGroupOther) != 0 &&
        ::chmod(file.c_str(), st.st_mode & 0700) != 0) {
        return tl::unexpected(systemError(
            file,
            "removing group/other access from the database file (" + octal(st.st_mode) + ") failed",
            errno));
    }
    return {};
}

}  // namespace lockhub::adapters::sqlite
