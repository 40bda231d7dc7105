// ONNX Runtime 1.30 as the correctness reference of the tests: a model run once through node
// (packaging/models/ort_run.cjs, npm onnxruntime-node as quickstart installs it), and how closely
// our output agrees with it. ONNX Runtime is not optional: a missing node or package is a failure
// with its reason, never a skip.
#pragma once

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QString>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "raw_files.h"

namespace rv_test {

struct Agreement {
    double cosine = 0, max_abs = 0, max_ref = 0;
};

// Cosine and largest difference of two outputs; cosine 0 for different sizes or empty ones.
inline Agreement compare(const std::vector<float>& ours, const std::vector<float>& ref) {
    Agreement a;
    if (ours.size() != ref.size() || ours.empty()) return a;
    double dot = 0, n1 = 0, n2 = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) {
        dot += double(ours[i]) * ref[i];
        n1 += double(ours[i]) * ours[i];
        n2 += double(ref[i]) * ref[i];
        a.max_abs = std::max(a.max_abs, std::fabs(double(ours[i]) - ref[i]));
        a.max_ref = std::max(a.max_ref, std::fabs(double(ref[i])));
    }
    a.cosine = dot / std::sqrt(n1 * n2);
    return a;
}

class OrtRunner {
public:
    // Inputs and outputs go to folders under `scratch`.
    explicit OrtRunner(QString scratch) : scratch_(std::move(scratch)) {}

    static QString models_dir() { return QStringLiteral(RUVISION_SOURCE_DIR "/packaging/models"); }

    // Empty if node and onnxruntime-node are installed, else what is missing and how to get it.
    QString missing() {
        node_ = QStandardPaths::findExecutable("node");
        if (node_.isEmpty()) return "node is not installed: packaging/quickstart.sh installs nodejs (ONNX Runtime runs in it)";
        if (!QFile::exists(models_dir() + "/node_modules/onnxruntime-node/package.json"))
            return "onnxruntime-node is missing from " + models_dir() +
                   "/node_modules: run packaging/quickstart.sh (npm ci of packaging/models/package-lock.json)";
        return {};
    }

    // ONNX Runtime's outputs for `nchw` (1 x c x h x w, the model's first input), by output name;
    // empty with the reason in *why on failure.
    std::map<std::string, std::vector<float>> run(const QString& onnx, const std::vector<float>& nchw, int c, int h,
                                                  int w, QString* why) {
        const QString dir = scratch_ + QString("/ort%1").arg(runs_++);
        QDir().mkpath(dir);
        const QString input = dir + "/input.f32";
        QFile f(input);
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(reinterpret_cast<const char*>(nchw.data()), qint64(nchw.size() * 4)) != qint64(nchw.size() * 4)) {
            *why = "cannot write " + input;
            return {};
        }
        f.close();
        if (node_.isEmpty() && !(*why = missing()).isEmpty()) return {};
        QProcess p;
        p.start(node_, {models_dir() + "/ort_run.cjs", onnx, input, QString("1,%1,%2,%3").arg(c).arg(h).arg(w),
                        "--repeats", "1", "--warmup", "0", "--out", dir});
        if (!p.waitForFinished(120000)) {
            *why = "node ort_run.cjs did not finish: " + p.errorString();
            return {};
        }
        const QByteArray out = p.readAllStandardOutput();
        const auto doc = QJsonDocument::fromJson(out.trimmed().split('\n').last());
        if (p.exitCode() != 0 || !doc.isObject() || doc.object().contains("error")) {
            *why = "ort_run.cjs failed (exit " + QString::number(p.exitCode()) + "): " + QString::fromUtf8(out) +
                   QString::fromUtf8(p.readAllStandardError());
            return {};
        }
        if (!doc.object()["onnxruntime"].toString().startsWith("1.30")) {
            *why = "expected ONNX Runtime 1.30, got " + doc.object()["onnxruntime"].toString();
            return {};
        }
        std::map<std::string, std::vector<float>> result;
        for (const auto& o : doc.object()["outputs"].toArray())
            result[o.toObject()["name"].toString().toStdString()] = read_f32(o.toObject()["file"].toString());
        return result;
    }

private:
    QString scratch_;
    QString node_;
    int runs_ = 0;
};

}  // namespace rv_test
