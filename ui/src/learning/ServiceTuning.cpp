// LibraryService's tuning block (declared in LibraryService.h under "tuning (i13-tune)"):
// self-supervised tuning (rv::tune) run now or in the background after indexing, with progress and
// cancel, and the check whether one is due (rv::tune_due).
//
// Threads: the public functions run on the GUI thread. rv::tune writes the catalog through the
// library's writer connection, so it runs on writer_ (its decoding and embedding on workers of its
// own, joined before it returns); searches stay on reader_ and go on meanwhile. Results come back
// through postCall() and are dropped if another library was opened meanwhile.
#include "LibraryService.h"
#include "ServiceCalls.h"
#include "learning/ProgressThrottle.h"

#include <QThread>

#include "TsanHandOff.h"
#include "ruvision/engine/Tuning.h"

namespace rv::ui {

void LibraryService::connectTuning() {
    qRegisterMetaType<rv::ui::TuneOutcome>();
    // An indexing run queued behind an automatic tune would wait for it: the tune gives way and
    // is considered again after the run.
    connect(this, &LibraryService::indexingStarted, this, [this] {
        if (tuning_ && tuneAutomatic_) {
            tunePending_ = true;
            cancelTuning();
        }
    });
    // A run that changed the library makes a tune pending until a due check has answered with no
    // indexing under way: a run that adds images followed at once by one that adds none (the
    // folder watcher's) must not lose it.
    connect(this, &LibraryService::indexFinished, this, [this](bool ok, const QString&, const IndexSummary& s) {
        if (!ok || s.cancelled) return;
        if (s.embedded + s.moved > 0) tunePending_ = true;
        if (tunePending_) checkAutoTune();
    });
    connect(this, &LibraryService::opened, this, [this] { tunePending_ = false; });
}

void LibraryService::setAutoTune(bool on, int minImages) {
    autoTuneOn_ = on;
    autoTuneMin_ = std::max(1, minImages);
}

void LibraryService::cancelTuning() {
    if (tuneCancel_) *tuneCancel_ = true;
}

void LibraryService::checkAutoTune() {
    if (!autoTuneOn_ || !library_ || tuning_ || indexing_) return;
    startTask<&writerChannel>(writer_, [this, lib = library_, min = static_cast<std::size_t>(autoTuneMin_)] {
        auto due = tune_due(*lib, min);
        const bool yes = due && due->due;
        postCall(this, [this, lib, yes] {
            if (lib != library_ || tuning_ || indexing_) return;  // still pending: the next run's end asks again
            tunePending_ = false;
            if (yes && autoTuneOn_) startTune(true);
        });
    });
}

bool LibraryService::startTune(bool automatic) {
    if (!library_ || tuning_) return false;
    tuning_ = true;
    tuneAutomatic_ = automatic;
    tuneCancel_ = std::make_shared<std::atomic<bool>>(false);
    emit tuneStarted(automatic);
    if (indexing_ || learning_) emit tuneProgress(QStringLiteral("waiting"), 0, 0);  // the writer finishes them first
    startTask<&writerChannel>(writer_, [this, lib = library_, cancel = tuneCancel_, automatic] {
        TuneOutcome out;
        out.automatic = automatic;
        if (*cancel) {
            out.cancelled = true;
        } else {
            TuneParams params;
            // One core stays free for searches and the window when tuning runs by itself.
            const int cores = std::max(1, QThread::idealThreadCount());
            params.threads = automatic ? std::max(1, cores - 1) : cores;
            ProgressThrottle throttle;
            auto r = tune(*lib, params, *cancel, [&](const TuneProgress& p) {
                if (!throttle.pass(p.stage, p.done, p.total)) return;
                postCall(this, [this, cancel, s = qtext(p.stage), done = static_cast<qint64>(p.done),
                                total = static_cast<qint64>(p.total)] {
                    if (cancel == tuneCancel_) emit tuneProgress(s, done, total);
                });
            });
            out.cancelled = *cancel && !(r && r->activated);
            if (r && !out.cancelled) {
                out.ok = true;
                out.version = r->version;
                out.activated = r->activated;
                out.reason = qtext(r->reason);
                out.images = static_cast<qint64>(r->images);
                out.views = static_cast<qint64>(r->views);
                out.heldOutImages = static_cast<qint64>(r->held_out_images);
                out.marks = static_cast<qint64>(r->marks + r->held_out_marks);
                out.before = r->held_out_before;
                out.after = r->held_out_after;
                out.seconds = r->seconds;
            } else if (!r && !out.cancelled) {
                out.error = qtext(r.error().message);
            }
        }
        postCall(this, [this, lib, out, cancel] {
            if (cancel == tuneCancel_) tuning_ = false;  // also when another library was opened since
            if (lib != library_) return;
            emit tuneFinished(out);
            listVersions();
            if (out.activated) checkHierarchy(true);  // the map follows a new active version
        });
    });
    return true;
}

}  // namespace rv::ui
