// LD_PRELOAD shim for tests only: makes writes and syncs to the daemon's database fail on demand,
// as a failing disk would. While the file named by LOCKHUB_IO_FAULT_CONTROL exists, every write,
// pwrite, pwrite64, fsync and fdatasync on a descriptor whose path contains
// LOCKHUB_IO_FAULT_MATCH (default "lockhub.db", so the WAL and SHM too) fails with the errno the
// file names: "EIO" (default) or "ENOSPC". Reads always work, so the daemon can still report.
#include <dlfcn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

template <typename F>
F next(const char* name) {
    void* symbol = dlsym(RTLD_NEXT, name);
    F function = nullptr;
    static_assert(sizeof function == sizeof symbol);
    std::memcpy(&function, &symbol, sizeof function);
    return function;
}

// The errno to fail `fd` with, or 0 to let the call through.
int injected(int fd) {
    const char* control = std::getenv("LOCKHUB_IO_FAULT_CONTROL");
    struct stat st {};
    if (control == nullptr || stat(control, &st) != 0) {
        return 0;
    }
    const char* match = std::getenv("LOCKHUB_IO_FAULT_MATCH");
    char link[64];
    char path[4096];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) {
        return 0;
    }
    path[n] = '\0';
    if (std::strstr(path, match != nullptr ? match : "lockhub.db") == nullptr) {
        return 0;
    }
    char kind[16] = {};
    if (FILE* f = std::fopen(control, "r")) {
        if (std::fgets(kind, sizeof kind, f) == nullptr) {
            kind[0] = '\0';
        }
        std::fclose(f);
    }
    return std::strncmp(kind, "ENOSPC", 6) == 0 ? ENOSPC : EIO;
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t count) {
    static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    if (const int err = injected(fd)) {
        errno = err;
        return -1;
    }
    return real(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
    static const auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
    if (const int err = injected(fd)) {
        errno = err;
        return -1;
    }
    return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
    static const auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
    if (const int err = injected(fd)) {
        errno = err;
        return -1;
    }
    return real(fd, buf, count, offset);
}

int fsync(int fd) {
    static const auto real = next<int (*)(int)>("fsync");
    if (const int err = injected(fd)) {
        errno = err;
        return -1;
    }
    return real(fd);
}

int fdatasync(int fd) {
    static const auto real = next<int (*)(int)>("fdatasync");
    if (const int err = injected(fd)) {
        errno = err;
        return -1;
    }
    return real(fd);
}

}  // extern "C"
