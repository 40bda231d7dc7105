#include "marks/MarkUndo.h"

#include <QCoreApplication>

#include "DisplayName.h"

namespace rv::ui {

MarkCommand::MarkCommand(MarkChange change, Apply apply) : change_(std::move(change)), apply_(std::move(apply)) {
    setText(markCommandText(change_));
}

QString markCommandText(const MarkChange& change) {
    const QString name = displayName(change.result);
    switch (change.after) {
    case MarkState::Alike:
        return QCoreApplication::translate("rv::ui::MarkCommand", "Mark \u201C%1\u201D Alike").arg(name);
    case MarkState::Different:
        return QCoreApplication::translate("rv::ui::MarkCommand", "Mark \u201C%1\u201D Different").arg(name);
    case MarkState::None:
        break;
    }
    return QCoreApplication::translate("rv::ui::MarkCommand", "Remove the Mark on \u201C%1\u201D").arg(name);
}

}  // namespace rv::ui
