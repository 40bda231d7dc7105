// LibraryService's learning block (declared in LibraryService.h under "learning panel"): marks,
// adapter versions, learn / activate with progress and cancel, background learning, Compare.
//
// Threads: the public functions run on the GUI thread. Marks, versions, learn and activation
// use the library's writer connection (Learning.h, Marks.h), so they run on writer_; the two
// searches of Compare run on reader_. Results come back through postCall() as plain data
// (LearningData.h) and are dropped if another library was opened meanwhile.
#include "LibraryService.h"
#include "ServiceCalls.h"
#include "learning/ProgressThrottle.h"

#include <QDateTime>
#include <QFile>

#include <fstream>

#include "TsanHandOff.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Marks.h"

namespace rv::ui {


namespace {


QVector<SearchHit> toHits(const std::vector<SearchResult>& results) {
    QVector<SearchHit> out;
    for (const auto& h : results) {
        SearchHit hit{qpath(h.path), h.shown, {}, qtext(h.word)};
        for (const auto& c : h.copies) hit.copies.push_back({qpath(c.path), h.shown, qtext(c.why)});
        out.push_back(std::move(hit));
    }
    return out;
}

VersionRow toRow(const AdapterVersion& v) {
    VersionRow r;
    r.version = v.version;
    r.active = v.active;
    r.activated = v.activated;
    r.reason = qtext(v.reason);
    r.source = qtext(v.source);
    r.marks = v.marks;
    r.heldOut = v.held_out;
    r.before = v.held_out_before;
    r.after = v.held_out_after;
    r.created = v.created;
    return r;
}

}  // namespace

void LibraryService::listMarks() {
    if (!library_) return;
    startTask<&writerChannel>(writer_, [this, lib = library_] {
        auto marks = list_marks(*lib);
        QVector<MarkRow> rows;
        QString error;
        if (marks)
            for (const auto& m : *marks)
                rows.push_back({qpath(m.a), qpath(m.b), m.verdict != MarkVerdict::Different,
                                m.verdict == MarkVerdict::Same, qtext(to_string(m.source)), m.time});
        else
            error = qtext(marks.error().message);
        postCall(this, [this, lib, rows, error] {
            if (lib == library_) emit marksListed(rows, error);
        });
    });
}

void LibraryService::removeMarks(const QVector<MarkRow>& marks) {
    if (!library_ || marks.isEmpty()) return;
    startTask<&writerChannel>(writer_, [this, lib = library_, marks] {
        QStringList errors;
        for (const auto& m : marks)
            if (auto r = remove_mark(*lib, fspath(m.a), fspath(m.b)); !r) errors << qtext(r.error().message);
        postCall(this, [this, lib, errors] {
            if (lib != library_) return;
            for (const auto& e : errors) emit problem(e);
            emit marksChanged();
            listMarks();
        });
    });
}

void LibraryService::exportMarks(const QString& file) {
    if (!library_) return;
    startTask<&writerChannel>(writer_, [this, lib = library_, file] {
        qint64 count = 0;
        QString error;
        // Written beside the target and renamed over it, so a failed export leaves the old file.
        const QString part = file + QStringLiteral(".part");
        {
            std::ofstream out(fspath(part), std::ios::binary | std::ios::trunc);
            if (!out) {
                error = tr("cannot write %1").arg(part);
            } else if (auto n = export_marks(*lib, out); !n) {
                error = qtext(n.error().message);
            } else {
                count = static_cast<qint64>(*n);
                out.flush();
                if (!out) error = tr("cannot write %1 (is the disk full?)").arg(part);
            }
        }
        if (error.isEmpty()) {
            QFile::remove(file);
            if (!QFile::rename(part, file)) error = tr("cannot replace %1").arg(file);
        }
        if (!error.isEmpty()) QFile::remove(part);
        postCall(this, [this, lib, file, count, error] {
            if (lib == library_) emit marksExported(file, count, error);
        });
    });
}

void LibraryService::importMarks(const QString& file) {
    if (!library_) return;
    startTask<&writerChannel>(writer_, [this, lib = library_, file] {
        MarkImportReport report;
        report.file = file;
        std::ifstream in(fspath(file), std::ios::binary);
        if (!in) {
            report.error = tr("cannot read %1").arg(file);
        } else if (auto r = import_marks(*lib, in); !r) {
            report.error = tr("%1: %2").arg(file, qtext(r.error().message));
        } else {
            report.imported = static_cast<qint64>(r->imported);
            for (const auto& p : r->problems)
                report.problems << tr("line %1: %2").arg(static_cast<qulonglong>(p.line)).arg(qtext(p.reason));
        }
        postCall(this, [this, lib, report] {
            if (lib != library_) return;
            emit marksImported(report);
            if (report.imported > 0) emit marksChanged();
            listMarks();
        });
    });
}

void LibraryService::listVersions() {
    if (!library_) return;
    startTask<&writerChannel>(writer_, [this, lib = library_] {
        auto versions = list_adapter_versions(*lib);
        QVector<VersionRow> rows;
        QString error;
        if (versions)
            for (const auto& v : *versions) rows.push_back(toRow(v));
        else
            error = qtext(versions.error().message);
        postCall(this, [this, lib, rows, error] {
            if (lib == library_) emit versionsListed(rows, error);
        });
    });
}

bool LibraryService::startLearn(bool automatic) {
    if (!library_ || learning_) return false;
    learning_ = true;
    learnCancel_ = std::make_shared<std::atomic<bool>>(false);
    emit learnStarted(LearnOutcome::Learn, automatic, 0);
    if (indexing_) emit learnProgress(QStringLiteral("waiting"), 0, 0);  // the writer finishes indexing first
    startTask<&writerChannel>(writer_, [this, lib = library_, cancel = learnCancel_, automatic] {
        LearnOutcome out;
        out.kind = LearnOutcome::Learn;
        out.automatic = automatic;
        if (*cancel) {
            out.cancelled = true;
        } else {
            ProgressThrottle throttle;
            auto r = learn(*lib, LearnParams{}, *cancel, [&](const LearnProgress& p) {
                if (!throttle.pass(p.stage, p.done, p.total)) return;
                postCall(this, [this, stage = qtext(p.stage), done = static_cast<qint64>(p.done),
                                total = static_cast<qint64>(p.total)] {
                    if (learning_) emit learnProgress(stage, done, total);
                });
            });
            out.cancelled = *cancel;
            if (r && !out.cancelled) {
                out.ok = true;
                out.version = r->version;
                out.activated = r->activated;
                out.reason = qtext(r->reason);
                out.marks = static_cast<qint64>(r->marks);
                out.heldOut = static_cast<qint64>(r->held_out);
                out.before = r->held_out_before;
                out.after = r->held_out_after;
                out.seconds = r->seconds;
            } else if (!r && !out.cancelled) {
                out.error = qtext(r.error().message);
            }
        }
        postCall(this, [this, lib, out, cancel] {
            if (cancel == learnCancel_) learning_ = false;  // also when another library was opened since
            if (lib == library_) finishLearn(out);
        });
    });
    return true;
}

bool LibraryService::activateVersion(qint64 version) {
    if (!library_ || learning_) return false;
    learning_ = true;
    learnCancel_ = std::make_shared<std::atomic<bool>>(false);
    emit learnStarted(LearnOutcome::Activate, false, version);
    if (indexing_) emit learnProgress(QStringLiteral("waiting"), 0, 0);
    startTask<&writerChannel>(writer_, [this, lib = library_, cancel = learnCancel_, version] {
        LearnOutcome out;
        out.kind = LearnOutcome::Activate;
        out.version = version;
        if (*cancel) {
            out.cancelled = true;
        } else {
            ProgressThrottle throttle;
            auto st = activate_adapter(*lib, version, *cancel, [&](const LearnProgress& p) {
                if (!throttle.pass(p.stage, p.done, p.total)) return;
                postCall(this, [this, stage = qtext(p.stage), done = static_cast<qint64>(p.done),
                                total = static_cast<qint64>(p.total)] {
                    if (learning_) emit learnProgress(stage, done, total);
                });
            });
            // A cancel that came after the last batch may still have activated: the catalog says.
            out.ok = st.ok();
            out.activated = st.ok();
            out.cancelled = !st.ok() && *cancel;
            if (!st.ok() && !out.cancelled) out.error = qtext(st.error().message);
        }
        postCall(this, [this, lib, out, cancel] {
            if (cancel == learnCancel_) learning_ = false;  // also when another library was opened since
            if (lib == library_) finishLearn(out);
        });
    });
    return true;
}

void LibraryService::finishLearn(const LearnOutcome& outcome) {
    if (outcome.automatic && !outcome.ok && !outcome.cancelled) autoFailedAt_ = -2;  // set by the next count
    emit learnFinished(outcome);
    listVersions();
}

void LibraryService::cancelLearning() {
    if (learnCancel_) *learnCancel_ = true;
}

void LibraryService::setAutoLearn(bool on, int minNewMarks, int quietMs, int pollMs) {
    autoLearnOn_ = on;
    autoMinNew_ = std::max(1, minNewMarks);
    autoQuietMs_ = std::max(0, quietMs);
    if (autoLearnTimer_.interval() != pollMs || !on) autoLearnTimer_.stop();
    autoLearnTimer_.setInterval(std::max(50, pollMs));
    static_cast<void>(disconnect(&autoLearnTimer_, nullptr, this, nullptr));
    connect(&autoLearnTimer_, &QTimer::timeout, this, &LibraryService::checkAutoLearn);
    if (on) autoLearnTimer_.start();
}

void LibraryService::checkAutoLearn() {
    if (!autoLearnOn_ || !library_ || learning_ || indexing_ || autoChecking_) return;
    autoChecking_ = true;
    startTask<&writerChannel>(writer_, [this, lib = library_] {
        // How many marks now, the newest one's time, and how many the newest version learned from.
        qint64 count = -1, newest = 0, learned = 0;
        if (auto marks = list_marks(*lib)) {
            count = static_cast<qint64>(marks->size());
            for (const auto& m : *marks) newest = std::max<qint64>(newest, m.time);
        }
        if (auto versions = list_adapter_versions(*lib))
            for (const auto& v : *versions) learned = std::max<qint64>(learned, v.marks);
        postCall(this, [this, lib, count, newest, learned] {
            autoChecking_ = false;
            if (lib != library_ || count < 0) return;
            if (autoFailedAt_ == -2) autoFailedAt_ = count;  // a failed background learn: its count
            if (count == autoFailedAt_) return;              // not again until the marks change
            autoFailedAt_ = -1;
            const qint64 quiet = QDateTime::currentMSecsSinceEpoch() - newest;
            if (count - learned >= autoMinNew_ && quiet >= autoQuietMs_ && autoLearnOn_ && !indexing_) startLearn(true);
        });
    });
}

quint64 LibraryService::compare(const QString& imagePath, int k) {
    const quint64 id = ++latestCompare_;
    if (!library_) {
        postCall(this, [this, id] { emit compareFinished(id, {}, {}, tr("No library is open.")); });
        return id;
    }
    startTask<&readerChannel>(reader_, [this, lib = library_, id, path = fspath(imagePath), k] {
        if (latestCompare_ != id) return;
        SearchOptions with, without;
        without.no_adapter = true;
        auto a = lib->search(path, k, with);
        auto b = lib->search(path, k, without);
        QVector<SearchHit> hitsA, hitsB;
        QString error;
        if (!a) error = qtext(a.error().message);
        else if (!b) error = qtext(b.error().message);
        else hitsA = toHits(*a), hitsB = toHits(*b);
        postCall(this, [this, id, hitsA, hitsB, error] {
            if (latestCompare_ == id) emit compareFinished(id, hitsA, hitsB, error);
        });
    });
    return id;
}

}  // namespace rv::ui
