// A person's verdict on one pair of library files, as the result cards carry it: none, alike or
// different (rv::MarkVerdict plus "none"; a "same picture" verdict from the pair or duplicates
// view shows as alike, which it implies). Plain values, any thread.
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

#include "ruvision/engine/Marks.h"

namespace rv::ui {

enum class MarkState { None = 0, Alike = 1, Different = 2 };

inline std::optional<rv::MarkVerdict> toVerdict(MarkState s) {
    if (s == MarkState::Alike) return rv::MarkVerdict::Alike;
    if (s == MarkState::Different) return rv::MarkVerdict::Different;
    return std::nullopt;
}

inline MarkState toMarkState(rv::MarkVerdict v) {
    return v == rv::MarkVerdict::Different ? MarkState::Different : MarkState::Alike;
}

}  // namespace rv::ui

Q_DECLARE_METATYPE(rv::ui::MarkState)
