// Runs the real ruvision-cli (RUVISION_CLI) for the tests that drive it as a user would
// (test_cli, test_library, test_reliability): its exit status, stdout lines and stderr; or, on a
// pseudo-terminal, what a terminal shows.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace cli_test {

constexpr int kProcessBoundMs = 300'000;  // a hang fails the test instead of blocking it

struct Run {
    bool finished = false;  // false: still running after kProcessBoundMs, then killed
    int code = -1;          // -1: crashed or killed
    QList<QByteArray> lines;  // stdout, one entry per non-empty line
    QByteArray err;
};

// The environment the CLI runs in: the build's models, and a forced SIMD path if `isa` is set.
inline QProcessEnvironment environment(const QString& isa = {}) {
    auto e = QProcessEnvironment::systemEnvironment();
    e.insert("RUVISION_MODELS", RUVISION_MODELS_DIR);
    if (!isa.isEmpty()) e.insert("RUVISION_ISA", isa);
    return e;
}

// Runs the CLI in the environment `env` (e.g. environment() with other model folders).
inline Run cli_in(const QProcessEnvironment& env, const QStringList& args) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(RUVISION_CLI, args);
    Run r;
    r.finished = p.waitForFinished(kProcessBoundMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished();
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    for (const auto& l : p.readAllStandardOutput().split('\n'))
        if (!l.isEmpty()) r.lines << l;
    r.err = p.readAllStandardError();
    return r;
}

inline Run cli(const QStringList& args, const QString& isa = {}) { return cli_in(environment(isa), args); }

// Runs the CLI with stdout and stderr on a pseudo-terminal, as in a terminal window: `output` is
// what the terminal received (the line discipline turns "\n" into "\r\n").
struct TerminalRun {
    bool finished = false;
    int code = -1;
    QByteArray output;
};

inline TerminalRun cli_on_terminal(const QStringList& args) {
    TerminalRun r;
    std::vector<std::string> owned = {RUVISION_CLI};
    for (const auto& a : args) owned.push_back(a.toStdString());
    std::vector<char*> argv;
    for (auto& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) return r;
    if (pid == 0) {
        ::setenv("RUVISION_MODELS", RUVISION_MODELS_DIR, 1);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    QElapsedTimer clock;
    clock.start();
    char buf[4096];
    for (;;) {
        pollfd p{master, POLLIN, 0};
        if (clock.elapsed() > kProcessBoundMs) break;
        if (::poll(&p, 1, 200) <= 0) continue;
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n <= 0) break;  // EIO: the child closed the terminal (it exited)
        r.output.append(buf, static_cast<int>(n));
    }
    int status = 0;
    r.finished = clock.elapsed() <= kProcessBoundMs;
    if (!r.finished) ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);  // the terminal is closed: the child is exiting, or killed
    ::close(master);
    r.code = r.finished && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace cli_test
