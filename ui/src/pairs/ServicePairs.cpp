// LibraryService's pair calls (LibraryService.h, "pairs"): the engine's uncertain pairs and the
// verdicts on them, on the writer pool (rv::uncertain_pairs and the marks use the library's writer
// connection), answers posted back to the GUI thread.
#include <QFile>

#include "LibraryService.h"
#include "ServiceCalls.h"
#include "TsanHandOff.h"
#include "ruvision/engine/PairQueue.h"

namespace rv::ui {

namespace {

// The hand-offs of these calls to the writer pool (TsanHandOff.h). The pool runs one task at a
// time, so they stay in order with the service's own writer tasks.
char pairsChannel = 0;


PairThreshold toThreshold(const DuplicateThresholdState& s) {
    PairThreshold t;
    t.threshold = s.threshold;
    t.defaultThreshold = s.default_threshold;
    t.verdicts = static_cast<int>(s.verdicts);
    t.calibrated = s.calibrated;
    t.adapterActive = s.adapter_active;
    t.valid = true;
    return t;
}

}  // namespace

quint64 LibraryService::requestPairs(int count, const QVector<QPair<qint64, qint64>>& skip) {
    const quint64 id = ++latestPairs_;
    if (!library_) {
        postCall(this, [this, id] { emit pairsReady(id, {}, {}, tr("No library is open.")); });
        return id;
    }
    startTask<&pairsChannel>(writer_, [this, lib = library_, id, count, skip] {
        if (latestPairs_ != id) return;  // a newer request came while this one waited
        PairQueueParams params;
        params.count = static_cast<std::size_t>(std::max(0, count));
        for (const auto& p : skip) params.exclude.emplace_back(p.first, p.second);
        const std::atomic<bool> never{false};
        auto q = uncertain_pairs(*lib, params, never);
        QVector<PairItem> pairs;
        PairThreshold threshold;
        QString error;
        if (q) {
            threshold = toThreshold(q->threshold);
            for (const auto& u : q->pairs)
                pairs.push_back({qpath(u.a), qpath(u.b), u.a_id, u.b_id, u.score, u.threshold,
                                 u.why == PairReason::NearThreshold ? tr("it is among the unjudged pairs nearest the duplicate threshold")
                                                                    : tr("the adapter and the plain features disagree on it")});
        } else {
            error = QString::fromStdString(q.error().message);
        }
        postCall(this, [this, lib, id, pairs, threshold, error] {
            if (lib == library_ && latestPairs_ == id) emit pairsReady(id, pairs, threshold, error);
        });
    });
    return id;
}

void LibraryService::markPair(const PairItem& pair, rv::MarkVerdict verdict) {
    if (!library_) return;
    const quint64 thresholdId = ++latestThreshold_;
    startTask<&pairsChannel>(writer_, [this, lib = library_, pair, verdict, thresholdId] {
        auto m = add_mark(*lib, fspath(pair.a), fspath(pair.b), verdict, MarkSource::Pairs);
        const QString error = m ? QString() : QString::fromStdString(m.error().message);
        postCall(this, [this, lib, pair, error] {
            if (lib != library_) return;
            emit pairMarkStored(pair, error.isEmpty(), error);
            if (!error.isEmpty()) emit problem(error);
        });
        refreshPairThreshold(lib, thresholdId);
    });
}

void LibraryService::unmarkPair(const PairItem& pair) {
    if (!library_) return;
    const quint64 thresholdId = ++latestThreshold_;
    startTask<&pairsChannel>(writer_, [this, lib = library_, pair, thresholdId] {
        auto removed = remove_mark(*lib, fspath(pair.a), fspath(pair.b));
        if (!removed) postCall(this, [this, e = QString::fromStdString(removed.error().message)] { emit problem(e); });
        refreshPairThreshold(lib, thresholdId);
    });
}

// Writer thread, after the mark change `id`: skipped when a newer change follows (it reports).
void LibraryService::refreshPairThreshold(const std::shared_ptr<Library>& lib, quint64 id) {
    if (latestThreshold_ != id) return;
    const std::atomic<bool> never{false};
    auto s = duplicate_threshold_state(*lib, never);
    if (!s) return postCall(this, [this, e = QString::fromStdString(s.error().message)] { emit problem(e); });
    postCall(this, [this, lib, t = toThreshold(*s)] {
        if (lib == library_) emit pairThresholdChanged(t);
    });
}

}  // namespace rv::ui
