// The lock a process holds on a library while it indexes it or activates an adapter version (the
// two write its index files): an flock on DIR/index.lock.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <utility>

#include "ruvision/engine/Result.h"

namespace rv {

inline constexpr const char* kLockFile = "index.lock";

// An flock on DIR/index.lock, held while this object lives. flock (unlike fcntl locks) conflicts
// between two descriptors of one process too, and the kernel drops it when the process dies.
class IndexLock {
public:
    static Result<IndexLock> take(const std::filesystem::path& dir) {
        const std::filesystem::path path = dir / kLockFile;
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return Error{path.string() + ": cannot open the lock file"};
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            return Error{"library " + dir.string() + ": another process is indexing it (" + path.string() + " is locked)"};
        }
        return IndexLock(fd);
    }
    IndexLock(IndexLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    IndexLock& operator=(IndexLock&&) = delete;
    ~IndexLock() {
        if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
    }

private:
    explicit IndexLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace rv
