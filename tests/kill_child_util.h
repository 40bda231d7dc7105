// kill -9 tests (test_catalog_crash, test_hnsw_compaction): a forked child works forever and
// reports its progress through a pipe, one value of T after each step it made durable; the parent
// reads the reports until it has seen enough, kills the child with SIGKILL at a moment it chooses,
// and reads what the child reported before it died. Then the test checks what the child left on disk.
//
// Threads and processes: fork() from the test's main thread with no other thread running and no
// open connection (SQLite, file handles) that the child would share; the child never returns into
// the test framework (it is _exit()ed if its body returns).
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <type_traits>

namespace kill_test {

// Writes one report from the child; false when the pipe failed (the parent is gone).
template <class T>
bool report(int fd, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    return write(fd, &value, sizeof value) == static_cast<ssize_t>(sizeof value);
}

template <class T>
class KilledChild {
public:
    // Forks; the child runs body(fd), fd the write end of the pipe (report() to it), and must not
    // return. started() is false when the pipe or the fork failed.
    template <class Body>
    explicit KilledChild(Body body) {
        int fds[2];
        if (pipe(fds) != 0) return;
        pid_ = fork();
        if (pid_ == 0) {
            close(fds[0]);
            body(fds[1]);
            _exit(3);
        }
        close(fds[1]);
        if (pid_ < 0) close(fds[0]);
        else fd_ = fds[0];
    }
    KilledChild(const KilledChild&) = delete;
    KilledChild& operator=(const KilledChild&) = delete;
    // A child still running (a test that failed early) is killed and reaped.
    ~KilledChild() {
        if (pid_ > 0) kill_now();
        if (fd_ >= 0) close(fd_);
    }

    bool started() const { return fd_ >= 0; }

    // The next report, in *value; false at the end of the pipe (the child died or closed it).
    bool next(T* value) { return fd_ >= 0 && read(fd_, value, sizeof *value) == static_cast<ssize_t>(sizeof *value); }

    // Waits `delay`, kills the child with SIGKILL and reaps it; true when it died of that SIGKILL
    // (not of an exit or another signal before it). next() then reads what it reported before.
    bool kill_after(std::chrono::microseconds delay) {
        std::this_thread::sleep_for(delay);
        return kill_now();
    }

private:
    bool kill_now() {
        if (pid_ <= 0) return false;  // never kill(-1, ...): that is every process of the user
        kill(pid_, SIGKILL);
        int wstatus = 0;
        const bool reaped = waitpid(pid_, &wstatus, 0) == pid_;
        pid_ = -1;
        return reaped && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL;
    }

    pid_t pid_ = -1;
    int fd_ = -1;  // the read end of the pipe
};

}  // namespace kill_test
