// Runs the real ruvision-cli (RUVISION_CLI) for the tests that drive it as a user would
// (test_cli, test_library, test_reliability): its exit status, stdout lines and stderr.
#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

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

}  // namespace cli_test
