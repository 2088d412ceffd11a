#include "adapters/sqlite/SecretsKey.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "adapters/sqlite/StorageError.h"

namespace lockhub::adapters::sqlite {
namespace {

constexpr mode_t kKeyMode = 0600;
constexpr mode_t kKeyGroupOther = 0077;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int get() const { return fd_; }

private:
    int fd_;
};

// Reads the whole key, retrying short reads; fails on anything but exactly kKeySize bytes.
Result<SecretBox> readKey(const std::filesystem::path& file, int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return tl::unexpected(systemError(file, "cannot inspect the secrets key", errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return tl::unexpected(storageError(file, "the secrets key is not a regular file"));
    }
    if (st.st_size != static_cast<off_t>(SecretBox::kKeySize)) {
        return tl::unexpected(storageError(
            file, "the secrets key must be exactly " + std::to_string(SecretBox::kKeySize) +
                      " bytes, found " + std::to_string(st.st_size) +
                      "; it cannot decrypt the stored lock secrets"));
    }
    SecretBox::Key key{};
    std::size_t got = 0;
    while (got < key.size()) {
        const ssize_t n = ::read(fd, key.data() + got, key.size() - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            OPENSSL_cleanse(key.data(), key.size());
            return tl::unexpected(systemError(file, "reading the secrets key failed", err));
        }
        got += static_cast<std::size_t>(n);
    }
    SecretBox box(key);
    OPENSSL_cleanse(key.data(), key.size());
    return box;
}

// `extraFlags`: O_NOFOLLOW for the file we create ourselves; a credential may be a symlink.
Result<SecretBox> readKeyFile(const std::filesystem::path& file, int extraFlags) {
    FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | extraFlags));
    if (fd.get() < 0) {
        return tl::unexpected(systemError(file, "opening the secrets key failed", errno));
    }
    return readKey(file, fd.get());
}

Result<void> writeAll(const std::filesystem::path& file, int fd, const SecretBox::Key& key) {
    std::size_t done = 0;
    while (done < key.size()) {
        const ssize_t n = ::write(fd, key.data() + done, key.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return tl::unexpected(
                systemError(file, "writing the new secrets key failed", n < 0 ? errno : EIO));
        }
        done += static_cast<std::size_t>(n);
    }
    // The key must be on disk before any secret encrypted with it is committed.
    if (::fsync(fd) != 0) {
        return tl::unexpected(systemError(file, "syncing the new secrets key failed", errno));
    }
    return {};
}

Result<void> syncDirectory(const std::filesystem::path& dir) {
    FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        return tl::unexpected(systemError(dir, "syncing the state directory failed", errno));
    }
    return {};
}

// O_EXCL: of two processes racing, one creates and the other reads what it wrote.
Result<bool> createKeyFile(const std::filesystem::path& file) {
    const int raw =
        ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kKeyMode);
    if (raw < 0) {
        if (errno == EEXIST) {
            return false;
        }
        return tl::unexpected(systemError(file, "creating the secrets key failed", errno));
    }
    FileDescriptor fd(raw);
    SecretBox::Key key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
        ::unlink(file.c_str());
        return fail(Errc::Internal, "the random generator failed to produce a secrets key");
    }
    auto written = writeAll(file, fd.get(), key);
    OPENSSL_cleanse(key.data(), key.size());
    if (!written) {
        // A partial key must not be mistaken for the real one on the next start.
        ::unlink(file.c_str());
        return tl::unexpected(std::move(written.error()));
    }
    if (auto synced = syncDirectory(file.parent_path()); !synced) {
        return tl::unexpected(std::move(synced.error()));
    }
    return true;
}

// Like the database file: group/other access is removed from a key file we own, never added.
Result<void> tightenKeyFile(const std::filesystem::path& file) {
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
        return tl::unexpected(systemError(file, "cannot inspect the secrets key", errno));
    }
    if (S_ISREG(st.st_mode) && st.st_uid == ::geteuid() && (st.st_mode & kKeyGroupOther) != 0 &&
        ::chmod(file.c_str(), st.st_mode & 0700) != 0) {
        return tl::unexpected(
            systemError(file, "removing group/other access from the secrets key failed", errno));
    }
    return {};
}

}  // namespace

std::optional<std::filesystem::path> credentialsDirectoryFromEnvironment() {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (dir == nullptr || *dir == '\0') {
        return std::nullopt;
    }
    return std::filesystem::path(dir);
}

Result<SecretBox> loadSecretBox(const std::filesystem::path& stateDir,
                                const std::optional<std::filesystem::path>& credentialsDir) {
    if (credentialsDir) {
        const auto credential = *credentialsDir / kSecretsKeyCredential;
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::symlink_status(credential, ec))) {
            return readKeyFile(credential, 0);
        }
    }
    const auto file = stateDir / kSecretsKeyFile;
    auto created = createKeyFile(file);
    if (!created) {
        return tl::unexpected(std::move(created.error()));
    }
    if (!*created) {
        if (auto tightened = tightenKeyFile(file); !tightened) {
            return tl::unexpected(std::move(tightened.error()));
        }
    }
    return readKeyFile(file, O_NOFOLLOW);
}

}  // namespace lockhub::adapters::sqlite
