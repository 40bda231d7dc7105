// Whole files read for tests: golden inputs (RGB8) and reference outputs (raw float32, little-endian).
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <cstring>
#include <vector>

namespace rv_test {

// The file's bytes; empty if it cannot be read.
inline QByteArray read_file(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

// The file as float32 values (a trailing partial value is dropped).
inline std::vector<float> read_f32(const QString& path) {
    const QByteArray b = read_file(path);
    std::vector<float> v(b.size() / sizeof(float));
    std::memcpy(v.data(), b.constData(), v.size() * sizeof(float));
    return v;
}

}  // namespace rv_test
