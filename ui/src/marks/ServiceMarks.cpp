// LibraryService's marks block (i11-marks): the person's verdicts stored through the engine's
// Marks.h / Learning.h calls on the writer pool, in-session re-ranking on the reader pool.
#include "LibraryService.h"
#include "ServiceCalls.h"

#include <QFile>

#include "TsanHandOff.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Marks.h"

namespace rv::ui {


namespace {


std::vector<std::filesystem::path> fspaths(const QStringList& paths) {
    std::vector<std::filesystem::path> out;
    out.reserve(std::size_t(paths.size()));
    for (const QString& p : paths) out.push_back(fspath(p));
    return out;
}

}  // namespace

void LibraryService::setMark(const QString& query, const QString& result, MarkState state, quint64 search) {
    if (!library_) {
        postCall(this, [this, query, result] { emit markStored(query, result, MarkState::None, tr("No library is open.")); });
        return;
    }
    startTask<&writerChannel>(writer_, [this, lib = library_, query, result, state, search, sessions = markSessions_] {
        QString error;
        MarkState now = state;
        if (const auto verdict = toVerdict(state)) {
            qint64 session = search == 0 ? 0 : sessions->value(search, 0);
            if (session == 0 && search != 0) {
                // The search the mark was given in, recorded once, refined by this first mark (the
                // later marks of the search carry its id). Not recorded (a read-only library, the
                // query file unreadable): the mark is stored without a session.
                rv::SearchOptions feedback;
                (*verdict == rv::MarkVerdict::Alike ? feedback.alike : feedback.different).push_back(fspath(result));
                auto fs = rv::search_with_feedback(*lib, fspath(query), 200, feedback);
                if (fs && fs->session > 0) sessions->insert(search, session = fs->session);
            }
            auto stored = rv::add_mark(*lib, fspath(query), fspath(result), *verdict, rv::MarkSource::Search, session);
            if (!stored) error = qtext(stored.error().message);
        } else {
            auto removed = rv::remove_mark(*lib, fspath(query), fspath(result));
            if (!removed) error = qtext(removed.error().message);
        }
        if (error.isEmpty()) {
            // The next search re-ranks with what this mark taught; a failure here loses no mark.
            if (auto fast = rv::update_fast_adapter_after_mark(*lib); !fast)
                postCall(this, [this, e = qtext(fast.error().message)] { emit problem(e); });
        } else {
            now = MarkState::None;
        }
        postCall(this, [this, lib, query, result, now, error] {
            if (lib == library_) emit markStored(query, result, now, error);
        });
    });
}

void LibraryService::loadMarks(const QString& query) {
    if (!library_) return;
    startTask<&writerChannel>(writer_, [this, lib = library_, query] {
        QString error, libraryQuery;
        QHash<QString, int> marks;
        auto file = rv::find_library_file(*lib, fspath(query));
        if (!file) {
            error = qtext(file.error().message);
        } else if (*file) {
            libraryQuery = qpath((*file)->path);
            const std::int64_t id = (*file)->id;
            auto all = rv::marks_of_file(*lib, id);
            if (!all) {
                error = qtext(all.error().message);
            } else {
                for (const rv::Mark& m : *all) {
                    if (m.a_id == id) marks.insert(qpath(m.b), int(toMarkState(m.verdict)));
                    else if (m.b_id == id) marks.insert(qpath(m.a), int(toMarkState(m.verdict)));
                }
            }
        }
        postCall(this, [this, lib, query, libraryQuery, marks, error] {
            if (lib == library_) emit marksLoaded(query, libraryQuery, marks, error);
        });
    });
}

quint64 LibraryService::searchWithMarks(const QString& query, const QStringList& alike, const QStringList& different,
                                        int k) {
    rv::SearchOptions options;
    options.alike = fspaths(alike);
    options.different = fspaths(different);
    return runSearch(query, [path = fspath(query), options, k](Library& lib) { return lib.search(path, k, options); });
}

void LibraryService::markNotDuplicate(const QString& a, const QString& b) {
    if (!library_) return;
    startTask<&writerChannel>(writer_, [this, lib = library_, a, b] {
        // "Not the same picture" is alike from the duplicates view (they look alike: the duplicates
        // search put them together); duplicate calibration counts it as not the same picture.
        auto stored = rv::add_mark(*lib, fspath(a), fspath(b), rv::MarkVerdict::Alike, rv::MarkSource::Duplicates);
        QString error = stored ? QString() : qtext(stored.error().message);
        if (stored)
            if (auto fast = rv::update_fast_adapter_after_mark(*lib); !fast)
                postCall(this, [this, e = qtext(fast.error().message)] { emit problem(e); });
        postCall(this, [this, lib, a, b, error] {
            if (lib == library_) emit notDuplicateStored(a, b, error);
        });
    });
}

}  // namespace rv::ui
