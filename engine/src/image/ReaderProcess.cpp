#include "image/ReaderProcess.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rv {

namespace {

bool write_all(int fd, const std::uint8_t* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// The child's resident memory in bytes (0 when it cannot be read): /proc/PID/statm's second field.
std::uint64_t resident_bytes(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
    std::FILE* f = std::fopen(path, "r");
    if (!f) return 0;
    unsigned long long size = 0, resident = 0;
    const int got = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    return got == 2 ? resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

constexpr int kPollMilliseconds = 100;  // how often the parent looks at the child's memory

}  // namespace

Result<std::vector<std::uint8_t>> run_reader_process(const std::string& reader, const std::string& crash_hint,
                                                     const ReaderLimits& limits,
                                                     const std::function<std::vector<std::uint8_t>()>& work) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error{"cannot start " + reader + ": " + std::strerror(errno)};
    const pid_t child = ::fork();
    if (child < 0) {
        const int e = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return Error{"cannot start " + reader + ": " + std::strerror(e)};
    }
    if (child == 0) {
        // A crash dies quietly here: not through the parent's crash handlers (a test framework's
        // backtrace, a sanitizer's report), which belong to the parent's own faults.
        for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(sig, SIG_DFL);
        ::close(fds[0]);
        std::vector<std::uint8_t> answer;
        try {
            answer = work();
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(write_all(fds[1], answer.data(), answer.size()) ? 0 : 2);
    }
    ::close(fds[1]);
    std::vector<std::uint8_t> answer;
    enum class Stop { No, Late, Memory } stop = Stop::No;
    // Pages shared with us count from the start. A first reading that failed (0) must not make
    // the child's whole resident size look like growth: the next one that works is the baseline.
    std::uint64_t baseline = resident_bytes(child);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.seconds);
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            stop = Stop::Late;
            break;
        }
        if (limits.memory_bytes > 0) {
            const std::uint64_t now = resident_bytes(child);
            if (baseline == 0) baseline = now;
            if (now > baseline && now - baseline > limits.memory_bytes) {
                stop = Stop::Memory;
                break;
            }
        }
        pollfd p{fds[0], POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), kPollMilliseconds)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;  // the deadline and the memory are checked above
        const ssize_t got = ::read(fds[0], buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;  // the child closed its end: done or dead
        answer.insert(answer.end(), buffer, buffer + got);
    }
    ::close(fds[0]);
    if (stop != Stop::No) ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (stop == Stop::Late) return Error{reader + " was still reading after " + std::to_string(limits.seconds) + " s"};
    if (stop == Stop::Memory)
        return Error{reader + " needed more than " + std::to_string(limits.memory_bytes >> 20) +
                     " MiB of memory on this file"};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Error{reader + " crashed on this file: " + crash_hint};
    return answer;
}

}  // namespace rv
